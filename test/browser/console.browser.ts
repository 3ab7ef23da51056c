import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatDate } from '../../protocol/shanghai-time';
import { v13Sample } from '../fixtures';
import { apiClient } from '../helpers/api-client';
import { waitFor } from '../helpers/receiver';
import { startStack, type Stack } from '../helpers/stack';
import { launch, OUTPUT_DIR, text, type TestBrowser } from './browser';

// Page functions run in the browser; tsconfig has no DOM lib, so these are declared for this file only.
declare const document: any, sessionStorage: any, localStorage: any;

// The finance console in a real browser, with API_KEYS set: the key is asked once, then a
// NEEDS_REVIEW order is resolved, an orphan push matched, the day reconciled and downloaded.
const KEY = 'console-browser-test-key';
const UI = 'http://temporal-ui.example:8080';
let stack: Stack;
let b: TestBrowser;
let api: ReturnType<typeof apiClient>;
let review: string;

/** What a clerk in Shanghai reads for an instant: UTC+8 (China has no daylight saving), yyyy-MM-dd HH:mm:ss. */
const shanghai = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');

beforeAll(async () => {
  stack = await startStack({ API_KEYS: `clerk:his+finance+ops:${KEY}`, CALLBACK_ALLOW: '127.0.0.1', TEMPORAL_UI_URL: UI });
  api = apiClient(stack.api.url, { authorization: `Bearer ${KEY}` });
  // A push whose amount differs from the settlement: the order goes to NEEDS_REVIEW.
  stack.sim.platform.faults.add({ kind: 'wrongAmountPush', personId: 'employee', times: 1 });
  // SE04 cannot confirm it (a wrong push alone is checked by SE04 at once, which would settle the order)
  stack.sim.platform.faults.add({ kind: 'http5xx', infno: 'SE04', personId: 'employee' });
  review = await api.settle(stack.sim.platform.issueToken('employee'), '801874939', '20.00');
  await api.until(review, (v) => v.status === 'NEEDS_REVIEW', 30_000);
  stack.sim.platform.faults.clear();
  // A push for an order we do not know: it lands in the day's inbox.
  expect((await api.call('post', '/shyb/notify/nation', v13Sample('se03-push'))).status).toBe(200);
  b = await launch({ expectedStatus: (s) => s === 401 }); // the page's first calls, before the key
}, 180_000);

afterAll(async () => {
  await b?.close();
  await stack?.close();
});

