// 中心核对 Centre check: the review queue's part for the daily check of our orders against the centre
// (GET /api/centre-checks/recent). Each difference is a row with both sides, ours beside the centre's; a day
// still running (or retrying while the centre does not answer) is shown as unfinished. A person decides:
// nothing here changes an order. Kept apart from console.js: it fills #centre-checks only.
'use strict';
(function () {
  var s = window.shyb;
  var el = s.el;
  var $ = s.byId;
  var KINDS = {
    missing: ['中心无此记录', 'the centre has no record'],
    reversed: ['中心已冲销或已退费', 'the centre reversed or refunded it'],
    amount: ['金额不一致', 'an amount differs'],
    other: ['标识或时间不一致', 'an id or time differs'],
  };
  var STATUS = s.DAY_STATUS;
  var FIELDS = {
    found: '有记录 found',
    setlId: '结算ID setlId',
    mdtrtId: '就诊ID mdtrtId',
    setlTime: '结算时间 setlTime',
    medfee: '医疗费总额 medfee ¥',
    fund: '基金支付 fund ¥',
    account: '个人账户 account ¥',
    cash: '个人现金 cash ¥',
    refunded: '已退费 refunded',
    paid: '已支付 paid',
  };
  var MONEY = { medfee: true, fund: true, account: true, cash: true };

  var yuan = s.yuan;
  function value(field, v) {
    if (v === null || v === undefined) return '—';
    return MONEY[field] && typeof v === 'number' ? yuan(v) : String(v);
  }
  function both(zhEn) {
    return [zhEn[0], ' ', el('small', { lang: 'en' }, zhEn[1])];
  }

  function dayHeader(c) {
    var st = STATUS[c.status] || [c.status, c.status];
    var text =
      c.date +
      ' · ' +
      c.checked +
      '/' +
      c.total +
      ' 已核对 checked · ' +
      c.agreed +
      ' 一致 agreed · ' +
      (c.differences.length + c.differencesNotListed) +
      ' 差异 differences';
    var retry = c.retrying
      ? ' · 中心无应答，第 ' +
        c.retrying.attempt +
        ' 次重试 · the centre does not answer, attempt ' +
        c.retrying.attempt +
        (c.retrying.lastFailure ? ' (' + c.retrying.lastFailure + ')' : '')
      : '';
    return el(
      'h3',
      { dataset: { date: c.date, status: c.status } },
      el('span', { class: 'status', dataset: { status: c.status } }, both(st)),
      ' ',
      text,
      retry,
    );
  }

  function rows(c) {
    var out = [];
    c.differences.forEach(function (d) {
      d.differences.forEach(function (f, i) {
        out.push(
          el(
            'tr',
            { dataset: { orderNo: d.orderNo, kind: d.kind, field: f.field } },
            el('td', { class: 'mono' }, i === 0 ? d.orderNo : ''),
            el('td', {}, i === 0 ? d.route : ''),
            el('td', {}, i === 0 ? both(KINDS[d.kind] || [d.kind, d.kind]) : ''),
            el('td', {}, FIELDS[f.field] || f.field),
            el('td', { class: MONEY[f.field] ? 'num' : 'mono' }, value(f.field, f.ours)),
            el('td', { class: MONEY[f.field] ? 'num' : 'mono' }, value(f.field, f.centre)),
            el('td', { class: 'mono' }, i === 0 ? d.asked.query + ' ' + d.asked.msgid : ''),
          ),
        );
      });
    });
    c.unavailable.forEach(function (u) {
      out.push(
        el(
          'tr',
          { dataset: { orderNo: u.orderNo, kind: 'unavailable' } },
          el('td', { class: 'mono' }, u.orderNo),
          el('td', {}, u.route || ''),
          el('td', {}, both(['未能核对', 'not compared'])),
          el('td', { colspan: '4', class: 'reason' }, u.reason),
        ),
      );
    });
    return out;
  }

  function th(zh, en, cls) {
    return el('th', cls ? { class: cls } : {}, zh, ' ', el('small', { lang: 'en' }, en));
  }

  async function load() {
    var box = $('centre-checks');
    if (!box) return;
    try {
      var r = await s.api('/api/centre-checks/recent');
      box.replaceChildren.apply(
        box,
        r.items.length === 0
          ? [el('p', { class: 'empty' }, '近日中心核对均一致 · The recent centre checks found no difference.')]
          : r.items.map(function (c) {
              return el(
                'div',
                { class: 'card centre-check', dataset: { date: c.date, status: c.status } },
                dayHeader(c),
                c.differences.length + c.unavailable.length === 0
                  ? null
                  : el(
                      'table',
                      {},
                      el(
                        'thead',
                        {},
                        el(
                          'tr',
                          {},
                          th('订单号', 'orderNo'),
                          th('路径', 'route'),
                          th('差异', 'kind'),
                          th('字段', 'field'),
                          th('我方', 'ours', 'num'),
                          th('中心', 'centre', 'num'),
                          th('查询', 'query'),
                        ),
                      ),
                      el('tbody', {}, rows(c)),
                    ),
              );
            }),
      );
    } catch (err) {
      box.replaceChildren(
        el(
          'p',
          { class: 'reason', dataset: { problem: err.code || '' } },
          '中心核对读取失败 · centre checks could not be read: ' + (err.code ? err.code + ': ' : '') + err.message,
        ),
      );
    }
  }

  document.addEventListener('DOMContentLoaded', function () {
    var refresh = $('reviews-refresh');
    if (refresh)
      refresh.addEventListener('click', function () {
        void load();
      });
    s.onKey(load);
    void load();
  });
})();
