import { spawn } from 'node:child_process';
import * as path from 'node:path';
import got from 'got';
import { toFen, formatYuan } from '../../protocol/money';
import { formatDate } from '../../protocol/shanghai-time';
import { freePort, startDevServer, type DevServer } from '../../scripts/dev-server';
import { v13Sample } from '../fixtures';
import { sampleWuqiBill } from '../../routes/wuqi/simulator/samples';
import { apiClient } from '../helpers/api-client';
import { startStack, type Stack } from '../helpers/stack';

// A mixed simulated day on its own dev server, so the report holds exactly this day's orders.
let server: DevServer;
let stack: Stack;
let api: ReturnType<typeof apiClient>;
/** The Shanghai day of this file's orders, taken when they are made (not at module load). */
let today: string;
const orders: Record<string, string> = {};

beforeAll(async () => {
  server = await startDevServer({ port: await freePort(), headless: true });
  stack = await startStack({ TEMPORAL_ADDRESS: server.address });
  api = apiClient(stack.api.url);
  const p = stack.sim.platform;
  const settle = (person: string, psnNo: string, medfee: string, extra = {}) => api.settle(p.issueToken(person), psnNo, medfee, extra);
  today = formatDate(Date.now());
  orders.paidA = await settle('employee', '801874939', '123.45');
  orders.paidB = await settle('resident', '801874942', '88.88');
  orders.ybpay = await settle('no-cash', '801874943', '66.60');
  orders.failed = await settle('pay-fails', '801874944', '10.00');
  await api.until(orders.paidA, (v) => v.status === 'PAID');
  // the one wrong-amount push goes to this order alone; a push is not proof, and SE04 cannot answer
  // until the deadline, so the order goes to review (the platform did settle it)
  p.faults.add({ kind: 'wrongAmountPush', personId: 'employee', times: 1 });
  p.faults.add({ kind: 'http5xx', infno: 'SE04', personId: 'employee' });
  orders.review = await settle('employee', '801874939', '20.00');
  await api.until(orders.review, (v) => v.status === 'NEEDS_REVIEW', 30_000);
  p.faults.clear();
  orders.refundCash = await settle('employee', '801874939', '300.00');
  orders.refundYb = await settle('no-cash', '801874943', '45.00');
  orders.refundWuqi = await settle('mutual-aid', '801874940', '100.00', { wuqiPayRequest: sampleWuqiBill('SI12', '100.00') });
  for (const k of ['paidA', 'paidB', 'ybpay', 'refundCash', 'refundYb', 'refundWuqi']) await api.until(orders[k]!, (v) => v.status === 'PAID');
  // a -1 push that V13's SE04 cannot confirm: review at the deadline, and finance fails it
  await api.until(orders.failed!, (v) => v.status === 'NEEDS_REVIEW', 30_000);
  await api.resolve(orders.failed!, { decision: 'FAILED', operator: '财务李', note: '推送支付失败，渠道确认未扣款' });
  await api.until(orders.failed!, (v) => v.status === 'FAILED');
  await api.until(orders.review!, (v) => v.status === 'NEEDS_REVIEW');
  await api.refund(orders.refundCash!);
  await api.refund(orders.refundYb!);
  await api.refund(orders.refundWuqi!);
  await api.until(orders.refundWuqi!, (v) => v.status === 'REFUNDED');
  await api.until(orders.refundCash!, (v) => v.status === 'REFUNDED');
  await api.until(orders.refundYb!, (v) => v.status === 'REFUNDED');
  await api.call('post', '/shyb/notify/nation', v13Sample('se03-push')); // an orphan
}, 120_000);

afterAll(async () => {
  await stack?.close();
  await server?.stop();
});

