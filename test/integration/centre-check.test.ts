import { Client, Connection } from '@temporalio/client';
import got from 'got';
import { centreCheckScheduleId } from '../../common/centre-check';
import { loadConfig } from '../../common/config';
import { dataConverter } from '../../common/data-converter';
import { createLogger } from '../../common/logger';
import { formatDate } from '../../protocol/shanghai-time';
import { sampleWuqiBill } from '../../routes/wuqi/simulator/samples';
import { ensureCentreCheckSchedule } from '../../worker/centre-check-schedule';
import { apiClient } from '../helpers/api-client';
import { startStack, type Stack } from '../helpers/stack';

// The daily check of our orders against the centre (issue 18, 3) through the real API, worker, Temporal dev
// server and the simulator over HTTP: the Schedule the worker creates, a clean day on both routes, each
// injected difference named with its order, bad dates, and a centre that is down.

let stack: Stack;
let api: ReturnType<typeof apiClient>;
let temporal: Client;
const today = () => formatDate(Date.now());
const token = (personId: string) => stack.sim.platform.issueToken(personId);
const inject = (orderNo: string, kind: string, deltaFen?: number) =>
  got.post(`${stack.sim.url}/__sim/centre/differences`, { json: { orderNo, kind, ...(deltaFen ? { deltaFen } : {}) }, responseType: 'json' });
const paidNational = async () => {
  const orderNo = await api.settle(token('employee'), '801874939', '100.00');
  await api.until(orderNo, (v) => v.status === 'PAID');
  return orderNo;
};
const paidWuqi = async () => {
  const orderNo = await api.settle(token('mutual-aid'), '801874940', '100.00', { wuqiPayRequest: sampleWuqiBill('SI12', '88.80') });
  await api.until(orderNo, (v) => v.status === 'PAID');
  return orderNo;
};
/** POST the day's check; when it answers 202, poll its Location until the run is no longer running. */
async function checkDay(date = today(), timeoutMs = 60_000) {
  const r = await api.call('post', '/api/centre-checks', { date });
  expect([200, 202]).toContain(r.status);
  if (r.status === 200) return r.body;
  const until = Date.now() + timeoutMs;
  for (;;) {
    const g = await api.call('get', `/api/centre-checks?date=${date}`);
    expect(g.status).toBe(200);
    if (g.body.status !== 'running') return g.body;
    if (Date.now() > until) throw new Error(`the check of ${date} still runs: ${JSON.stringify(g.body)}`);
    await new Promise((res) => setTimeout(res, 500));
  }
}

beforeAll(async () => {
  stack = await startStack({ CENTRE_CHECK_ENABLED: 'true', CENTRE_CHECK_RATE_PER_SECOND: '20' });
  api = apiClient(stack.api.url);
  temporal = new Client({ connection: await Connection.connect({ address: process.env.TEMPORAL_TEST_ADDRESS! }), dataConverter: dataConverter(stack.config) });
}, 60_000);
afterAll(async () => {
  await temporal?.connection.close();
  await stack?.close();
});
beforeEach(async () => {
  stack.sim.platform.faults.clear();
  await got.delete(`${stack.sim.url}/__sim/centre/differences`);
});

test('the worker created the Schedule at start: daily at 03:00 Asia/Shanghai, starting scheduledCentreCheck; a second start updates it in place', async () => {
  const id = centreCheckScheduleId(stack.config.TEMPORAL_TASK_QUEUE);
  const d = await temporal.schedule.getHandle(id).describe();
  expect(d.spec.timezone).toBe('Asia/Shanghai');
  expect(d.spec.calendars).toEqual([expect.objectContaining({ hour: [{ start: 3, end: 3, step: 1 }], minute: [{ start: 0, end: 0, step: 1 }] })]);
  expect(d.action).toMatchObject({ type: 'startWorkflow', workflowType: 'scheduledCentreCheck', taskQueue: stack.config.TEMPORAL_TASK_QUEUE });
  expect(d.policies.overlap).toBe('SKIP');
  // a worker starting again with another time: the same Schedule, updated (no error, no second one)
  const later = loadConfig({
    TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS!,
    TEMPORAL_TASK_QUEUE: stack.config.TEMPORAL_TASK_QUEUE,
    DATA_DIR: stack.config.DATA_DIR,
    CENTRE_CHECK_AT: '04:30',
    LOG_LEVEL: 'silent',
  });
  expect(await ensureCentreCheckSchedule(temporal, later, createLogger('test', 'silent'))).toBe('updated');
  const u = await temporal.schedule.getHandle(id).describe();
  expect(u.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 4, end: 4, step: 1 }], minute: [{ start: 30, end: 30, step: 1 }] });
  expect(await ensureCentreCheckSchedule(temporal, stack.config, createLogger('test', 'silent'))).toBe('updated');
  const ids: string[] = [];
  for await (const s of temporal.schedule.list()) if (s.scheduleId === id) ids.push(s.scheduleId);
  expect(ids).toEqual([id]);

  // what the Schedule starts checks the previous Shanghai day, in the day's own workflow
  await temporal.schedule.getHandle(id).trigger();
  const yesterday = formatDate(Date.now() - 86_400_000);
  let r: { status: number; body: any } | undefined;
  for (let i = 0; i < 60 && r?.body?.status !== 'finished'; i++) {
    await new Promise((res) => setTimeout(res, 500));
    r = await api.call('get', `/api/centre-checks?date=${yesterday}`);
  }
  expect(r).toMatchObject({
    status: 200,
    body: { date: yesterday, status: 'finished', workflowId: `centre-check-${stack.config.TEMPORAL_TASK_QUEUE}-${yesterday}` },
  });
});

