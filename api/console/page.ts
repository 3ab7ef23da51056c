import { html } from './page-auth';

/** The console's HTML: sections filled in by assets/console.js from /api. */
export function consolePage(o: { temporalUi: string; namespace: string; keyRequired: boolean }): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>shyb-pay · 财务控制台 Finance console</title>
<link rel="stylesheet" href="/console/assets/style.css">
<script src="/console/assets/api.js" defer></script>
<script src="/console/assets/console.js" defer></script>
<script src="/console/assets/centre.js" defer></script>
</head>
<body data-temporal-ui="${html(o.temporalUi)}" data-namespace="${html(o.namespace)}" data-key-required="${o.keyRequired}">
<header>
  <h1>shyb-pay 财务控制台 <small>Finance console</small></h1>
  <form id="key-form" class="key-form" hidden>
    <label>API key <input id="key-input" type="password" autocomplete="off" required></label>
    <button type="submit">Use key</button>
    <span class="hint">kept in this tab only (sessionStorage)</span>
  </form>
  <button id="key-forget" type="button" hidden>Forget key</button>
</header>
<nav>
  <a href="#reviews">Review queue</a> · <a href="#inbox">Orphan pushes</a> · <a href="#recon">Reconciliation</a> · <a href="#search">Search</a>
</nav>
<p id="message" class="message" role="status"></p>
<main>
<section id="reviews">
  <h2>待复核 Review queue <button id="reviews-refresh" type="button">Refresh</button></h2>
  <table id="reviews-table"><thead><tr><th>orderNo</th><th>reason</th><th>route</th><th>medfee</th><th>refund</th><th></th></tr></thead><tbody></tbody></table>
  <p id="reviews-empty" class="empty" hidden>No order needs review.</p>
  <form id="resolve-form" class="card" hidden>
    <h3>Resolve <code id="resolve-order"></code></h3>
    <p id="resolve-reason" class="reason"></p>
    <label>Decision <select id="resolve-decision" name="decision" required>
      <option value="PAID">PAID — the platform settled it</option>
      <option value="FAILED">FAILED — nothing was settled</option>
      <option value="REFUNDED">REFUNDED — the refund went through</option>
      <option value="REFUND_FAILED">REFUND_FAILED — the refund did not happen</option>
      <option value="REMEDY">SE07 现金改账 — the centre says the cash part was not refunded</option>
    </select></label>
    <label>Operator <input id="resolve-operator" name="operator" maxlength="50" required></label>
    <label>Note <textarea id="resolve-note" name="note" maxlength="500" rows="2" required></textarea></label>
    <button type="submit">Resolve</button> <button id="resolve-cancel" type="button">Cancel</button>
  </form>
</section>
<section id="inbox">
  <h2>未匹配推送 Orphan pushes
    <form id="inbox-form" class="inline"><input id="inbox-date" type="date" required> <button type="submit">Load</button></form></h2>
  <table id="inbox-table"><thead><tr><th>#</th><th>received</th><th>kind</th><th>route</th><th>ecToken</th><th>why</th><th>details</th><th>matched</th><th></th></tr></thead><tbody></tbody></table>
  <p id="inbox-empty" class="empty" hidden>No orphan push on this day.</p>
  <form id="match-form" class="card" hidden>
    <h3>Match push #<span id="match-index"></span></h3>
    <label>orderNo <input id="match-order" maxlength="35" required pattern="[A-Z0-9]{12}[0-9]{23}"></label>
    <label>Operator <input id="match-operator" maxlength="50" required></label>
    <button type="submit">Match</button> <button id="match-cancel" type="button">Cancel</button>
  </form>
</section>
<section id="recon">
  <h2>对账 Reconciliation
    <form id="recon-form" class="inline"><input id="recon-date" type="date" required> <button type="submit">Load</button> <button id="recon-csv" type="button">Download CSV</button></form></h2>
  <div id="recon-totals"></div>
  <div id="recon-flags"></div>
  <table id="recon-rows"><thead><tr><th>type</th><th>orderNo</th><th>at</th><th>status</th><th>medfee</th><th>fund</th><th>acct</th><th>cash</th><th>channel</th><th>reason</th></tr></thead><tbody></tbody></table>
</section>
<section id="search">
  <h2>查询 Search
    <form id="search-form" class="inline">
      <select id="search-by"><option value="orderNo">orderNo</option><option value="ecToken">ecToken</option><option value="status">status</option></select>
      <input id="search-text" required placeholder="H31011000053… / 310000ect… / NEEDS_REVIEW">
      <button type="submit">Search</button></form></h2>
  <table id="search-table"><thead><tr><th>orderNo</th><th>status</th><th>route</th><th>channel</th><th>cash</th><th>started</th><th>Temporal</th></tr></thead><tbody></tbody></table>
  <p id="search-empty" class="empty" hidden>Nothing found.</p>
  <div id="order-detail" class="card" hidden></div>
</section>
</main>
<footer>Personal data is masked in every view. Deep links open the order in the Temporal UI (${html(o.temporalUi)}); payloads there are encrypted and decoded only through the codec server.</footer>
</body>
</html>
`;
}
