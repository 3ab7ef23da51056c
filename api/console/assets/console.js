// The finance console: review queue and resolve, orphan-push inbox and matching, the day's
// reconciliation with a CSV download, and search. Every figure comes from /api (see api.js for auth).
'use strict';
(function () {
  var s = window.shyb;
  var m = window.shybMessages;
  var el = s.el;
  var $ = function (id) {
    return document.getElementById(id);
  };
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
    return el(
      'a',
      {
        href: body.dataset.temporalUi + '/namespaces/' + encodeURIComponent(body.dataset.namespace) + '/workflows/' + encodeURIComponent(orderNo),
        target: '_blank',
        rel: 'noopener',
        class: 'ui-link',
      },
      'Temporal UI',
    );
  }
  // Chinese first, the code beside (a clerk reads the one, talks to the platform or IT with the other)
  function statusBadge(status) {
    if (!status) return el('span', { class: 'status', dataset: { status: '' } }, '—');
    return el('span', { class: 'status', dataset: { status: status }, title: status }, m.status(status), ' ', el('small', { lang: 'en' }, status));
  }
  /** A reason as its Chinese sentence, the code and English detail beside it (data-code for tests and styles). */
  function reasonCell(tag, attrs, text, more) {
    var r = m.reason(text);
    attrs = Object.assign({ class: 'reason' }, attrs);
    attrs.dataset = Object.assign({ code: r.code }, attrs.dataset || {});
    return el(tag, attrs, r.zh ? el('span', { class: 'zh' }, r.zh) : null, r.en ? el('span', { class: 'en', lang: 'en' }, r.en) : null, more);
  }
  function time(iso) {
    return el('time', { datetime: iso || '', title: iso || '' }, m.shanghaiTime(iso));
  }
  function fill(tbody, rows, empty) {
    tbody.replaceChildren.apply(tbody, rows);
    if (empty) empty.hidden = rows.length > 0;
  }
  function rememberOperator(input) {
    if (!input.value) input.value = localStorage.getItem(OPERATOR) || '';
    input.addEventListener('change', function () {
      localStorage.setItem(OPERATOR, input.value.trim());
    });
  }

  // ---- review queue ----
  async function loadReviews() {
    var r = await s.api('/api/reviews');
    fill(
      $('reviews-table').tBodies[0],
      r.items.map(function (it) {
        return el(
          'tr',
          { dataset: { orderNo: it.orderNo } },
          el('td', { class: 'mono' }, it.orderNo),
          reasonCell(
            'td',
            {},
            it.reason,
            // the centre's word, asked when the order entered review: a suggestion, a person decides
            it.suggestion
              ? el('div', { class: 'suggestion', dataset: { agrees: String(!!(it.centre && it.centre.agrees)) } }, '中心 Centre: ' + it.suggestion)
              : null,
          ),
          el('td', {}, it.route || ''),
          el('td', { class: 'num' }, it.medfeeSumamt),
          el('td', {}, it.refund ? statusBadge(it.refund.status) : ''),
          el(
            'td',
            {},
            el(
              'button',
              {
                type: 'button',
                class: 'resolve',
                onclick: function () {
                  openResolve(it);
                },
              },
              '处理… ',
              el('small', { lang: 'en' }, 'Resolve'),
            ),
            ' ',
            uiLink(it.orderNo),
          ),
        );
      }),
      $('reviews-empty'),
    );
  }
  function openResolve(it) {
    var f = $('resolve-form');
    f.hidden = false;
    f.dataset.orderNo = it.orderNo;
    $('resolve-order').textContent = it.orderNo;
    $('resolve-reason').replaceChildren(reasonCell('span', {}, it.reason), it.suggestion ? ' · 中心 Centre: ' + it.suggestion : '');
    // a refund under review is resolved as REFUNDED or REFUND_FAILED; a settlement as PAID or FAILED
    var refund = !!it.refund;
    // the SE07 remedy only for a refund whose cash refund was never seen (五期 §4.8.7 医保已退，现金未退)
    var notSeen = refund && /CASH_REFUND_NOT_SEEN/.test((it.refund && it.refund.reason) || it.reason || '');
    Array.prototype.forEach.call($('resolve-decision').options, function (o) {
      o.disabled =
        o.value === 'REMEDY' ? !notSeen : refund ? o.value === 'PAID' || o.value === 'FAILED' : o.value === 'REFUNDED' || o.value === 'REFUND_FAILED';
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
      say('已处理 ' + orderNo + '：' + m.status(v.status) + ' · Resolved: ' + v.status, 'ok');
      f.hidden = true;
      $('resolve-note').value = '';
      await Promise.all([loadReviews(), loadRecon()]); // the day's figures move with a resolve
    } catch (err) {
      failed(err);
    }
  });
  $('resolve-cancel').addEventListener('click', function () {
    $('resolve-form').hidden = true;
  });
  $('reviews-refresh').addEventListener('click', function () {
    loadReviews().catch(failed);
  });

  // ---- orphan-push inbox ----
  var SHOWN = ['payStatus', 'refundStatus', 'medfee_sumamt', 'psn_cash_pay', 'amount', 'channel', 'orderNo', 'refundNo'];
  function pushDetails(output) {
    // only money and reference fields: the raw push may carry a name or ID number
    return SHOWN.filter(function (k) {
      return output && output[k] !== undefined && typeof output[k] !== 'object';
    })
      .map(function (k) {
        return k + '=' + output[k];
      })
      .join(' ');
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
    if (r.dropped > 0)
      say(
        '当日推送已达上限 ' +
          r.capacity +
          ' 条，另有 ' +
          r.dropped +
          ' 条已应答并计数，未保存 · ' +
          r.dropped +
          ' more pushes arrived after the inbox held ' +
          r.capacity +
          ': acknowledged and counted, not kept',
        'error',
      );
    fill(
      $('inbox-table').tBodies[0],
      items.map(function (it) {
        var i = it.index;
        return el(
          'tr',
          { dataset: { index: String(i) } },
          el('td', {}, i),
          el('td', {}, time(it.receivedAt)),
          el('td', {}, it.kind),
          el('td', {}, it.route),
          el('td', { class: 'mono' }, it.ecToken),
          reasonCell('td', {}, it.why),
          el('td', { class: 'mono' }, pushDetails(it.output)),
          el('td', { class: 'mono' }, it.matchedOrderNo ? it.matchedOrderNo + ' (' + (it.matchedBy || '') + ')' : ''),
          el(
            'td',
            {},
            it.matchedOrderNo
              ? ''
              : el(
                  'button',
                  {
                    type: 'button',
                    class: 'match',
                    onclick: function () {
                      openMatch(i, it);
                    },
                  },
                  '匹配… ',
                  el('small', { lang: 'en' }, 'Match'),
                ),
          ),
        );
      }),
      $('inbox-empty'),
    );
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
      say('推送 #' + f.dataset.index + ' 已匹配到 ' + $('match-order').value.trim() + ' · matched', 'ok');
      f.hidden = true;
      await Promise.all([loadInbox(), loadRecon()]);
    } catch (err) {
      failed(err);
    }
  });
  $('match-cancel').addEventListener('click', function () {
    $('match-form').hidden = true;
  });

  // ---- reconciliation ----
  var MONEY = [
    ['medfee_sumamt', 'medfee', '医疗费总额'],
    ['fund_pay_sumamt', 'fund', '基金支付'],
    ['acct_pay', 'acct', '个人账户'],
    ['psn_cash_pay', 'cash', '个人现金'],
  ];
  var TYPES = { SETTLEMENT: '结算', REFUND: '退款' };
  function th(zh, en, cls) {
    return el('th', { class: cls || '', title: en }, zh, ' ', el('small', { lang: 'en' }, en));
  }
  /** "SETTLEMENT:PAID" as 结算:已支付, the codes beside. */
  function groupLabel(k) {
    var p = k.split(':');
    return p.length === 2 ? [(TYPES[p[0]] || p[0]) + ':' + m.status(p[1]), ' ', el('small', { lang: 'en' }, k)] : k;
  }
  function sumsTable(zh, title, groups) {
    var keys = Object.keys(groups);
    if (keys.length === 0) return el('p', { class: 'empty' }, '无' + zh + '汇总：没有资金变动 · No ' + title + ' totals: nothing moved.');
    return el(
      'table',
      { class: 'sums' },
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          th(zh, title),
          th('笔数', 'count', 'num'),
          MONEY.map(function (x) {
            return th(x[2], x[1], 'num');
          }),
        ),
      ),
      el(
        'tbody',
        {},
        keys.map(function (k) {
          var g = groups[k];
          return el(
            'tr',
            {},
            el('td', {}, groupLabel(k)),
            el('td', { class: 'num' }, g.count),
            MONEY.map(function (m) {
              return el('td', { class: 'num' }, g[m[0]]);
            }),
          );
        }),
      ),
    );
  }
  /** One day (date=), or from the first date to the optional last one (from=&to=, both included). */
  function reconQuery() {
    var from = $('recon-date').value;
    var to = $('recon-to').value;
    return to && to !== from ? 'from=' + encodeURIComponent(from) + '&to=' + encodeURIComponent(to) : 'date=' + encodeURIComponent(from);
  }
  async function loadRecon() {
    var r = await s.api('/api/reconciliation?' + reconQuery());
    var net = r.totals.net;
    $('recon-totals').replaceChildren(
      el(
        'div',
        { class: 'totals', id: 'recon-net' },
        el('div', {}, '资金变动笔数 ', el('small', { lang: 'en' }, 'moved'), el('b', {}, net.count)),
        MONEY.map(function (x) {
          return el('div', { dataset: { total: x[0] } }, x[2] + ' ', el('small', { lang: 'en' }, x[1]), ' ¥', el('b', {}, net[x[0]]));
        }),
      ),
      sumsTable('支付渠道', 'channel', r.totals.byChannel),
      sumsTable('类型:状态', 'type:status', r.totals.byStatus),
    );
    var f = r.flags;
    $('recon-flags').replaceChildren(
      el(
        'p',
        {},
        '待复核 Needs review: ' +
          f.needsReview.length +
          ' · 推送与查询不一致 push/query mismatches: ' +
          f.pushQueryMismatches.length +
          ' · 未匹配推送 orphan pushes: ' +
          f.orphanPushes.length,
      ),
    );
    fill(
      $('recon-rows').tBodies[0],
      r.rows.map(function (x) {
        return el(
          'tr',
          {},
          el('td', { title: x.type }, TYPES[x.type] || x.type),
          el('td', { class: 'mono' }, x.orderNo),
          el('td', { class: 'at' }, time(x.at)),
          el('td', {}, statusBadge(x.status)),
          MONEY.map(function (k) {
            return el('td', { class: 'num' }, x[k[0]]);
          }),
          el('td', {}, x.channel),
          reasonCell('td', {}, x.reason),
        );
      }),
    );
  }
  $('recon-form').addEventListener('submit', function (e) {
    e.preventDefault();
    loadRecon().catch(failed);
  });
  // Chinese headers and Shanghai times (lang=zh, whatever the browser's Accept-Language); English on request
  async function downloadCsv(lang) {
    try {
      var to = $('recon-to').value;
      var date = $('recon-date').value + (to && to !== $('recon-date').value ? '_' + to : '');
      var res = await s.api('/api/reconciliation?' + reconQuery() + '&lang=' + lang, { headers: { accept: 'text/csv' }, raw: true });
      var text = await res.text();
      // A UTF-8 BOM, so Excel reads the Chinese text as UTF-8 (added here only if the server did not).
      var blob = new Blob([text.charCodeAt(0) === 0xfeff ? '' : '\ufeff', text], { type: 'text/csv;charset=utf-8' });
      var a = el('a', { href: URL.createObjectURL(blob), download: 'reconciliation-' + date + (lang === 'en' ? '-en' : '') + '.csv' });
      document.body.append(a);
      a.click();
      a.remove();
      say(date + ' 对账 CSV 已下载 · CSV downloaded', 'ok');
    } catch (err) {
      failed(err);
    }
  }
  $('recon-csv').addEventListener('click', function () {
    void downloadCsv('zh');
  });
  $('recon-csv-en').addEventListener('click', function () {
    void downloadCsv('en');
  });

  // ---- search ----
  var STATUSES = ['PROCESSING', 'PAID', 'FAILED', 'NEEDS_REVIEW', 'REFUNDING', 'REFUNDED', 'REFUND_FAILED'];
  function resultRow(it) {
    return el(
      'tr',
      { dataset: { orderNo: it.orderNo } },
      el(
        'td',
        { class: 'mono' },
        el(
          'a',
          {
            href: '#search',
            onclick: function () {
              showOrder(it.orderNo).catch(failed);
            },
          },
          it.orderNo,
        ),
      ),
      el('td', {}, statusBadge(it.status)),
      el('td', {}, it.route || ''),
      el('td', {}, it.channel || ''),
      el('td', { class: 'num' }, cashText(it.cashAmount)),
      el('td', {}, time(it.startedAt)),
      el('td', {}, uiLink(it.orderNo)),
    );
  }
  // the list gives the CashAmount search attribute (a number of yuan), an order's own view its cash text
  function cashText(c) {
    if (c === null || c === undefined || c === '') return '';
    return typeof c === 'string' ? c : c.toFixed(2);
  }
  /** A search by orderNo reads the order itself: the same columns as a list row, from its view. */
  function rowOfView(v) {
    var cash = v.setlinfo ? v.setlinfo.psn_cash_pay : v.wuqi ? v.wuqi.cash : undefined;
    var started = v.events && v.events.length > 0 ? v.events[0].at : undefined;
    return {
      orderNo: v.orderNo,
      status: v.status,
      route: v.route,
      channel: v.channel,
      cashAmount: cash === undefined ? undefined : String(cash),
      startedAt: started,
    };
  }
  async function search() {
    var by = $('search-by').value;
    var text = $('search-text').value.trim();
    $('order-detail').hidden = true;
    var items;
    if (by === 'orderNo') {
      try {
        var v = await s.api('/api/settlements/' + encodeURIComponent(text));
        items = [rowOfView(v)];
      } catch (err) {
        if (err.code !== 'ORDER_NOT_FOUND' && err.code !== 'VALIDATION_FAILED') throw err;
        items = [];
      }
    } else if (by === 'status') {
      text = text.toUpperCase();
      if (STATUSES.indexOf(text) < 0)
        throw new Error(
          '状态须为 status is one of ' +
            STATUSES.map(function (x) {
              return m.status(x) + ' ' + x;
            }).join(', '),
        );
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
    return el(
      'p',
      { class: 'reason', dataset: { warning: 'insuplc-default' } },
      '⚠ 参保地 insuplc_admdvs ' +
        (v.insuplcAdmdvs || '(none)') +
        " 取自默认配置，1101 未能查明本人参保地，退款或对账前请核对 · is the configured default: 1101 could not tell the person's own (PERSON_INFO_DEFAULT). Check it before a refund or reconciliation.",
    );
  }
  async function showOrder(orderNo) {
    var v = await s.api('/api/settlements/' + encodeURIComponent(orderNo));
    var si = v.setlinfo || {};
    var d = $('order-detail');
    d.replaceChildren(
      el('h3', {}, v.orderNo, ' ', statusBadge(v.status), ' ', uiLink(v.orderNo)),
      reasonCell('p', {}, v.reason),
      insuplcWarning(v),
      el(
        'p',
        {},
        '医疗费总额 medfee ¥' +
          v.medfeeSumamt +
          (v.setlinfo ? ' · 基金支付 fund ¥' + si.fund_pay_sumamt + ' · 个人账户 acct ¥' + si.acct_pay + ' · 个人现金 cash ¥' + si.psn_cash_pay : '') +
          (v.route ? ' · ' + v.route : '') +
          (v.channel ? ' · ' + v.channel : ''),
        v.refund ? [' · 退款 refund ', statusBadge(v.refund.status)] : null,
      ),
      v.refund && v.refund.reason ? reasonCell('p', { dataset: { refund: 'true' } }, 'refund: ' + v.refund.reason) : '', // replaceChildren would print null
      el(
        'table',
        {},
        el('thead', {}, el('tr', {}, th('时间', 'at'), th('事件', 'event'), th('说明', 'detail'))),
        el(
          'tbody',
          {},
          (v.events || []).map(function (ev) {
            return el('tr', {}, el('td', {}, time(ev.at)), el('td', { class: 'mono' }, ev.type), el('td', {}, ev.detail || ''));
          }),
        ),
      ),
    );
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