test('the reconciliation balances against the simulator ledger to the fen', async () => {
  const r = await api.reconciliation(today);
  expect(r.status).toBe(200);
  const report = r.body;
  const ours = new Set(Object.values(orders));
  const ledger = stack.sim.platform.ledger().settlements.filter((s: any) => ours.has(s.orderNo));
  // The platform settled the review order, we did not count it: the gap must be exactly the flagged item.
  const flagged = new Set(report.flags.needsReview.map((f: any) => f.orderNo));
  const gap = ledger.filter((s: any) => flagged.has(s.orderNo) && s.status === 'PAID');
  expect(gap.map((s: any) => [s.orderNo, s.medfee])).toEqual([[orders.review, '20.00']]);
  const paid = ledger.filter((s: any) => s.status === 'PAID' && !flagged.has(s.orderNo));
  const sumFen = (xs: string[]) => xs.reduce((a, x) => a + toFen(x), 0);
  // net = what was settled minus what was refunded, per the platform's own books
  const medfee = sumFen(paid.map((s: any) => s.medfee)) - sumFen(paid.filter((s: any) => s.insuranceRefunded).map((s: any) => s.medfee));
  const cash = sumFen(paid.map((s: any) => s.cash)) - sumFen(paid.filter((s: any) => s.cashRefund?.status === '1').map((s: any) => s.cashRefund.amount));
  expect(report.totals.net.medfee_sumamt).toBe(formatYuan(medfee));
  expect(report.totals.net.psn_cash_pay).toBe(formatYuan(cash));
  expect(toFen(report.totals.net.fund_pay_sumamt) + toFen(report.totals.net.acct_pay) + toFen(report.totals.net.psn_cash_pay)).toBe(medfee);
  // every order appears; refunds appear as negative rows
  expect(new Set(report.rows.map((x: any) => x.orderNo))).toEqual(ours);
  const refundRow = report.rows.find((x: any) => x.type === 'REFUND' && x.orderNo === orders.refundCash);
  expect(refundRow.medfee_sumamt).toBe('-300.00');
  expect(refundRow.psn_cash_pay).toBe('-90.00');
  // a 五期 refund row: SK01's 退回数, to the fen of what the settlement paid
  const wuqiView = (await api.get(orders.refundWuqi!)).body;
  const wuqiRefund = report.rows.find((x: any) => x.type === 'REFUND' && x.orderNo === orders.refundWuqi);
  expect(wuqiRefund).toMatchObject({
    lsh: wuqiView.wuqi.lsh,
    medfee_sumamt: '-100.00',
    psn_cash_pay: formatYuan(-toFen(wuqiView.wuqi.cash)),
    fund_pay_sumamt: formatYuan(-toFen(wuqiView.wuqi.fund)),
  });
  expect(wuqiRefund.reason).not.toMatch(/INSURANCE_OUTPUT_MISSING/);
  // per channel: wechat = paidA + review? no: only PAID and refunds move money
  expect(report.totals.byChannel.wechat.psn_cash_pay).toBe(formatYuan(toFen('37.04') + toFen('90.00') - toFen('90.00')));
  expect(report.totals.byStatus['SETTLEMENT:FAILED'].count).toBe(1);
  // flags
  expect(report.flags.needsReview).toEqual([{ orderNo: orders.review, reason: expect.stringContaining('CASH_AMOUNT_MISMATCH') }]);
  expect(report.flags.pushQueryMismatches.map((m: any) => m.orderNo)).toContain(orders.review);
  expect(report.flags.orphanPushes.map((o: any) => o.ecToken)).toContain('310000ect7tf9a003v0b230aa80000f60289ab');
});

test('the reconciliation as CSV: Chinese headers and Shanghai times by default', async () => {
  const res = await got.get(`${stack.api.url}/api/reconciliation?date=${today}`, { headers: { accept: 'text/csv' } });
  expect(res.headers['content-type']).toMatch(/text\/csv/);
  expect(res.headers['content-language']).toBe('zh-CN');
  expect(res.headers['content-disposition']).toBe(`attachment; filename="reconciliation-${today}.csv"`);
  expect(res.rawBody.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf])); // UTF-8 BOM, for Excel
  const lines = res.body
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\n');
  expect(lines[0]).toBe('类型,订单号,时间（北京时间）,状态,结算ID,医疗费总额,基金支付总额,个人账户支付,个人现金支付,支付渠道,交易流水号,账单时间,原因');
  expect(lines).toHaveLength(1 + 8 + 3);
  // the time column is the row's instant in Shanghai (UTC+8, no daylight saving), not its ISO UTC text
  const report = (await api.reconciliation(today)).body;
  const first = report.rows[0];
  const shanghai = new Date(Date.parse(first.at) + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
  expect(lines[1]!.split(',').slice(0, 3)).toEqual([first.type, first.orderNo, shanghai]);
  expect((await api.call('get', '/api/reconciliation?date=2026-13-45')).status).toBe(400);
  expect((await api.call('get', `/api/reconciliation?date=${today}&lang=fr`)).status).toBe(400);
});

test('the English CSV on request: ?lang=en, or an Accept-Language preferring English', async () => {
  const english = 'type,orderNo,at,status,setl_id,medfee_sumamt,fund_pay_sumamt,acct_pay,psn_cash_pay,channel,tradeNo,billTime,reason';
  const byQuery = await got.get(`${stack.api.url}/api/reconciliation?date=${today}&lang=en`, { headers: { accept: 'text/csv', 'accept-language': 'zh-CN' } });
  const byHeader = await got.get(`${stack.api.url}/api/reconciliation?date=${today}`, { headers: { accept: 'text/csv', 'accept-language': 'en-US,en;q=0.9' } });
  for (const res of [byQuery, byHeader]) {
    expect(res.headers['content-language']).toBe('en');
    const lines = res.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toBe(english);
    expect(lines).toHaveLength(1 + 8 + 3);
    expect(lines[1]).toMatch(/^(SETTLEMENT|REFUND),[A-Z0-9]{35},\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z,/); // ISO UTC, as before
  }
});

