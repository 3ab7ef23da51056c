// 问中心 Ask the centre: a button on every order the console lists (review queue, search results, the order
// detail) that asks GET /api/settlements/{orderNo}/centre and shows the centre's record beside ours. It asks
// only: nothing in the order changes. Kept apart from console.js: it hooks onto rows with data-order-no.
'use strict';
(function () {
  var s = window.shyb;
  var el = s.el;
  var FIELDS = [
    ['setlId', 'setl_id / lsh'],
    ['mdtrtId', 'mdtrt_id / jzdyh'],
    ['setlTime', 'setl_time'],
    ['medfee', 'medfee ¥', true],
    ['fund', 'fund ¥', true],
    ['account', 'account ¥', true],
    ['cash', 'cash ¥', true],
    ['refunded', 'refunded'],
    ['paid', 'paid'],
  ];

  var yuan = s.yuan;
  function shown(rec, f) {
    if (!rec) return '—';
    var v = rec[f[0]];
    if (f[0] === 'cash' && rec.cashMin !== undefined && rec.cashMin !== rec.cash) return yuan(rec.cashMin) + '–' + yuan(v);
    if (f[2]) return yuan(v);
    return v === null || v === undefined ? '— (not stated)' : String(v);
  }

  function card() {
    var c = document.getElementById('centre-answer');
    if (!c) c = el('div', { id: 'centre-answer', class: 'card', role: 'region', 'aria-label': 'centre answer' });
    return c;
  }

  function render(c, orderNo, r) {
    var differ = {};
    r.differences.forEach(function (d) {
      differ[d.field] = true;
    });
    c.replaceChildren(
      el('h3', {}, '问中心 · ', orderNo),
      el(
        'p',
        { dataset: { agrees: String(r.agrees) } },
        (r.agrees ? '✔ the centre agrees' : '✘ the centre differs') +
          ' · asked ' +
          (r.asked.infno || r.asked.xxlxm) +
          ' msgid ' +
          r.asked.msgid +
          ' at ' +
          r.asked.at +
          (r.found ? '' : ' · the centre has no record' + (r.message ? ': ' + r.message : '')),
      ),
      el(
        'table',
        {},
        el('thead', {}, el('tr', {}, el('th', {}, 'field'), el('th', {}, 'ours'), el('th', {}, 'centre'))),
        el(
          'tbody',
          {},
          FIELDS.map(function (f) {
            return el(
              'tr',
              { dataset: { field: f[0], differs: String(!!differ[f[0]]) }, class: differ[f[0]] ? 'reason' : '' },
              el('td', {}, f[1]),
              el('td', { class: f[2] ? 'num' : 'mono' }, shown(r.ours, f)),
              el('td', { class: f[2] ? 'num' : 'mono' }, shown(r.record, f)),
            );
          }),
        ),
      ),
    );
  }

  async function ask(orderNo, where) {
    var c = card();
    where.after(c);
    c.replaceChildren(el('p', {}, '问中心 ' + orderNo + ' …'));
    try {
      render(c, orderNo, await s.api('/api/settlements/' + encodeURIComponent(orderNo) + '/centre'));
    } catch (err) {
      c.replaceChildren(
        el('h3', {}, '问中心 · ', orderNo),
        el('p', { class: 'reason', dataset: { problem: err.code || '' } }, (err.code ? err.code + ': ' : '') + err.message),
      );
    }
  }

  function button(orderNo, where) {
    return el(
      'button',
      {
        type: 'button',
        class: 'ask-centre',
        onclick: function () {
          ask(orderNo, where());
        },
      },
      '问中心 Ask the centre',
    );
  }

  /** Every listed order gets the button once (rows are re-rendered by console.js: checked on each change). */
  function decorate() {
    document.querySelectorAll('#reviews-table tbody tr[data-order-no], #search-table tbody tr[data-order-no]').forEach(function (tr) {
      if (tr.querySelector('.ask-centre')) return;
      var table = tr.closest('table');
      tr.lastElementChild.append(
        ' ',
        button(tr.dataset.orderNo, function () {
          return table;
        }),
      );
    });
    var d = document.getElementById('order-detail');
    var h = d && d.querySelector('h3');
    if (h && !d.querySelector('.ask-centre')) {
      var orderNo = ((h.firstChild && h.firstChild.textContent) || '').trim();
      if (orderNo)
        h.after(
          el(
            'p',
            {},
            button(orderNo, function () {
              return d;
            }),
          ),
        );
    }
  }

  document.addEventListener('DOMContentLoaded', function () {
    new MutationObserver(decorate).observe(document.querySelector('main') || document.body, { childList: true, subtree: true });
    decorate();
  });
})();