test('the console asks for the key once, then resolves a NEEDS_REVIEW order', async () => {
  const { page } = b;
  await page.goto(`${stack.api.url}/console`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('#key-form:not([hidden])');
  await page.type('#key-input', KEY);
  await page.click('#key-form button[type=submit]');

  const row = `#reviews-table tr[data-order-no="${review}"]`;
  await page.waitForSelector(row);
  // the reason as a Chinese sentence, its code and English beside it
  // (PUSH_UNCONFIRMED: push: CASH_AMOUNT_MISMATCH: …, the push's own defect said too)
  expect(await text(page, `${row} td.reason .zh`)).toBe(
    '推送结果未能由查询确认：截止时仍无一致的查询结果，请与平台核对（第三方支付金额与个人现金支付金额不符）',
  );
  expect(await text(page, `${row} td.reason .en`)).toMatch(
    /^PUSH_UNCONFIRMED · The push was not confirmed by an agreeing query by the deadline — push: CASH_AMOUNT_MISMATCH: /,
  );
  // column headers in Chinese, the field name beside
  expect(await page.$$eval('#reviews-table thead th', (ths: any[]) => ths.map((t) => t.firstChild.textContent.trim()))).toEqual([
    '订单号',
    '原因',
    '路径',
    '医疗费总额',
    '退款',
    '操作',
  ]);
  expect(await page.$eval(`${row} a.ui-link`, (a: any) => a.href as string)).toBe(`${UI}/namespaces/default/workflows/${review}`);

  await b.screenshot('console-review.png');

  await page.locator(`${row} button.resolve`).click();
  await page.waitForSelector('#resolve-form:not([hidden])');
  expect(await text(page, '#resolve-order')).toBe(review);
  await page.select('#resolve-decision', 'FAILED');
  await page.type('#resolve-operator', '财务李');
  await page.type('#resolve-note', '平台金额不符，已与平台核对未结算');
  await page.click('#resolve-form button[type=submit]');

  await page.waitForFunction((o: string) => document.querySelector('#message')?.textContent === `已处理 ${o}：失败 · Resolved: FAILED`, {}, review);
  await page.waitForSelector(row, { hidden: true });
  expect(await page.$eval('#reviews-empty', (e: any) => e.hidden as boolean)).toBe(false);
  // the day's reconciliation on the same page follows the resolve
  await page.waitForFunction(() => (document.querySelector('#recon-rows tbody [data-status]') as any)?.dataset.status === 'FAILED');
  expect(await text(page, '#recon-rows tbody [data-status]')).toBe('失败 FAILED');
  await b.screenshot('console-resolved.png');

  const v = (await api.get(review)).body;
  expect(v).toMatchObject({ status: 'FAILED', resolution: { decision: 'FAILED', operator: '财务李', note: '平台金额不符，已与平台核对未结算' } });
  // the key stays in this tab's sessionStorage, nowhere else
  expect(await page.evaluate(() => [sessionStorage.getItem('shyb-pay.apiKey'), localStorage.getItem('shyb-pay.apiKey')])).toEqual([KEY, null]);
});

test('search by orderNo shows the order, masked, with its deep link to the Temporal UI', async () => {
  const { page } = b;
  await page.select('#search-by', 'orderNo');
  await page.type('#search-text', review);
  await page.click('#search-form button[type=submit]');
  await page.waitForSelector('#order-detail:not([hidden])');
  expect(await text(page, '#order-detail h3')).toContain('失败 FAILED');
  expect(await text(page, '#order-detail table')).toContain('RESOLVED');
  // the resolution as a sentence; every event time in Shanghai
  expect(await text(page, '#order-detail p.reason .zh')).toBe('由 财务李 (key clerk) 人工处理：平台金额不符，已与平台核对未结算');
  const events = (await api.get(review)).body.events as Array<{ at: string }>;
  expect(await page.$$eval('#order-detail tbody tr td:first-child', (tds: any[]) => tds.map((t) => t.textContent))).toEqual(events.map((e) => shanghai(e.at)));
  // started from an ecToken without pName/pIdNo: no 1101, insuplc_admdvs is the default, and the console says so
  expect(await text(page, '#order-detail [data-warning="insuplc-default"]')).toContain('configured default');
  expect(await page.$eval(`#search-table tr[data-order-no="${review}"] a.ui-link`, (a: any) => a.href as string)).toBe(
    `${UI}/namespaces/default/workflows/${review}`,
  );
  const all = await page.evaluate(() => document.body.innerText);
  expect(all).not.toContain('测试职工甲'); // the person's name
  expect(all).not.toContain('310101199001011234'); // and ID number
  await b.screenshot('console-search.png');
});

test('a search by orderNo fills every column of its row: cash and started too', async () => {
  const { page } = b;
  const paid = await api.settle(stack.sim.platform.issueToken('employee'), '801874939', '123.45');
  const v = await api.until(paid, (x) => x.status === 'PAID');
  await page.$eval('#search-text', (e: any) => void (e.value = ''));
  await page.type('#search-text', paid);
  await page.click('#search-form button[type=submit]');
  const row = `#search-table tr[data-order-no="${paid}"]`;
  await page.waitForSelector(row);
  const cells = await page.$$eval(`${row} td`, (tds: any[]) => tds.map((t) => (t.textContent ?? '').trim()));
  expect(cells.slice(0, 6)).toEqual([paid, '已支付 PAID', 'NATIONAL', v.channel, v.setlinfo.psn_cash_pay, shanghai(v.events[0].at)]);
  expect(cells.slice(0, 6).every((c: string) => c !== '')).toBe(true);
  await page.waitForSelector('#order-detail:not([hidden])');
  await b.screenshot('console-search-paid.png');
});

test('an orphan push is matched to an order from the inbox', async () => {
  const { page } = b;
  await page.click('#inbox-form button[type=submit]');
  const row = '#inbox-table tr[data-index="0"]';
  await page.waitForSelector(row);
  expect(await text(page, row)).toContain('UNKNOWN_ECTOKEN');
  expect(await text(page, `${row} td.reason .zh`)).toBe('推送的电子凭证令牌（ecToken）找不到对应订单');
  const pushed = (await api.call('get', `/api/inbox?date=${formatDate(Date.now())}`)).body.items[0];
  expect(await text(page, `${row} time`)).toBe(shanghai(pushed.receivedAt)); // received, in Shanghai time
  await b.screenshot('console-inbox.png');
  await page.locator(`${row} button.match`).click(); // a locator retries if a reload re-renders the row
  await page.type('#match-order', review);
  await page.type('#match-operator', '财务李');
  await page.click('#match-form button[type=submit]');
  await page.waitForFunction((o: string) => document.querySelector('#inbox-table tr[data-index="0"]')?.textContent?.includes(o), {}, review);
  const inbox = (await api.call('get', `/api/inbox?date=${formatDate(Date.now())}`)).body.items;
  expect(inbox[0]).toMatchObject({ matchedOrderNo: review, matchedBy: '财务李 (key clerk)' }); // the key's name beside the operator
});

test("the day's reconciliation shows totals and downloads as CSV with a UTF-8 BOM", async () => {
  const { page } = b;
  const date = formatDate(Date.now());
  await page.click('#recon-form button[type=submit]');
  await page.waitForFunction((o: string) => document.querySelector('#recon-rows')?.textContent?.includes(o), {}, review);
  const report = (await api.call('get', `/api/reconciliation?date=${date}`)).body;
  expect(await text(page, '#recon-net [data-total="medfee_sumamt"] b')).toBe(report.totals.net.medfee_sumamt);
  expect(await text(page, '#recon-flags')).toContain('未匹配推送 orphan pushes: ');
  // each row's time is its instant in Shanghai; the review order's SETTLEMENT row says how it was resolved, in Chinese
  const reviewRow = report.rows.find((x: any) => x.orderNo === review && x.type === 'SETTLEMENT');
  const shown = await page.$$eval('#recon-rows tbody tr', (trs: any[]) =>
    trs.map((tr) => [tr.children[1].textContent, tr.children[2].textContent, tr.querySelector('time').getAttribute('datetime')]),
  );
  expect(shown).toContainEqual([review, shanghai(reviewRow.at), reviewRow.at]);
  expect(shown.map((x: string[]) => x[1])).toEqual(report.rows.map((x: any) => shanghai(x.at)));
  expect(await page.$$eval('#recon-rows thead th', (ths: any[]) => ths.map((t) => t.firstChild.textContent.trim()))).toEqual([
    '类型',
    '订单号',
    '时间',
    '状态',
    '医疗费总额',
    '基金支付',
    '个人账户',
    '个人现金',
    '支付渠道',
    '原因',
  ]);

  const session = await page.createCDPSession();
  await session.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: OUTPUT_DIR });
  const file = path.join(OUTPUT_DIR, `reconciliation-${date}.csv`);
  fs.rmSync(file, { force: true });
  await page.click('#recon-csv');
  await waitFor(() => fs.existsSync(file) && fs.statSync(file).size > 0, 10_000);
  const bytes = fs.readFileSync(file);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // one BOM, not two
  const csv = bytes.subarray(3).toString('utf8');
  const lines = csv.trim().split('\n');
  // Chinese headers and Shanghai times, though this Chromium's Accept-Language is English
  expect(lines[0]).toBe('类型,订单号,时间（北京时间）,状态,结算ID,医疗费总额,基金支付总额,个人账户支付,个人现金支付,支付渠道,交易流水号,账单时间,原因');
  expect(
    lines
      .find((l) => l.includes(review))
      ?.split(',')
      .slice(0, 3),
  ).toEqual(['SETTLEMENT', review, shanghai(reviewRow.at)]);
  expect(csv).toContain('resolved by 财务李 (key clerk): 平台金额不符'); // the Chinese text Excel must not garble
  await b.screenshot('console-reconciliation.png');

  // the English CSV, on request: field names and ISO UTC times, as before
  const en = path.join(OUTPUT_DIR, `reconciliation-${date}-en.csv`);
  fs.rmSync(en, { force: true });
  await page.click('#recon-csv-en');
  await waitFor(() => fs.existsSync(en) && fs.statSync(en).size > 0, 10_000);
  const enLines = fs.readFileSync(en).subarray(3).toString('utf8').trim().split('\n');
  expect(enLines[0]).toBe('type,orderNo,at,status,setl_id,medfee_sumamt,fund_pay_sumamt,acct_pay,psn_cash_pay,channel,tradeNo,billTime,reason');
  expect(
    enLines
      .find((l) => l.includes(review))
      ?.split(',')
      .slice(0, 3),
  ).toEqual(['SETTLEMENT', review, reviewRow.at]);

  // a range of days: from this day to the next, both included (from=&to=)
  const next = formatDate(Date.now() + 86_400_000);
  await page.$eval('#recon-to', (e: any, v: string) => void (e.value = v), next);
  const answered = page.waitForResponse((r) => r.url().endsWith(`/api/reconciliation?from=${date}&to=${next}`));
  await page.click('#recon-form button[type=submit]');
  expect((await answered).status()).toBe(200);
  const range = (await api.call('get', `/api/reconciliation?from=${date}&to=${next}`)).body;
  expect(range.rows.length).toBeGreaterThan(0);
  await page.waitForFunction((n: number) => document.querySelectorAll('#recon-rows tbody tr').length === n, {}, range.rows.length);
  expect(await text(page, '#recon-net [data-total="medfee_sumamt"] b')).toBe(range.totals.net.medfee_sumamt);
  await page.$eval('#recon-to', (e: any) => void (e.value = ''));
  expect(b.errors).toEqual([]);
});

