// The patient's checkout: person -> e-voucher QR -> pay -> live status -> refund, all through /api.
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

var $ = function (id) { return document.getElementById(id); };
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
  $('persons').replaceChildren.apply($('persons'), r.items.map(function (p) {
    var national = p.route === 'NATIONAL';
    var b = el('button', {
      type: 'button', 'aria-pressed': 'false', dataset: { person: p.id },
      title: national ? 'psn_no ' + p.psnNo : 'settles in 五期: this demo sends the national 2207 bill only',
      onclick: function (e) { pick(p, e.currentTarget).catch(failed); },
    }, p.id + ' · ' + p.route);
    b.disabled = !national;
    return b;
  }));
}

async function pick(p, button) {
  Array.prototype.forEach.call($('persons').children, function (b) { b.setAttribute('aria-pressed', String(b === button)); });
  state.person = p;
  state.voucher = await s.api('/demo/voucher', { method: 'POST', json: { personId: p.id } });
  state.idem = 'demo-' + (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random());
  // The SVG comes from the qrcode library on our server, from the simulator's code only.
  $('qr').innerHTML = state.voucher.svg;
  $('qr-text').textContent = state.voucher.ecQrCode;
  $('pay-amount').textContent = $('medfee').value;
  $('step-voucher').hidden = false;
  $('pay').disabled = false;
  $('step-status').hidden = true;
  say('');
}
$('medfee').addEventListener('input', function () { $('pay-amount').textContent = $('medfee').value; });

$('pay').addEventListener('click', async function () {
  $('pay').disabled = true;
  try {
    var r = await must(client.POST('/api/settlements', {
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
          medfee_sumamt: $('medfee').value.trim(),
          insutype: '310',
          acct_used_flag: '0',
          psn_setlway: '01',
        },
      },
    }));
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

$('refund').addEventListener('click', async function () {
  $('refund').disabled = true;
  try {
    await must(client.POST('/api/settlements/{orderNo}/refund', {
      params: { path: { orderNo: state.orderNo } },
      body: { operator: OPERATOR, reason: '患者申请退款 (demo)' },
    }));
    await watch();
  } catch (err) {
    $('refund').disabled = false;
    failed(err);
  }
});

/** Follows the order: long-poll (?wait=25) while PROCESSING, a short poll while REFUNDING. */
async function watch() {
  for (;;) {
    var v = await must(client.GET('/api/settlements/{orderNo}', { params: { path: { orderNo: state.orderNo }, query: { wait: 25 } } }));
    show(v);
    if (v.status === 'PROCESSING') continue;
    if (v.status === 'REFUNDING') {
      await new Promise(function (r) { setTimeout(r, 700); });
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
  if (v.setlinfo) {
    $('amounts').hidden = false;
    $('amt-medfee').textContent = '¥' + v.medfeeSumamt;
    $('amt-fund').textContent = '¥' + v.setlinfo.fund_pay_sumamt;
    $('amt-acct').textContent = '¥' + v.setlinfo.acct_pay;
    $('amt-cash').textContent = '¥' + v.setlinfo.psn_cash_pay;
  }
  $('refund').hidden = v.status !== 'PAID';
  $('refund').disabled = false;
  $('timeline').replaceChildren.apply($('timeline'), v.events.map(function (e) {
    return el('li', {}, e.at.slice(11, 19) + ' ' + e.type + (e.detail ? ' — ' + e.detail : ''));
  }));
  if (v.status === 'PAID') say('支付成功 Paid', 'ok');
  else if (v.status === 'REFUNDED') say('已退款 Refunded', 'ok');
  else if (v.status === 'PROCESSING' || v.status === 'REFUNDING') say('处理中… ' + v.status);
  else say(v.status + (v.reason ? ': ' + v.reason : ''), 'error');
}

s.onKey(function () { loadPersons().catch(failed); });
loadPersons().catch(failed);
