import { apiClient } from '../helpers/api-client';
import { startStack, type Stack } from '../helpers/stack';

// Issue 20 item 12: GET /api/settlements/{orderNo} answers while no worker can answer the status query,
// from the status memo the workflow writes at each status change (and the API at the start).

let stack: Stack;
let api: ReturnType<typeof apiClient>;
const EMPLOYEE = '801874939';

beforeAll(async () => {
  stack = await startStack();
  api = apiClient(stack.api.url);
}, 120_000);
afterAll(() => stack?.close());

test('with the worker stopped: 200 from the kept status (source visibility), a PAID order and one never picked up', async () => {
  const paid = await api.settle(stack.sim.platform.issueToken('employee'), EMPLOYEE, '100.00');
  const live = await api.until(paid, (v) => v.status === 'PAID');
  expect(live.source).toBe('workflow');

  await stack.stopWorker();
  try {
    const started = Date.now();
    const r = await api.get(paid);
    expect(r.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(5_000);
    // what the memo keeps agrees with the workflow's own answer; events and setlinfo are not kept
    expect(r.body).toMatchObject({ orderNo: paid, status: 'PAID', reason: 'by push', source: 'visibility', medfeeSumamt: '100.00', route: 'NATIONAL' });
    expect(r.body).toMatchObject({ settledAt: live.settledAt, channel: live.channel, amount: live.amount, ecToken: live.ecToken });
    expect(r.body.events).toEqual([]);
    expect(r.body.setlinfo).toBeUndefined();

    // an order started while no worker runs: the API's memo at the start answers PROCESSING
    const waiting = await api.settle(stack.sim.platform.issueToken('employee'), EMPLOYEE, '20.00');
    const p = await api.get(waiting);
    expect(p.status).toBe(200);
    expect(p.body).toMatchObject({ orderNo: waiting, status: 'PROCESSING', medfeeSumamt: '20.00', step: 'STARTED', source: 'visibility' });
    // a long poll cannot be served by an Update without a worker: the kept status answers at once
    const longPoll = await api.typed.GET('/api/settlements/{orderNo}', { params: { path: { orderNo: waiting }, query: { wait: 10 } } });
    expect(longPoll.response.status).toBe(200);
    expect(longPoll.data).toMatchObject({ status: 'PROCESSING', source: 'visibility' });

    expect((await api.get(`H31011000053${'9'.repeat(23)}`)).status).toBe(404);
  } finally {
    await stack.startWorker();
  }
  const back = await api.until(paid, (v) => v.source === 'workflow', 20_000);
  expect(back.events.length).toBeGreaterThan(0);
}, 90_000);
