/** The checkout demo's HTML: the patient's view of an internet-hospital checkout (assets/demo.js). */
export function demoPage(o: { keyRequired: boolean }): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>shyb-pay · 医保在线支付演示 Checkout demo</title>
<link rel="stylesheet" href="/console/assets/style.css">
<link rel="stylesheet" href="/demo/assets/demo.css">
<script src="/console/assets/api.js" defer></script>
<script src="/demo/assets/demo.js" type="module"></script>
</head>
<body data-key-required="${o.keyRequired}">
<header>
  <h1>互联网医院 · 医保在线支付 <small>Checkout demo (simulated platform)</small></h1>
  <form id="key-form" class="key-form" hidden>
    <label>API key <input id="key-input" type="password" autocomplete="off" required></label>
    <button type="submit">Use key</button>
  </form>
  <button id="key-forget" type="button" hidden>Forget key</button>
</header>
<p id="message" class="message" role="status"></p>
<main class="demo">
<section id="step-person">
  <h2>1 · 选择就诊人 Pick a test person</h2>
  <div id="persons" class="persons"></div>
  <label>医疗费用 Bill (¥) <input id="medfee" value="100.00" inputmode="decimal" pattern="\\d{1,8}(\\.\\d{1,2})?" required></label>
</section>
<section id="step-voucher" hidden>
  <h2>2 · 医保电子凭证 E-voucher</h2>
  <p>The patient shows this QR code from the 随申办 app; the checkout scans it.</p>
  <figure id="qr" class="qr"></figure>
  <p class="mono small" id="qr-text"></p>
  <label id="wuqi-bill-label" hidden>五期账单 Bill <select id="wuqi-bill">
    <option value="SH02">SH02 门诊挂号 registration</option>
    <option value="SI12">SI12 门诊收费 outpatient charges</option>
  </select></label>
  <button id="pay" type="button" class="primary">支付 Pay ¥<span id="pay-amount"></span></button>
</section>
<section id="step-status" hidden>
  <h2>3 · 支付状态 Status <output id="status" class="status"></output></h2>
  <p>orderNo <code id="order-no"></code></p>
  <p id="status-reason" class="reason"></p>
  <table id="amounts" class="amounts" hidden>
    <tr><th>医疗费总额 total</th><td id="amt-medfee" class="num"></td></tr>
    <tr><th>统筹基金 fund</th><td id="amt-fund" class="num"></td></tr>
    <tr><th>个人账户 account</th><td id="amt-acct" class="num"></td></tr>
    <tr><th>自付现金 cash</th><td id="amt-cash" class="num"></td></tr>
  </table>
  <button id="refund" type="button" hidden>退款 Refund</button>
  <div id="fresh" class="fresh" hidden>
    <p>五期 refused the e-voucher token of the payment (SK01 令牌): the patient shows a fresh e-voucher, and the refund is asked again with it.</p>
    <button id="fresh-scan" type="button">扫描新凭证 Scan a fresh e-voucher</button>
    <figure id="fresh-qr" class="qr"></figure>
    <label>电子凭证码 E-voucher code <input id="fresh-code" class="mono" maxlength="512" autocomplete="off" spellcheck="false"></label>
    <button id="refund-fresh" type="button" class="primary" disabled>用新凭证退款 Refund with this e-voucher</button>
  </div>
  <ol id="timeline" class="timeline"></ol>
</section>
</main>
<footer>Every payment here goes through the same public API as a real checkout, with the typed OpenAPI client (openapi-fetch): POST /api/settlements, GET /api/settlements/{orderNo}?wait=25, POST /api/settlements/{orderNo}/refund (五期: with a fresh e-voucher after ECTOKEN_REFUSED).</footer>
</body>
</html>
`;
}