test('the console offers "SE07 现金改账" only for a refund whose cash refund was never seen (CASH_REFUND_NOT_SEEN), and sends it', async () => {
  const { page } = b;
  const { platform } = stack.sim;
  // two national refunds in review: one whose cash refund never happens, one the platform never answers finally
  platform.faults.add({ kind: 'cashRefundStuck', personId: 'resident' });
  const notSeen = await api.settle(platform.issueToken('resident'), '801874942', '50.00');
  const noFinal = await api.settle(platform.issueToken('employee'), '801874939', '30.00');
  await Promise.all([notSeen, noFinal].map((o) => api.until(o, (v) => v.status === 'PAID')));
  const saved = { pushMode: platform.settings.pushMode, refundProcessingMs: platform.settings.refundProcessingMs };
  Object.assign(platform.settings, { pushMode: 'off', refundProcessingMs: 120_000 }); // SE06 keeps answering 退款中 for noFinal
  try {
    await Promise.all([notSeen, noFinal].map((o) => api.refund(o)));
    const [a, c] = await Promise.all([notSeen, noFinal].map((o) => api.until(o, (v) => v.status === 'NEEDS_REVIEW', 30_000)));
    expect(a.refund.reason).toMatch(/^CASH_REFUND_NOT_SEEN/);
    expect(c.refund.reason).toMatch(/^NO_FINAL_RESULT/);
  } finally {
    Object.assign(platform.settings, saved);
    platform.faults.clear();
  }

  await page.click('#reviews-refresh');
  const remedyOffered = async (orderNo: string) => {
    await page.waitForSelector(`#reviews-table tr[data-order-no="${orderNo}"]`);
    await page.locator(`#reviews-table tr[data-order-no="${orderNo}"] button.resolve`).click();
    await page.waitForFunction((o: string) => document.querySelector('#resolve-order')?.textContent === o, {}, orderNo);
    return page.$$eval('#resolve-decision option', (os: any[]) => Object.fromEntries(os.map((o) => [o.value, !o.disabled])));
  };
  expect(await remedyOffered(noFinal)).toEqual({ PAID: false, FAILED: false, REFUNDED: true, REFUND_FAILED: true, REMEDY: false });
  expect(await remedyOffered(notSeen)).toEqual({ PAID: false, FAILED: false, REFUNDED: true, REFUND_FAILED: true, REMEDY: true });
  // the refund's reason, as the clerk reads it in the form
  expect(await text(page, '#resolve-reason .zh')).toBe('退款：医保部分已退，现金部分未见退款（可申请 SE07 现金改账）');
  expect(await text(page, '#resolve-decision option[value="REMEDY"]')).toContain('SE07 现金改账');

  const se07Before = platform.ledger().nationalCalls.SE07 ?? 0;
  await page.select('#resolve-decision', 'REMEDY');
  await page.$eval('#resolve-operator', (e: any) => void (e.value = ''));
  await page.type('#resolve-operator', '财务王');
  await page.type('#resolve-note', '中心确认现金未退，现金改账');
  await page.click('#resolve-form button[type=submit]');
  await page.waitForFunction((o: string) => document.querySelector('#message')?.textContent?.startsWith(`已处理 ${o}：`), {}, notSeen);
  await page.waitForSelector(`#reviews-table tr[data-order-no="${notSeen}"]`, { hidden: true });
  const done = await api.until(notSeen, (v) => v.status !== 'NEEDS_REVIEW' && v.status !== 'REFUNDING', 20_000);
  expect(done.status).toBe('REFUNDED');
  expect((platform.ledger().nationalCalls.SE07 ?? 0) - se07Before).toBe(1);
  expect(platform.ledger().settlements.find((s: any) => s.orderNo === notSeen)).toMatchObject({ se07Calls: 1, cashRefund: { status: '1' } });
  expect(b.errors).toEqual([]);
});
