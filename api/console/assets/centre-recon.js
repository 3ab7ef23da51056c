// 中心日终对账 Day close with the centre (GET/POST /api/reconciliations/centre): for the day chosen in the 对账
// form, our 3201 totals per group beside the centre's answer, SL01's totals and resultcollate, the discrepancies
// (with the order behind each) and the centre's rows outside shyb-pay; a CSV in Chinese (English on request).
// "Send" exists only in CENTRE_RECONCILIATION=send (the API answers 409 otherwise, shown as the message).
// Kept apart from console.js: it fills #centre-recon only.
'use strict';
(function () {
  var s = window.shyb;
  var el = s.el;
  var $ = s.byId;
  var READING = {
    balanced: ['已通过', 'passed'],
    alreadyPassed: ['此前已通过', 'passed before'],
    differences: ['不符', 'differs'],
    unknown: ['未知结果', 'unknown result'],
    notSent: ['未发送', 'not sent'],
  };
  var STATUS = s.DAY_STATUS;
  var yuan = s.yuan;
  function both(zhEn) {
    return [zhEn[0], ' ', el('small', { lang: 'en' }, zhEn[1])];
  }
  function th(zh, en, cls) {
    return el('th', cls ? { class: cls } : {}, zh, ' ', el('small', { lang: 'en' }, en));
  }
  function table(head, rows) {
    return el('table', {}, el('thead', {}, el('tr', {}, head)), el('tbody', {}, rows));
  }
  function date() {
    return $('recon-date').value;
  }

  function groups(e) {
    var result = e.send && e.send.result;
    return table(
      [
        th('险种', 'insutype'),
        th('清算类别', 'clr_type'),
        th('结算经办机构', 'setl_optins'),
        th('笔数', 'count', 'num'),
        th('医疗费总额', 'medfee', 'num'),
        th('基金支付', 'fund', 'num'),
        th('个人账户', 'account', 'num'),
        th('现金', 'cash', 'num'),
        th('中心结果', 'stmt_rslt'),
        th('说明', 'description'),
      ],
      e.national.groups.map(function (g) {
        var c =
          result &&
          result.national.find(function (n) {
            return n.insutype === g.insutype && n.clr_type === g.clr_type && n.setl_optins === g.setl_optins;
          });
        return el(
          'tr',
          { dataset: { group: g.insutype + '/' + g.clr_type + '/' + g.setl_optins, stmtRslt: c ? c.stmt_rslt : '' } },
          el('td', {}, g.insutype),
          el('td', {}, g.clr_type),
          el('td', {}, g.setl_optins),
          el('td', { class: 'num' }, g.count),
          el('td', { class: 'num' }, yuan(g.medfee)),
          el('td', { class: 'num' }, yuan(g.fund)),
          el('td', { class: 'num' }, yuan(g.account)),
          el('td', { class: 'num' }, yuan(g.cash)),
          el('td', { class: 'mono' }, c ? c.stmt_rslt || '—' : '未发送 not sent'),
          el('td', {}, c ? c.stmt_rslt_dscr : ''),
        );
      }),
    );
  }

  function sl01(e) {
    var w = e.send && e.send.result && e.send.result.wuqi;
    var fields = Object.keys(e.wuqi.sl01);
    return el(
      'div',
      { class: 'sl01', dataset: { resultcollate: w && w.resultcollate !== null ? w.resultcollate : '' } },
      el(
        'p',
        {},
        'SL01 对账 ',
        el('small', { lang: 'en' }, 'SL01'),
        ' · ',
        w
          ? [both(READING[w.reading] || [w.reading, w.reading]), ' · resultcollate ', el('code', {}, String(w.resultcollate)), ' ', w.meaning]
          : '未发送 · not sent',
      ),
      w && w.note ? el('p', { class: 'reason' }, w.note) : null,
      table(
        fields.map(function (f) {
          return el('th', {}, f);
        }),
        [
          el(
            'tr',
            {},
            fields.map(function (f) {
              return el('td', { class: 'num' }, e.wuqi.sl01[f]);
            }),
          ),
        ],
      ),
    );
  }

  function discrepancies(r) {
    if (!r) return null;
    if (r.discrepancies.length === 0 && r.outside.length === 0) return el('p', { class: 'empty' }, '无差异 · No discrepancy.');
    var ours = function (d) {
      return d.ours && typeof d.ours.medfee === 'number' ? yuan(d.ours.medfee) : '—';
    };
    return [
      el('h4', {}, '差异 ', el('small', { lang: 'en' }, 'Discrepancies')),
      table(
        [
          th('路线', 'route'),
          th('订单号', 'orderNo'),
          th('结果', 'code'),
          th('说明', 'meaning'),
          th('我方医疗费', 'ours medfee', 'num'),
          th('中心医疗费', 'centre medfee', 'num'),
        ],
        r.discrepancies.map(function (d) {
          return el(
            'tr',
            { dataset: { orderNo: d.orderNo || '', code: d.code === null ? '' : d.code } },
            el('td', {}, d.route),
            el('td', { class: 'mono' }, d.orderNo || '—'),
            el('td', { class: 'mono' }, d.code === null ? '—' : d.code),
            el('td', {}, d.meaning),
            el('td', { class: 'num' }, ours(d)),
            el('td', { class: 'num' }, d.centre ? yuan(d.centre.medfee) : '—'),
          );
        }),
      ),
      r.outside.length === 0
        ? null
        : [
            el('h4', {}, '中心有、本系统无 ', el('small', { lang: 'en' }, 'Outside shyb-pay')),
            table(
              [th('结算ID', 'setl_id'), th('报文ID', 'msgid'), th('结果', 'stmt_rslt'), th('说明', 'meaning'), th('中心医疗费', 'centre medfee', 'num')],
              r.outside.map(function (o) {
                return el(
                  'tr',
                  { class: 'outside' },
                  el('td', { class: 'mono' }, o.setlId || '—'),
                  el('td', { class: 'mono' }, o.msgid || '—'),
                  el('td', { class: 'mono' }, o.stmt_rslt),
                  el('td', {}, o.stmt_rslt_dscr),
                  el('td', { class: 'num' }, yuan(o.centre && o.centre.medfee)),
                );
              }),
            ),
          ],
    ];
  }

  function render(e) {
    var st = e.send ? STATUS[e.send.status] || [e.send.status, e.send.status] : null;
    var head = el(
      'p',
      {},
      '模式 ',
      el('small', { lang: 'en' }, 'mode'),
      ' ',
      el('code', {}, e.mode),
      e.mode === 'export' ? " · 导出供 HIS 合并对账 · exported for the HIS's own close" : '',
      st
        ? [' · 最近一次发送 ', el('small', { lang: 'en' }, 'last send'), ' ', el('span', { class: 'status', dataset: { status: e.send.status } }, both(st))]
        : '',
      e.send && e.send.retrying
        ? ' · 中心无应答，第 ' + e.send.retrying.attempt + ' 次重试 · the centre does not answer, attempt ' + e.send.retrying.attempt
        : '',
      e.send && e.send.result ? [' · ', both(e.send.result.outcome === 'balanced' ? ['平', 'balanced'] : ['有差异', 'differences'])] : '',
    );
    $('centre-recon').replaceChildren.apply(
      $('centre-recon'),
      [].concat(
        head,
        e.national.groups.length ? groups(e) : el('p', { class: 'empty' }, '当日无国家医保结算 · No national settlement that day.'),
        sl01(e),
        e.incomplete.length
          ? el(
              'p',
              { class: 'reason' },
              '未能计入 not in the totals: ' +
                e.incomplete
                  .map(function (i) {
                    return i.orderNo + ' (' + i.reason + ')';
                  })
                  .join('; '),
            )
          : [],
        discrepancies(e.send && e.send.result) || [],
      ),
    );
  }

  async function load() {
    if (!date()) return;
    render(await s.api('/api/reconciliations/centre?date=' + encodeURIComponent(date())));
  }

  async function send() {
    try {
      var r = await s.api('/api/reconciliations/centre', { method: 'POST', json: { date: date() } });
      say(date() + ' 对账已发送 · sent: ' + (STATUS[r.status] || [r.status])[0] + ' ' + r.status, 'ok');
    } catch (err) {
      show(err);
    }
    await load().catch(function () {
      return undefined;
    });
  }

  async function csv(lang) {
    var res = await s.api('/api/reconciliations/centre?date=' + encodeURIComponent(date()) + '&format=csv&lang=' + lang, {
      headers: { accept: 'text/csv' },
      raw: true,
    });
    var text = await res.text();
    var blob = new Blob([text.charCodeAt(0) === 0xfeff ? '' : '\ufeff', text], { type: 'text/csv;charset=utf-8' });
    var a = el('a', { href: URL.createObjectURL(blob), download: 'centre-reconciliation-' + date() + (lang === 'en' ? '-en' : '') + '.csv' });
    document.body.append(a);
    a.click();
    a.remove();
  }

  function say(text, kind) {
    var m = $('message');
    if (!m) return;
    m.textContent = text;
    m.className = 'message ' + (kind || '');
  }
  function show(err) {
    say(err && err.message ? err.message : String(err), 'error');
  }

  document.addEventListener('DOMContentLoaded', function () {
    if (!$('centre-recon')) return;
    $('recon-form').addEventListener('submit', function () {
      load().catch(show);
    });
    $('centre-recon-load').addEventListener('click', function () {
      load().catch(show);
    });
    $('centre-recon-send').addEventListener('click', function () {
      void send();
    });
    $('centre-recon-csv').addEventListener('click', function () {
      csv('zh').catch(show);
    });
    $('centre-recon-csv-en').addEventListener('click', function () {
      csv('en').catch(show);
    });
    s.onKey(function () {
      load().catch(show);
    });
    load().catch(show);
  });
})();
