// The patient's checkout: person -> e-voucher QR -> pay -> live status -> refund, all through /api.
// National persons pay with the 2207 bill; 五期 persons also with an SH02 or SI12 bill, and when 五期
// refuses the payment's token for the refund (ECTOKEN_REFUSED) the patient shows a fresh e-voucher.
// An ES module: every /api call goes through the typed OpenAPI client (openapi-fetch, the same
// runtime as api/client/index.ts), with the paths and shapes of api/client/schema.ts. /demo/persons
// and /demo/voucher stand in for the patient's phone and are not part of the public API.
import createClient from '/demo/assets/openapi-fetch.mjs';

const s = window.shyb; // api/console/assets/api.js: the key handling and DOM helpers shared with /console
const el = s.el;

const client = createClient({ baseUrl: location.origin });
// The key can be entered (or forgotten) after load, so it is read per request, not fixed in headers.
client.use({
  onRequest({ request }) {
    const auth = s.authorization();
    if (auth) request.headers.set('Authorization', auth);
    return request;
  },
});

/** The body of a typed answer, or the API's error (a 401 asks for the key, as in the console). */
async function must(call) {
  const { data, error, response } = await call;
  if (error !== undefined || !response.ok) throw s.failure(response, error);
  return data;
}

var $ = function (id) {
  return document.getElementById(id);
};
var OPERATOR = { opter: 'demo01', opter_name: '演示收费员', opter_type: '5' }; // 5: internet hospital
var FINAL = ['PAID', 'FAILED', 'NEEDS_REVIEW', 'REFUNDED', 'REFUND_FAILED'];
var state = { person: null, voucher: null, orderNo: null, idem: null };

function say(text, kind) {
  $('message').textContent = text;
  $('message').className = 'message ' + (kind || '');
}
function failed(err) {
  say((err && err.message) || String(err), 'error');
}

async function loadPersons() {
  var r = await s.api('/demo/persons');
  $('persons').replaceChildren.apply(
    $('persons'),
    r.items.map(function (p) {
      return el(
        'button',
        {
          type: 'button',
          'aria-pressed': 'false',
          dataset: { person: p.id, route: p.route },
          title: p.route === 'NATIONAL' ? 'psn_no ' + p.psnNo : 'psn_no ' + p.psnNo + ', settles in 五期 with an SH02 or SI12 bill',
          onclick: function (e) {
            pick(p, e.currentTarget).catch(failed);
          },
        },
        p.id + ' · ' + p.route,
      );
    }),
  );
}

/** The patient's phone shows an e-voucher QR code (the simulator issues it): { ecQrCode, ecQrChannel, svg }. */
function voucher(personId) {
  return s.api('/demo/voucher', { method: 'POST', json: { personId: personId } });
}

async function pick(p, button) {
  Array.prototype.forEach.call($('persons').children, function (b) {
    b.setAttribute('aria-pressed', String(b === button));
  });
  state.person = p;
  state.voucher = await voucher(p.id);
  state.idem = 'demo-' + (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random());
  // The SVG comes from the qrcode library on our server, from the simulator's code only.
  $('qr').innerHTML = state.voucher.svg;
  $('qr-text').textContent = state.voucher.ecQrCode;
  $('pay-amount').textContent = $('medfee').value;
  $('wuqi-bill-label').hidden = p.route !== 'WUQI';
  $('step-voucher').hidden = false;
  $('pay').disabled = false;
  $('step-status').hidden = true;
  say('');
}
$('medfee').addEventListener('input', function () {
  $('pay-amount').textContent = $('medfee').value;
});

/**
 * The HIS's 五期 bill ({ type, xxnr } of wuqiPayRequest) for the fee: SH02 门诊挂号 (§4.3.2.2) or SI12 门诊收费
 * (§4.3.4.2) with one 明细账单, all 医保结算范围 (totalexpense = ybjsfwfyze, no self-pay items). cardtype and
 * carddata are left out: shyb-pay fills them in with the e-voucher's ecToken after SE01.
 */
function wuqiBill(type, fee) {
  var seq = String(Date.now());
  var common = { deptid: '0301', personspectag: '0', yllb: 'S11', persontype: '0', gsrdh: '', dbtype: '', xsywlx: '2', jssqxh: 'JSDEMO' + seq };
  if (type === 'SH02') {
    return {
      type: 'SH02',
      xxnr: Object.assign(common, { zlxmdm: 'ZL001', totalexpense: fee, ybjsfwfyze: fee, zhenlf: fee, ghf: '0.00', fybjsfwfyze: '0.00', jmbz: '0' }),
    };
  }
  return {
    type: 'SI12',
    xxnr: Object.assign(common, {
      zdnos: [{ zdno: 'J06.900', zdmc: '急性上呼吸道感染' }],
      jzdyh: 'JZ' + seq,
      mxzdhs: [{ mxzdh: 'MX' + seq, totalexpense: fee, ybjsfwfyze: fee, fybjsfwfyze: '0.00' }],
    }),
  };
}

/** The fee as 数字格式A ("120.00"): the input allows "120" or "120.5". */
function feeA(value) {
  var m = /^(\d{1,8})(?:\.(\d{1,2}))?$/.exec(value.trim());
  if (!m) throw new Error('the bill must be yuan with at most 2 decimals, e.g. 120.00');
  return m[1] + '.' + ((m[2] || '') + '00').slice(0, 2);
}

