import { html } from './page-auth';

/** A column header: Chinese first, the English field name beside it (and as its title). */
function th(zh: string, en: string, cls?: string): string {
  return `<th${cls ? ` class="${cls}"` : ''} title="${html(en)}">${html(zh)} <small lang="en">${html(en)}</small></th>`;
}

/** The console's HTML: sections filled in by assets/console.js from /api (words from assets/messages.js). */
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
<script src="/console/assets/messages.js" defer></script>
<script src="/console/assets/console.js" defer></script>
<script src="/console/assets/centre.js" defer></script>
<script src="/console/assets/centre-check.js" defer></script>
<script src="/console/assets/centre-recon.js" defer></script>
</head>
<body data-temporal-ui="${html(o.temporalUi)}" data-namespace="${html(o.namespace)}" data-key-required="${o.keyRequired}">
<header>
  <h1>shyb-pay 财务控制台 <small>Finance console</small></h1>
  <form id="key-form" class="key-form" hidden>
    <label>API 密钥 <small lang="en">API key</small> <input id="key-input" type="password" autocomplete="off" required></label>
    <button type="submit">使用 <small lang="en">Use key</small></button>
    <span class="hint">只保存在本标签页 · kept in this tab only (sessionStorage)</span>
  </form>
  <button id="key-forget" type="button" hidden>忘记密钥 <small lang="en">Forget key</small></button>
</header>
<nav>
  <a href="#reviews">待复核 <small lang="en">Review queue</small></a> · <a href="#inbox">未匹配推送 <small lang="en">Orphan pushes</small></a> · <a href="#recon">对账 <small lang="en">Reconciliation</small></a> · <a href="#search">查询 <small lang="en">Search</small></a>
  <span class="tz">时间均为北京时间 <small lang="en">times in Asia/Shanghai</small></span>
</nav>
<p id="message" class="message" role="status"></p>
<main>
<section id="reviews">
  <h2>待复核 <small lang="en">Review queue</small> <button id="reviews-refresh" type="button">刷新 <small lang="en">Refresh</small></button></h2>
  <table id="reviews-table"><thead><tr>${th('订单号', 'orderNo')}${th('原因', 'reason')}${th('路径', 'route')}${th('医疗费总额', 'medfee', 'num')}${th('退款', 'refund')}${th('操作', 'actions')}</tr></thead><tbody></tbody></table>
  <p id="reviews-empty" class="empty" hidden>没有待复核的订单 · No order needs review.</p>
  <h3>中心核对差异 <small lang="en">Centre-check differences</small> <small class="hint">每日核对我方订单与中心记录（近 7 日） · the daily check of our orders against the centre, last 7 days</small></h3>
  <div id="centre-checks"></div>
  <form id="resolve-form" class="card" hidden>
    <h3>人工处理 <small lang="en">Resolve</small> <code id="resolve-order"></code></h3>
    <p id="resolve-reason" class="reason"></p>
    <label>处理结果 <small lang="en">Decision</small> <select id="resolve-decision" name="decision" required>
      <option value="PAID">已支付：平台已结算 — PAID, the platform settled it</option>
      <option value="FAILED">失败：未结算 — FAILED, nothing was settled</option>
      <option value="REFUNDED">已退款：退款已完成 — REFUNDED, the refund went through</option>
      <option value="REFUND_FAILED">退款失败：未退款 — REFUND_FAILED, the refund did not happen</option>
      <option value="REMEDY">SE07 现金改账：中心确认现金未退 — the centre says the cash part was not refunded</option>
    </select></label>
    <label>经办人 <small lang="en">Operator</small> <input id="resolve-operator" name="operator" maxlength="50" required></label>
    <label>说明 <small lang="en">Note</small> <textarea id="resolve-note" name="note" maxlength="500" rows="2" required></textarea></label>
    <button type="submit">确认处理 <small lang="en">Resolve</small></button> <button id="resolve-cancel" type="button">取消 <small lang="en">Cancel</small></button>
  </form>
