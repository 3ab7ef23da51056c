import got from 'got';
import { apiClient } from '../helpers/api-client';
import { startStack, type Stack } from '../helpers/stack';

// The audited SE07 remedy over HTTP (POST /api/settlements/{orderNo}/refund/remedy), with the simulator:
// a cash refund that never happens is NEEDS_REVIEW CASH_REFUND_NOT_SEEN without SE07 (SETTLEMENT_TIMING's
// cashGraceMs is 1 s in the test stack); a person's remedy then asks SE06, sends SE07 once, and the order
// is REFUNDED. A remedy on an order not in review is a 409 problem.
let stack: Stack;
let api: ReturnType<typeof apiClient>;
const EMPLOYEE = '801874939';
const token = (personId: string) => stack.sim.platform.issueToken(personId);
const ledgerRow = (orderNo: string) => stack.sim.platform.ledger().settlements.find((s: any) => s.orderNo === orderNo);
const se07Sent = () => stack.sim.platform.ledger().nationalCalls.SE07 ?? 0;
const remedy = (orderNo: string, body: unknown) =>
  got.post(`${stack.api.url}/api/settlements/${orderNo}/refund/remedy`, {
    json: body as Record<string, unknown>,
    throwHttpErrors: false,
    responseType: 'json',
    retry: { limit: 0 },
  });
const types = (v: { events: Array<{ type: string }> }) => v.events.map((e) => e.type);

beforeAll(async () => {
  stack = await startStack();
  api = apiClient(stack.api.url);
});
afterAll(() => stack?.close());
beforeEach(() => stack.sim.platform.faults.clear());

test('a cash refund never seen is NEEDS_REVIEW CASH_REFUND_NOT_SEEN with no SE07; the remedy route sends SE07 once and the order is REFUNDED', async () => {
  stack.sim.platform.faults.add({ kind: 'cashRefundStuck', personId: 'employee' });
  const orderNo = await api.settle(token('employee'), EMPLOYEE, '100.00');
  const paid = await api.until(orderNo, (x) => x.status === 'PAID');
  const se07Before = se07Sent();
  expect((await api.refund(orderNo)).status).toBe(202);
  const review = await api.until(orderNo, (x) => ['REFUNDED', 'REFUND_FAILED', 'NEEDS_REVIEW'].includes(x.status), 20_000);
  expect(review.status).toBe('NEEDS_REVIEW');
  expect(review.refund).toMatchObject({ status: 'NEEDS_REVIEW', reason: expect.stringMatching(/^CASH_REFUND_NOT_SEEN: /) });
  expect(ledgerRow(orderNo)).toMatchObject({ insuranceRefunded: true, se07Calls: 0, cashRefund: null });
  expect(se07Sent()).toBe(se07Before);
  const queue = (await api.reviews()).body.items.find((i: any) => i.orderNo === orderNo);
  expect(queue?.refund?.reason).toMatch(/^CASH_REFUND_NOT_SEEN/);

  const r = await remedy(orderNo, { operator: '财务王', note: '中心确认现金未退，发起现金改账' });
  expect(r.statusCode).toBe(200);
  expect((r.body as any).orderNo).toBe(orderNo);
  const done = await api.until(orderNo, (x) => ['REFUNDED', 'REFUND_FAILED', 'NEEDS_REVIEW'].includes(x.status), 20_000);
  expect(done.status).toBe('REFUNDED');
  expect(done.refund).toMatchObject({ status: 'REFUNDED', cashAmount: paid.setlinfo.psn_cash_pay });
  expect(ledgerRow(orderNo)).toMatchObject({ insuranceRefunded: true, se07Calls: 1, cashRefund: { status: '1', amount: paid.setlinfo.psn_cash_pay } });
  expect(se07Sent() - se07Before).toBe(1);
  // audited: who asked and why, then SE06 before SE07 (never SE07 blindly)
  const rv = await stack.api.service.queries.refundView(orderNo);
  const events = types(rv);
  expect(rv.events.find((e) => e.type === 'REMEDY_REQUESTED')?.detail).toMatch(/by 财务王: 中心确认现金未退/);
  expect(events).toEqual(expect.arrayContaining(['REMEDY_REQUESTED', 'SE07_REMEDY']));
  expect(events.indexOf('REMEDY_REQUESTED')).toBeLessThan(events.indexOf('SE07_REMEDY'));

  // once REFUNDED the refund is closed: a second remedy is a 409 and sends nothing
  const again = await remedy(orderNo, { operator: '财务王', note: '重复' });
  expect(again.statusCode).toBe(409);
  expect(again.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(again.body).toMatchObject({ status: 409, code: 'ORDER_CLOSED' });
  expect(se07Sent() - se07Before).toBe(1);
});

test('a remedy on an order not in review is a 409 problem+json (no refund; a refund still running); a bad body is a 400; an unknown order a 404', async () => {
  const { settings } = stack.sim.platform;
  const saved = { pushMode: settings.pushMode, refundProcessingMs: settings.refundProcessingMs };
  const orderNo = await api.settle(token('employee'), EMPLOYEE, '20.00');
  await api.until(orderNo, (x) => x.status === 'PAID');
  const se07Before = se07Sent();
  // PAID, no refund yet
  const paid = await remedy(orderNo, { operator: '财务王', note: '无退款' });
  expect(paid.statusCode).toBe(409);
  expect(paid.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(paid.body).toMatchObject({ status: 409, code: 'RESOLVE_NOT_ALLOWED', detail: expect.stringMatching(/no refund/) });
  // a refund still waiting for the platform's own cash refund (SE06 answers 退款中): not in review
  Object.assign(settings, { pushMode: 'off', refundProcessingMs: 60_000 });
  try {
    await api.refund(orderNo);
    await api.until(orderNo, (x) => x.refund?.status === 'CASH_REFUNDING');
    const running = await remedy(orderNo, { operator: '财务王', note: '尚在退款' });
    expect(running.statusCode).toBe(409);
    expect(running.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(running.body).toMatchObject({ code: 'RESOLVE_NOT_ALLOWED', detail: expect.stringMatching(/only a refund in NEEDS_REVIEW/) });
    expect(ledgerRow(orderNo)).toMatchObject({ se07Calls: 0 });
    expect(se07Sent()).toBe(se07Before);
  } finally {
    Object.assign(settings, saved);
  }

  expect((await remedy(orderNo, { operator: '财务王' })).statusCode).toBe(400); // the note is required
  const unknown = await remedy('H31011000053' + '20260101000000000' + '000000', { operator: '财务王', note: 'x' });
  expect(unknown.statusCode).toBe(404);
  expect(unknown.body).toMatchObject({ code: 'ORDER_NOT_FOUND' });
});