$('pay').addEventListener('click', async function () {
  $('pay').disabled = true;
  try {
    var fee = feeA($('medfee').value);
    var wuqi = state.person.route === 'WUQI' ? { wuqiPayRequest: wuqiBill($('wuqi-bill').value, fee) } : {};
    var r = await must(
      client.POST('/api/settlements', {
        params: { header: { 'Idempotency-Key': state.idem } }, // a double click pays once
        body: {
          ecQrCode: state.voucher.ecQrCode,
          ecQrChannel: state.voucher.ecQrChannel,
          operator: OPERATOR,
          payRequest: {
            psn_no: state.person.psnNo,
            mdtrt_id: 'DEMO' + Date.now(),
            chrg_bchno: 'SF' + Date.now(),
            med_type: '11',
            medfee_sumamt: fee,
            insutype: '310',
            acct_used_flag: '0',
            psn_setlway: '01',
          },
          ...wuqi,
        },
      }),
    );
    state.orderNo = r.orderNo;
    $('order-no').textContent = r.orderNo;
    $('step-status').hidden = false;
    $('timeline').replaceChildren();
    show({ status: r.status, events: [] });
    await watch();
  } catch (err) {
    $('pay').disabled = false;
    failed(err);
  }
});

/** Asks for the refund; `voucher` (五期, after ECTOKEN_REFUSED) is a fresh e-voucher for SK01. */
async function refund(button, voucher) {
  button.disabled = true;
  try {
    await must(
      client.POST('/api/settlements/{orderNo}/refund', {
        params: { path: { orderNo: state.orderNo } },
        body: Object.assign({ operator: OPERATOR, reason: '患者申请退款 (demo)' }, voucher || {}),
      }),
    );
    await watch();
  } catch (err) {
    button.disabled = false;
    failed(err);
  }
}
$('refund').addEventListener('click', function () {
  refund($('refund'));
});

// The fresh e-voucher: the patient's phone shows a new QR code (the simulator issues it); the checkout scans
// it into the code field, where a code can also be entered by hand. The refund decodes it (SE01) and
// checks it is the payer's before SK01 goes out with it.
$('fresh-scan').addEventListener('click', async function () {
  try {
    var v = await voucher(state.person.id);
    $('fresh-qr').innerHTML = v.svg; // from the qrcode library on our server, for the simulator's code only
    $('fresh-code').value = v.ecQrCode;
    state.freshChannel = v.ecQrChannel;
    $('refund-fresh').disabled = false;
  } catch (err) {
    failed(err);
  }
});
$('fresh-code').addEventListener('input', function () {
  $('refund-fresh').disabled = !$('fresh-code').value.trim();
});
$('refund-fresh').addEventListener('click', function () {
  refund($('refund-fresh'), { ecQrCode: $('fresh-code').value.trim(), ecQrChannel: state.freshChannel || '3' });
});

/** Follows the order: long-poll (?wait=25) while PROCESSING, a short poll while REFUNDING. */
async function watch() {
  for (;;) {
    var v = await must(client.GET('/api/settlements/{orderNo}', { params: { path: { orderNo: state.orderNo }, query: { wait: 25 } } }));
    show(v);
    if (v.status === 'PROCESSING') continue;
    if (v.status === 'REFUNDING') {
      await new Promise(function (r) {
        setTimeout(r, 700);
      });
      continue;
    }
    if (FINAL.indexOf(v.status) >= 0) return v;
  }
}

function show(v) {
  var st = $('status');
  st.textContent = v.status;
  st.dataset.status = v.status;
  $('status-reason').textContent = ['FAILED', 'NEEDS_REVIEW', 'REFUND_FAILED'].indexOf(v.status) >= 0 ? v.reason || '' : '';
  // national: the 2207 setlinfo; 五期: the verified SH02/SI12 output's parts
  var parts = v.setlinfo
    ? [v.setlinfo.fund_pay_sumamt, v.setlinfo.acct_pay, v.setlinfo.psn_cash_pay]
    : v.wuqi
      ? [v.wuqi.fund, v.wuqi.account, v.wuqi.cash]
      : null;
  if (parts) {
    $('amounts').hidden = false;
    $('amt-medfee').textContent = '¥' + v.medfeeSumamt;
    $('amt-fund').textContent = '¥' + parts[0];
    $('amt-acct').textContent = '¥' + parts[1];
    $('amt-cash').textContent = '¥' + parts[2];
  }
  $('refund').hidden = v.status !== 'PAID';
  $('refund').disabled = false;
  // 五期 refused the token (or the fresh e-voucher was not the payer's): nothing was refunded, try a fresh one
  var fresh = v.status === 'REFUND_FAILED' && v.route === 'WUQI' && /^(ECTOKEN_REFUSED|FRESH_VOUCHER_REFUSED)/.test(v.reason || '');
  if (fresh && $('fresh').hidden) {
    $('fresh-qr').replaceChildren();
    $('fresh-code').value = '';
    state.freshChannel = undefined;
  }
  $('fresh').hidden = !fresh;
  $('refund-fresh').disabled = !fresh || !$('fresh-code').value.trim();
  $('timeline').replaceChildren.apply(
    $('timeline'),
    v.events.map(function (e) {
      return el('li', {}, e.at.slice(11, 19) + ' ' + e.type + (e.detail ? ' — ' + e.detail : ''));
    }),
  );
  if (v.status === 'PAID') say('支付成功 Paid', 'ok');
  else if (v.status === 'REFUNDED') say('已退款 Refunded', 'ok');
  else if (v.status === 'PROCESSING' || v.status === 'REFUNDING') say('处理中… ' + v.status);
  else say(v.status + (v.reason ? ': ' + v.reason : ''), 'error');
}

s.onKey(function () {
  loadPersons().catch(failed);
});
loadPersons().catch(failed);