</section>
<section id="inbox">
  <h2>未匹配推送 <small lang="en">Orphan pushes</small>
    <form id="inbox-form" class="inline"><input id="inbox-date" type="date" required title="业务日期（北京时间） business date"> <button type="submit">查询 <small lang="en">Load</small></button></form></h2>
  <table id="inbox-table"><thead><tr>${th('序号', '#')}${th('收到时间', 'received')}${th('类型', 'kind')}${th('路径', 'route')}${th('电子凭证令牌', 'ecToken')}${th('原因', 'why')}${th('推送内容', 'details')}${th('已匹配订单', 'matched')}${th('操作', 'actions')}</tr></thead><tbody></tbody></table>
  <p id="inbox-empty" class="empty" hidden>当日没有未匹配的推送 · No orphan push on this day.</p>
  <form id="match-form" class="card" hidden>
    <h3>匹配推送 <small lang="en">Match push</small> #<span id="match-index"></span></h3>
    <label>订单号 <small lang="en">orderNo</small> <input id="match-order" maxlength="35" required pattern="[A-Z0-9]{12}[0-9]{23}"></label>
    <label>经办人 <small lang="en">Operator</small> <input id="match-operator" maxlength="50" required></label>
    <button type="submit">确认匹配 <small lang="en">Match</small></button> <button id="match-cancel" type="button">取消 <small lang="en">Cancel</small></button>
  </form>
</section>
<section id="recon">
  <h2>对账 <small lang="en">Reconciliation</small>
    <form id="recon-form" class="inline"><input id="recon-date" type="date" required title="业务日期（北京时间） business date"> 至 <small lang="en">to</small>
      <input id="recon-to" type="date" title="截止日期（含，可空） last day, included (optional)"> <button type="submit">查询 <small lang="en">Load</small></button>
      <button id="recon-csv" type="button">下载 CSV <small lang="en">Download</small></button> <button id="recon-csv-en" type="button" class="secondary" title="English headers, ISO UTC times">CSV (English)</button></form></h2>
  <div id="recon-totals"></div>
  <div id="recon-flags"></div>
  <table id="recon-rows"><thead><tr>${th('类型', 'type')}${th('订单号', 'orderNo')}${th('时间', 'at')}${th('状态', 'status')}${th('医疗费总额', 'medfee', 'num')}${th('基金支付', 'fund', 'num')}${th('个人账户', 'acct', 'num')}${th('个人现金', 'cash', 'num')}${th('支付渠道', 'channel')}${th('原因', 'reason')}</tr></thead><tbody></tbody></table>
  <h3>中心日终对账 <small lang="en">Day close with the centre</small> <small class="hint">3201/3202 国家医保 · SL01 五期，按上方日期 · for the day above</small>
    <button id="centre-recon-load" type="button">查询 <small lang="en">Load</small></button>
    <button id="centre-recon-send" type="button" title="仅 CENTRE_RECONCILIATION=send · send mode only">发送对账 <small lang="en">Send</small></button>
    <button id="centre-recon-csv" type="button">下载 CSV <small lang="en">Download</small></button> <button id="centre-recon-csv-en" type="button" class="secondary">CSV (English)</button></h3>
  <div id="centre-recon"></div>
</section>
<section id="search">
  <h2>查询 <small lang="en">Search</small>
    <form id="search-form" class="inline">
      <select id="search-by"><option value="orderNo">订单号 orderNo</option><option value="ecToken">电子凭证令牌 ecToken</option><option value="status">状态 status</option></select>
      <input id="search-text" required placeholder="H31011000053… / 310000ect… / NEEDS_REVIEW">
      <button type="submit">查询 <small lang="en">Search</small></button></form></h2>
  <table id="search-table"><thead><tr>${th('订单号', 'orderNo')}${th('状态', 'status')}${th('路径', 'route')}${th('支付渠道', 'channel')}${th('个人现金', 'cash', 'num')}${th('开始时间', 'started')}${th('链接', 'Temporal')}</tr></thead><tbody></tbody></table>
  <p id="search-empty" class="empty" hidden>没有找到 · Nothing found.</p>
  <div id="order-detail" class="card" hidden></div>
</section>
</main>
<footer>各视图中的个人信息均已脱敏 · Personal data is masked in every view. Deep links open the order in the Temporal UI (${html(o.temporalUi)}); payloads there are encrypted and decoded only through the codec server.</footer>
</body>
</html>
`;
}
