// The browser side of the API's bearer auth, shared by /console and /demo. A plain link cannot carry
// an Authorization header, so the page asks for the key once, keeps it in sessionStorage (this tab
// only, gone when the tab closes) and sends it with every fetch. Without API_KEYS on a loopback
// client no key is needed, as for any loopback caller of /api.
'use strict';
(function () {
  var STORE = 'shyb-pay.apiKey';
  var onKey = [];

  function ApiError(status, message, body, code) {
    this.status = status;
    this.message = message;
    this.body = body;
    this.code = code;
  }
  ApiError.prototype = Object.create(Error.prototype);

  function keyForm(show) {
    var f = document.getElementById('key-form');
    var forget = document.getElementById('key-forget');
    if (f) f.hidden = !show;
    if (forget) forget.hidden = show || !sessionStorage.getItem(STORE);
    if (show) document.getElementById('key-input').focus();
  }

  async function api(path, opts) {
    opts = opts || {};
    var headers = new Headers(opts.headers || {});
    if (authorization()) headers.set('Authorization', authorization());
    var init = { method: opts.method || 'GET', headers: headers };
    if (opts.json !== undefined) {
      headers.set('content-type', 'application/json');
      init.body = JSON.stringify(opts.json);
    }
    if (!headers.has('accept')) headers.set('accept', 'application/json');
    var res = await fetch(path, init);
    if (opts.raw && res.ok) return res;
    var text = await res.text();
    var body;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch (e) {
      body = text;
    }
    if (!res.ok) throw failure(res, body);
    return body;
  }

  /** The key this tab holds, as an Authorization header value (undefined without a key). */
  function authorization() {
    var key = sessionStorage.getItem(STORE);
    return key ? 'Bearer ' + key : undefined;
  }

  /**
   * An ApiError for a failed answer: the API's RFC 9457 problem ({ code, title, detail, errors });
   * a 401 asks for the key. The message is the detail (it names the failing fields for VALIDATION_FAILED).
   */
  function failure(res, body) {
    if (res.status === 401) keyForm(true);
    var p = body && typeof body === 'object' ? body : {};
    var msg = p.detail || p.title || res.statusText;
    return new ApiError(res.status, msg, body, p.code);
  }

  document.addEventListener('DOMContentLoaded', function () {
    var f = document.getElementById('key-form');
    if (f) {
      f.addEventListener('submit', function (e) {
        e.preventDefault();
        sessionStorage.setItem(STORE, document.getElementById('key-input').value.trim());
        document.getElementById('key-input').value = '';
        keyForm(false);
        onKey.forEach(function (fn) {
          fn();
        });
      });
    }
    var forget = document.getElementById('key-forget');
    if (forget) {
      forget.addEventListener('click', function () {
        sessionStorage.removeItem(STORE);
        keyForm(true);
      });
    }
    keyForm(document.body.dataset.keyRequired === 'true' && !sessionStorage.getItem(STORE));
  });

  /** el('td', {class: 'x'}, 'text', child, [children]...): DOM from data, always through textContent. */
  function el(tag, attrs) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'dataset') Object.assign(node.dataset, attrs[k]);
      else if (k.slice(0, 2) === 'on') node.addEventListener(k.slice(2), attrs[k]);
      else node.setAttribute(k, attrs[k]);
    });
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === undefined || c === null) continue;
      if (Array.isArray(c))
        c.forEach(function (x) {
          node.append(typeof x === 'object' ? x : String(x));
        });
      else node.append(typeof c === 'object' ? c : String(c));
    }
    return node;
  }

  /** Today in Shanghai (the platform's business day), as YYYY-MM-DD. */
  function shanghaiToday() {
    return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  }

  /** Integer fen as yuan text, without floating point; '—' for none, anything else as it came. */
  function yuan(fen) {
    if (typeof fen !== 'number') return fen === null || fen === undefined ? '—' : String(fen);
    var t = String(Math.abs(fen)).padStart(3, '0');
    return (fen < 0 ? '-' : '') + t.slice(0, -2) + '.' + t.slice(-2);
  }

  /** A day run's status (centre check, day close), Chinese and English. */
  var DAY_STATUS = { running: ['未完成', 'unfinished'], finished: ['已完成', 'finished'], failed: ['未能完成', 'failed'] };

  window.shyb = {
    api: api,
    byId: function (id) {
      return document.getElementById(id);
    },
    yuan: yuan,
    DAY_STATUS: DAY_STATUS,
    authorization: authorization,
    failure: failure,
    ApiError: ApiError,
    el: el,
    shanghaiToday: shanghaiToday,
    onKey: function (fn) {
      onKey.push(fn);
    },
  };
})();