test("a refunded order's SETTLEMENT row keeps the settlement's own reason, its REFUND row the refund's", async () => {
  const report = (await api.reconciliation(today)).body;
  const view = (await api.get(orders.refundCash!)).body;
  const rows = report.rows.filter((x: any) => x.orderNo === orders.refundCash);
  const paidEvent = view.events.find((e: any) => e.type === 'STATUS_PAID');
  expect(paidEvent?.detail).toBeTruthy();
  expect(rows.find((x: any) => x.type === 'SETTLEMENT').reason).toBe(paidEvent.detail);
  expect(rows.find((x: any) => x.type === 'REFUND').reason).toBe(view.refund.reason ?? '');
  expect(view.reason).not.toBe(paidEvent.detail); // the view's own reason follows the refund
});

test('the review queue lists reasons; the resolve CLI resolves with operator and note', async () => {
  const q = await api.reviews();
  expect(q.body.items).toEqual([expect.objectContaining({ orderNo: orders.review, reason: expect.stringContaining('MISMATCH') })]);
  // the CLI reads the same deployment: its Temporal, task queue (lists are per task queue) and payload key
  const env = {
    ...process.env,
    TEMPORAL_ADDRESS: stack.config.TEMPORAL_ADDRESS,
    TEMPORAL_TASK_QUEUE: stack.config.TEMPORAL_TASK_QUEUE,
    DATA_DIR: stack.config.dataDir,
    LOG_LEVEL: 'silent',
  };
  const list = await runCli(['scripts/resolve.ts', '--list'], env);
  expect(list.out).toContain(orders.review);
  const res = await runCli(
    ['scripts/resolve.ts', '--order', orders.review!, '--decision', 'FAILED', '--operator', '财务李', '--note', '平台确认金额不符，已人工退回'],
    env,
  );
  expect(res.code).toBe(0);
  expect(res.out).toContain('is now FAILED');
  const v = (await api.get(orders.review!)).body;
  // the whole answer on a mismatch, so a failure says what came back instead
  expect(v).toMatchObject({ status: 'FAILED', resolution: { decision: 'FAILED', operator: '财务李' } });
  const rec = await runCli(['scripts/reconcile.ts', '--date', today], env);
  expect(rec.code).toBe(0);
  expect(rec.out).toMatch(/Net: .*"medfee_sumamt"/);
}, 60_000);

test('an orphan push can be matched to an order, once', async () => {
  const inbox = (await api.inbox(today)).body.items;
  const idx = inbox.findIndex((i: any) => i.ecToken === '310000ect7tf9a003v0b230aa80000f60289ab');
  expect(idx).toBeGreaterThanOrEqual(0);
  const m = await api.match(today, idx, { orderNo: orders.paidA!, operator: '财务李' });
  expect(m.status).toBe(200);
  expect(m.body.matchedOrderNo).toBe(orders.paidA);
  expect((await api.match(today, idx, { orderNo: orders.paidA!, operator: '财务李' })).status).toBe(409);
});

test('metrics move with the traffic', async () => {
  const text = (await got.get(`${stack.api.url}/metrics`)).body;
  const value = (re: RegExp) => Number(re.exec(text)?.[1] ?? NaN);
  expect(value(/shyb_settlements_final_total\{status="PAID",route="NATIONAL"\} (\d+)/)).toBeGreaterThanOrEqual(5);
  expect(value(/shyb_settlements_final_total\{status="REFUNDED",route="NATIONAL"\} (\d+)/)).toBeGreaterThanOrEqual(2);
  expect(value(/shyb_pushes_total\{kind="SE03",outcome="received"\} (\d+)/)).toBeGreaterThanOrEqual(5);
  expect(value(/shyb_pushes_total\{kind="SE03",outcome="orphan"\} (\d+)/)).toBeGreaterThanOrEqual(1);
  expect(value(/shyb_polls_total\{infno="SE04",outcome="result"\} (\d+)/)).toBeGreaterThanOrEqual(5);
  expect(value(/shyb_se02_latency_seconds_count\{route="NATIONAL",outcome="ok"\} (\d+)/)).toBeGreaterThanOrEqual(7);
  expect(value(/shyb_push_to_final_seconds_count (\d+)/)).toBeGreaterThanOrEqual(1);
  const before = value(/shyb_pushes_total\{kind="SE03",outcome="rejected"\} (\d+)/) || 0;
  await api.call('post', '/shyb/notify/nation', { infno: 'SE03' });
  const after = Number(/shyb_pushes_total\{kind="SE03",outcome="rejected"\} (\d+)/.exec((await got.get(`${stack.api.url}/metrics`)).body)![1]);
  expect(after).toBe(before + 1);
});

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  const root = path.resolve(__dirname, '../..');
  return new Promise((resolve) => {
    const c = spawn(path.join(root, 'node_modules/.bin/tsx'), args, { cwd: root, env });
    let out = '';
    c.stdout.on('data', (d) => (out += d));
    c.stderr.on('data', (d) => (out += d));
    c.on('exit', (code) => resolve({ code, out }));
  });
}