test("the day's orders on both routes (one refunded) agree with the centre; then each injected difference is named with its order and both sides", async () => {
  const national = await paidNational();
  const wuqi = await paidWuqi();
  // a refund that day belongs to it too: both books say refunded
  const refunded = await paidNational();
  expect((await api.refund(refunded)).status).toBe(202);
  await api.until(refunded, (v) => v.status === 'REFUNDED');
  const clean = await checkDay();
  expect(clean).toMatchObject({ date: today(), status: 'finished', differences: [], unavailable: [] });
  expect(clean.total).toBeGreaterThanOrEqual(3);
  expect(clean.agreed).toBe(clean.total);
  expect(stack.sim.platform.national.received.some((m) => m.infno === '5203')).toBe(true);

  const [amount, reversed, wuqiMissing, wuqiReversed] = [await paidNational(), await paidNational(), await paidWuqi(), await paidWuqi()];
  await inject(amount, 'amount', 250);
  await inject(reversed, 'reversed');
  await inject(wuqiMissing, 'missing'); // a settlement only we have
  await inject(wuqiReversed, 'reversed');
  const day = await checkDay();
  expect(day.status).toBe('finished');
  const byOrder = Object.fromEntries(day.differences.map((d: { orderNo: string }) => [d.orderNo, d]));
  expect(Object.keys(byOrder).sort()).toEqual([amount, reversed, wuqiMissing, wuqiReversed].sort());
  expect(byOrder[amount]).toMatchObject({
    route: 'NATIONAL',
    kind: 'amount',
    asked: { query: '5203' },
    differences: expect.arrayContaining([{ field: 'medfee', ours: 10_000, centre: 10_250 }]),
  });
  expect(byOrder[reversed]).toMatchObject({ route: 'NATIONAL', kind: 'reversed', differences: [{ field: 'refunded', ours: false, centre: true }] });
  expect(byOrder[wuqiMissing]).toMatchObject({
    route: 'WUQI',
    kind: 'missing',
    asked: { query: 'SI91' },
    differences: [{ field: 'found', ours: true, centre: false }],
  });
  expect(byOrder[wuqiReversed]).toMatchObject({ route: 'WUQI', kind: 'reversed', differences: [{ field: 'paid', ours: true, centre: false }] });
  expect(day.agreed).toBe(day.total - 4);
  expect(byOrder[national] ?? byOrder[wuqi]).toBeUndefined();

  // the review queue's centre-check part lists the day with both sides; the orders themselves stay PAID
  const recent = await api.call('get', '/api/centre-checks/recent');
  expect(recent.status).toBe(200);
  expect(recent.body.items[0]).toMatchObject({ date: today(), status: 'finished' });
  expect(recent.body.items[0].differences.map((d: { orderNo: string }) => d.orderNo).sort()).toEqual(Object.keys(byOrder).sort());
  expect((await api.get(amount)).body.status).toBe('PAID');

  // the runs are counted by result (the worker's activity; this process's registry, served by the API)
  const metrics = await got(`${stack.api.url}/metrics`).text();
  expect(metrics).toMatch(/shyb_centre_check_runs_total\{result="clean"\} [1-9]/);
  expect(metrics).toMatch(/shyb_centre_check_runs_total\{result="differences"\} [1-9]/);
  expect(metrics).toMatch(/^shyb_centre_check_differences \d+$/m);
}, 120_000);

test('bad dates are 400 problems: malformed, not a calendar day, in the future, beyond the retention; a day never checked is 404', async () => {
  const tomorrow = formatDate(Date.now() + 86_400_000);
  const old = formatDate(Date.now() - 40 * 86_400_000);
  for (const [date, detail] of [
    ['2026-1-05', /YYYY-MM-DD/],
    ['2026-02-30', /YYYY-MM-DD/],
    [tomorrow, /in the future/],
    [old, /beyond the 35-day retention/],
  ] as const) {
    for (const r of [await api.call('post', '/api/centre-checks', { date }), await api.call('get', `/api/centre-checks?date=${date}`)]) {
      expect({ date, status: r.status }).toEqual({ date, status: 400 });
      expect(r.body).toMatchObject({ code: 'VALIDATION_FAILED', detail: expect.stringMatching(detail) });
    }
  }
  expect((await api.call('post', '/api/centre-checks', {})).status).toBe(400);
  const never = await api.call('get', `/api/centre-checks?date=${formatDate(Date.now() - 20 * 86_400_000)}`);
  expect(never.status).toBe(404);
  expect(never.body.code).toBe('CENTRE_CHECK_NOT_FOUND');
});

test('a centre that is down: the batch is retried and the day shows running with retrying; back up, the day finishes', async () => {
  await paidNational();
  stack.sim.platform.faults.add({ kind: 'http5xx', infno: '5203' });
  const r = await api.call('post', '/api/centre-checks', { date: today() });
  expect(r.status).toBe(202);
  expect(r.body.status).toBe('running');
  let seen: { status: string; retrying?: { attempt: number; lastFailure?: string } } | undefined;
  for (let i = 0; i < 60 && !(seen?.retrying && seen.retrying.attempt >= 2); i++) {
    await new Promise((res) => setTimeout(res, 500));
    seen = (await api.call('get', `/api/centre-checks?date=${today()}`)).body;
  }
  expect(seen).toMatchObject({ status: 'running', retrying: { attempt: expect.any(Number), lastFailure: expect.stringMatching(/no answer to 5203/) } });
  // the console's review queue shows the day as unfinished
  expect((await api.call('get', '/api/centre-checks/recent')).body.items[0]).toMatchObject({ date: today(), status: 'running' });
  stack.sim.platform.faults.clear();
  const done = await checkDay(today(), 90_000);
  expect(done).toMatchObject({ status: 'finished', differences: [], unavailable: [] });
  expect(done.agreed).toBe(done.total);
}, 150_000);
