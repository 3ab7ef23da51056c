// The finance console: review queue and resolve, orphan-push inbox and matching, the day's
// reconciliation with a CSV download, and search. Every figure comes from /api (see api.js for auth).
'use strict';
(function () {
  var s = window.shyb;
  var el = s.el;
  var $ = function (id) { return document.getElementById(id); };
  var body = document.body;
  var OPERATOR = 'shyb-pay.operator';

  function say(text, kind) {
    var m = $('message');
    m.textContent = text;
    m.className = 'message ' + (kind || '');
  }
  function failed(err) {
    say((err && err.message) || String(err), 'error');
  }
  function uiLink(orderNo) {
    return el('a', { href: body.dataset.temporalUi + '/namespaces/' + encodeURIComponent(body.dataset.namespace) + '/workflows/' + encodeURIComponent(orderNo), target: '_blank', rel: 'noopener', class: 'ui-link' }, 'Temporal UI');
  }
  function statusBadge(status) {
    return el('span', { class: 'status', dataset: { status: status || '' } }, status || '—');
  }
  function fill(tbody, rows, empty) {
    tbody.replaceChildren.apply(tbody, rows);
    if (empty) empty.hidden = rows.length > 0;
  }
  function rememberOperator(input) {
    if (!input.value) input.value = localStorage.getItem(OPERATOR) || '';
    input.addEventListener('change', function () { localStorage.setItem(OPERATOR, input.value.trim()); });
  }

  // ---- review queue ----
  async function loadReviews() {
    var r = await s.api('/api/reviews');
    fill($('reviews-table').tBodies[0], r.items.map(function (it) {
      return el('tr', { dataset: { orderNo: it.orderNo } },
        el('td', { class: 'mono' }, it.orderNo),
        el('td', { class: 'reason' }, it.reason || ''),
        el('td', {}, it.route || ''),
        el('td', { class: 'num' }, it.medfeeSumamt),
        el('td', {}, it.refund ? it.refund.status : ''),
        el('td', {}, el('button', { type: 'button', class: 'resolve', onclick: function () { openResolve(it); } }, 'Resolve…'), ' ', uiLink(it.orderNo)));
    }), $('reviews-empty'));
  }
  function openResolve(it) {
    var f = $('resolve-form');
    f.hidden = false;
    f.dataset.orderNo = it.orderNo;
    $('resolve-order').textContent = it.orderNo;
    $('resolve-reason').textContent = it.reason || '';
    // a refund under review is resolved as REFUNDED or REFUND_FAILED; a settlement as PAID or FAILED
    var refund = !!it.refund;
    // the SE07 remedy only for a refund whose cash refund was never seen (五期 §4.8.7 医保已退，现金未退)
    var notSeen = refund && /CASH_REFUND_NOT_SEEN/.test((it.refund && it.refund.reason) || it.reason || '');
    Array.prototype.forEach.call($('resolve-decision').options, function (o) {
      o.disabled = o.value === 'REMEDY' ? !notSeen : refund ? o.value === 'PAID' || o.value === 'FAILED' : o.value === 'REFUNDED' || o.value === 'REFUND_FAILED';
    });
    $('resolve-decision').value = refund ? 'REFUNDED' : 'PAID';
    $('resolve-operator').focus();
  }
  $('resolve-form').addEventListener('submit', async function (e) {
    e.preventDefault();
    var f = e.target;
    var orderNo = f.dataset.orderNo;
    try {
      var remedy = $('resolve-decision').value === 'REMEDY';
      var who = { operator: $('resolve-operator').value, note: $('resolve-note').value };
      var v = await s.api('/api/settlements/' + encodeURIComponent(orderNo) + (remedy ? '/refund/remedy' : '/resolve'), {
        method: 'POST',
        json: remedy ? who : { decision: $('resolve-decision').value, operator: who.operator, note: who.note },
      });
      say('Resolved ' + orderNo + ': ' + v.status, 'ok');
      f.hidden = true;
      $('resolve-note').value = '';
      await Promise.all([loadReviews(), loadRecon()]); // the day's figures move with a resolve
    } catch (err) {
      failed(err);
    }
  });
  $('resolve-cancel').addEventListener('click', function () { $('resolve-form').hidden = true; });
  $('reviews-refresh').addEventListener('click', function () { loadReviews().catch(failed); });

  // ---- orphan-push inbox ----
  var SHOWN = ['payStatus', 'refundStatus', 'medfee_sumamt', 'psn_cash_pay', 'amount', 'channel', 'orderNo', 'refundNo'];
  function pushDetails(output) {
    // only money and reference fields: the raw push may carry a name or ID number
    return SHOWN.filter(function (k) { return output && output[k] !== undefined && typeof output[k] !== 'object'; })
      .map(function (k) { return k + '=' + output[k]; }).join(' ');
  }
  async function loadInbox() {
    var date = $('inbox-date').value;
    // every page of the day (the API pages by cursor); an item's index is its place in the day
    var items = [];
    var r;
    var cursor;
    do {
      r = await s.api('/api/inbox?date=' + encodeURIComponent(date) + '&limit=500' + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
      items = items.concat(r.items);
      cursor = r.nextCursor;
    } while (cursor);
    if (r.dropped > 0) say(r.dropped + ' more pushes arrived this day after the inbox held ' + r.capacity + ': acknowledged and counted, not kept', 'error');
    fill($('inbox-table').tBodies[0], items.map(function (it) {
      var i = it.index;
      return el('tr', { dataset: { index: String(i) } },
        el('td', {}, i),
        el('td', {}, it.receivedAt),
        el('td', {}, it.kind),
        el('td', {}, it.route),
        el('td', { class: 'mono' }, it.ecToken),
        el('td', {}, it.why),
        el('td', { class: 'mono' }, pushDetails(it.output)),
        el('td', { class: 'mono' }, it.matchedOrderNo ? it.matchedOrderNo + ' (' + (it.matchedBy || '') + ')' : ''),
        el('td', {}, it.matchedOrderNo ? '' : el('button', { type: 'button', class: 'match', onclick: function () { openMatch(i, it); } }, 'Match…')));
    }), $('inbox-empty'));
  }
  function openMatch(i, it) {
    var f = $('match-form');
    f.hidden = false;
    f.dataset.index = String(i);
    $('match-index').textContent = i;
    $('match-order').value = it.matchedOrderNo || '';
    $('match-order').focus();
  }
  $('inbox-form').addEventListener('submit', function (e) {
    e.preventDefault();
    loadInbox().catch(failed);
  });
  $('match-form').addEventListener('submit', async function (e) {
    e.preventDefault();
    var f = e.target;
    try {
      await s.api('/api/inbox/' + $('inbox-date').value + '/' + f.dataset.index + '/match', {
        method: 'POST',
        json: { orderNo: $('match-order').value.trim(), operator: $('match-operator').value },
      });
      say('Push #' + f.dataset.index + ' matched to ' + $('match-order').value.trim(), 'ok');
      f.hidden = true;
      await Promise.all([loadInbox(), loadRecon()]);
    } catch (err) {
      failed(err);
    }
  });
  $('match-cancel').addEventListener('click', function () { $('match-form').hidden = true; });

  // ---- reconciliation ----
  var MONEY = [['medfee_sumamt', 'medfee'], ['fund_pay_sumamt', 'fund'], ['acct_pay', 'acct'], ['psn_cash_pay', 'cash']];
  function sumsTable(title, groups) {
    var keys = Object.keys(groups);
    if (keys.length === 0) return el('p', { class: 'empty' }, 'No ' + title + ' totals: nothing moved.');
    return el('table', { class: 'sums' },
      el('thead', {}, el('tr', {}, el('th', {}, title), el('th', { class: 'num' }, 'count'), MONEY.map(function (m) { return el('th', { class: 'num' }, m[1]); }))),
      el('tbody', {}, keys.map(function (k) {
        var g = groups[k];
        return el('tr', {}, el('td', {}, k), el('td', { class: 'num' }, g.count), MONEY.map(function (m) { return el('td', { class: 'num' }, g[m[0]]); }));
      })));
  }
  async function loadRecon() {
    var date = $('recon-date').value;
    var r = await s.api('/api/reconciliation?date=' + encodeURIComponent(date));
    var net = r.totals.net;
    $('recon-totals').replaceChildren(
      el('div', { class: 'totals', id: 'recon-net' },
        el('div', {}, 'moved', el('b', {}, net.count)),
        MONEY.map(function (m) { return el('div', { dataset: { total: m[0] } }, m[1] + ' ¥', el('b', {}, net[m[0]])); })),
      sumsTable('channel', r.totals.byChannel),
      sumsTable('type:status', r.totals.byStatus));
    var f = r.flags;
    $('recon-flags').replaceChildren(
      el('p', {}, 'Needs review: ' + f.needsReview.length + ' · push/query mismatches: ' + f.pushQueryMismatches.length + ' · orphan pushes: ' + f.orphanPushes.length));
    fill($('recon-rows').tBodies[0], r.rows.map(function (x) {
      return el('tr', {},
        el('td', {}, x.type), el('td', { class: 'mono' }, x.orderNo), el('td', {}, x.at), el('td', {}, statusBadge(x.status)),
        MONEY.map(function (m) { return el('td', { class: 'num' }, x[m[0]]); }),
        el('td', {}, x.channel), el('td', { class: 'reason' }, x.reason));
    }));
  }
  $('recon-form').addEventListener('submit', function (e) {
    e.preventDefault();
    loadRecon().catch(failed);
  });
  $('recon-csv').addEventListener('click', async function () {
    try {
      var date = $('recon-date').value;
      var res = await s.api('/api/reconciliation?date=' + encodeURIComponent(date), { headers: { accept: 'text/csv' }, raw: true });
      var text = await res.text();
      // A UTF-8 BOM, so Excel reads the Chinese text as UTF-8 (added here only if the server did not).
      var blob = new Blob([text.charCodeAt(0) === 0xfeff ? '' : '\ufeff', text], { type: 'text/csv;charset=utf-8' });
      var a = el('a', { href: URL.createObjectURL(blob), download: 'reconciliation-' + date + '.csv' });
      document.body.append(a);
      a.click();
      a.remove();
      say('CSV for ' + date + ' downloaded', 'ok');
    } catch (err) {
      failed(err);
    }
  });

  // ---- search ----
  var STATUSES = ['PROCESSING', 'PAID', 'FAILED', 'NEEDS_REVIEW', 'REFUNDING', 'REFUNDED', 'REFUND_FAILED'];
  function resultRow(it) {
    return el('tr', { dataset: { orderNo: it.orderNo } },
      el('td', { class: 'mono' }, el('a', { href: '#search', onclick: function () { showOrder(it.orderNo).catch(failed); } }, it.orderNo)),
      el('td', {}, statusBadge(it.status)), el('td', {}, it.route || ''), el('td', {}, it.channel || ''),
      el('td', { class: 'num' }, it.cashAmount === null || it.cashAmount === undefined ? '' : Number(it.cashAmount).toFixed(2)),
      el('td', {}, it.startedAt || ''), el('td', {}, uiLink(it.orderNo)));
  }
  async function search() {
    var by = $('search-by').value;
    var text = $('search-text').value.trim();
    $('order-detail').hidden = true;
    var items;
    if (by === 'orderNo') {
      try {
        var v = await s.api('/api/settlements/' + encodeURIComponent(text));
        items = [{ orderNo: v.orderNo, status: v.status, route: v.route, channel: v.channel }];
      } catch (err) {
        if (err.code !== 'ORDER_NOT_FOUND' && err.code !== 'VALIDATION_FAILED') throw err;
        items = [];
      }
    } else if (by === 'status') {
      text = text.toUpperCase();
      if (STATUSES.indexOf(text) < 0) throw new Error('status is one of ' + STATUSES.join(', '));
      items = (await s.api('/api/settlements?status=' + text + '&limit=200')).items;
    } else {
      items = (await s.api('/api/settlements?ecToken=' + encodeURIComponent(text))).items;
    }
    fill($('search-table').tBodies[0], items.map(resultRow), $('search-empty'));
    if (by === 'orderNo' && items.length === 1) await showOrder(items[0].orderNo);
  }
  // insuplc_admdvs went out as the configured default (1101 could not tell): maybe not the person's own 参保地
  function insuplcWarning(v) {
    if (v.insuplcAdmdvsSource !== 'default') return '';
    return el('p', { class: 'reason', dataset: { warning: 'insuplc-default' } },
      '⚠ 参保地 insuplc_admdvs ' + (v.insuplcAdmdvs || '(none)') + ' is the configured default: 1101 could not tell the person\'s own (PERSON_INFO_DEFAULT). Check it before a refund or reconciliation.');
  }
  async function showOrder(orderNo) {
    var v = await s.api('/api/settlements/' + encodeURIComponent(orderNo));
    var si = v.setlinfo || {};
    var d = $('order-detail');
    d.replaceChildren(
      el('h3', {}, v.orderNo, ' ', statusBadge(v.status), ' ', uiLink(v.orderNo)),
      el('p', { class: 'reason' }, v.reason || ''),
      insuplcWarning(v),
      el('p', {}, 'medfee ¥' + v.medfeeSumamt + (v.setlinfo ? ' · fund ¥' + si.fund_pay_sumamt + ' · acct ¥' + si.acct_pay + ' · cash ¥' + si.psn_cash_pay : '') +
        (v.route ? ' · ' + v.route : '') + (v.channel ? ' · ' + v.channel : '') + (v.refund ? ' · refund ' + v.refund.status : '')),
      el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, 'at'), el('th', {}, 'event'), el('th', {}, 'detail'))),
        el('tbody', {}, v.events.map(function (ev) { return el('tr', {}, el('td', {}, ev.at), el('td', {}, ev.type), el('td', {}, ev.detail || '')); }))));
    d.hidden = false;
  }
  $('search-form').addEventListener('submit', function (e) {
    e.preventDefault();
    search().catch(failed);
  });

  // ---- start ----
  rememberOperator($('resolve-operator'));
  rememberOperator($('match-operator'));
  $('inbox-date').value = s.shanghaiToday();
  $('recon-date').value = s.shanghaiToday();
  function loadAll() {
    say('');
    return Promise.all([loadReviews(), loadInbox(), loadRecon()]).catch(failed);
  }
  s.onKey(loadAll);
  void loadAll();
})();
