import { WorkflowNotFoundError } from '@temporalio/client';
import { se03Push } from '../../protocol/se-messages';
import { sampleWuqiBill } from '../../routes/wuqi/simulator/samples';
import { refundWorkflowId } from '../../workflows/messages';
import { v13Sample } from '../fixtures';
import { apiClient, hisPayRequest, operator } from '../helpers/api-client';
import { waitFor } from '../helpers/receiver';
import { startStack, type Stack } from '../helpers/stack';

// The wiring of a settlement and its refund through the real API, worker, Temporal dev server and simulator
// over HTTP: one happy path per route, the HTTP edge of refunds and resolves, the claim races. What the
// workflows decide for each platform answer is the time-skipping scenario matrix (test/timeskipping/).
let stack: Stack;
let api: ReturnType<typeof apiClient>;
const EMPLOYEE = '801874939';
const token = (personId: string) => stack.sim.platform.issueToken(personId);
const se02Count = (orderNo: string) => stack.sim.platform.ledger().se02ByOrderNo[orderNo];
const types = (v: any) => v.events.map((e: any) => e.type);

beforeAll(async () => {
  stack = await startStack();
  api = apiClient(stack.api.url);
});
afterAll(() => stack?.close());
beforeEach(() => {
  stack.sim.platform.faults.clear();
  Object.assign(stack.sim.platform.settings, { pushMode: 'on', settleDelayMs: 100, refundProcessingMs: 300 });
});

describe('settlement workflow', () => {
  test('national happy path: the SE03 push, confirmed by SE04, makes it PAID', async () => {
    const orderNo = await api.settle(token('employee'), EMPLOYEE, '100.00');
    const v = await api.until(orderNo, (x) => x.status === 'PAID');
    expect(v.route).toBe('NATIONAL');
    expect(v.reason).toBe('by push');
    expect(v.setlinfo.medfee_sumamt).toBe('100.00');
    expect(v.setlinfo.psn_cash_pay).toBe('30.00');
    expect(v.amount).toBe('30.00');
    expect(v.channel).toBe('wechat');
    expect(types(v)).toEqual(expect.arrayContaining(['ROUTED', 'SE02_RECEIVED', 'PUSH_RECEIVED', 'POLL_ANSWERED', 'STATUS_PAID']));
    expect(v.setlinfo.psn_name).toBe('测****'); // masked in the API view
    expect(se02Count(orderNo)).toBe(1);
  });

  test('ybpay: no cash part, a push without orderNo reaches its workflow', async () => {
    const orderNo = await api.settle(token('no-cash'), '801874943', '80.00');
    const v = await api.until(orderNo, (x) => x.status === 'PAID');
    expect(v.channel).toBe('ybpay');
    expect(v.setlinfo.psn_cash_pay).toBe('0.00');
    expect(v.reason).toBe('by push');
    expect(v.thirdOrderNo).toBeUndefined();
  });

  test('QR code path: SE01 then SM01; a pIdNo that does not match is FAILED', async () => {
    const qr = stack.sim.platform.issueQrCode('employee')!.ecQrCode;
    const ok = await api.create({
      ecQrCode: qr,
      ecQrChannel: '2',
      operator,
      payRequest: hisPayRequest(EMPLOYEE),
      pName: '测试职工甲',
      pIdNo: '310101199001011234',
    });
    expect(ok.status).toBe(202);
    const v = await api.until(ok.body.orderNo, (x) => x.status === 'PAID');
    expect(types(v)).toContain('SE01_DECODED');
    const qr2 = stack.sim.platform.issueQrCode('employee')!.ecQrCode;
    const bad = await api.create({ ecQrCode: qr2, ecQrChannel: '2', operator, payRequest: hisPayRequest(EMPLOYEE), pIdNo: '310101199001019999' });
    const f = await api.until(bad.body.orderNo, (x) => x.status === 'FAILED');
    expect(f.reason).toMatch(/^IDENTITY_MISMATCH/);
    expect(se02Count(bad.body.orderNo)).toBeUndefined();
  });

  test('五期 route with the HIS 五期 bill: PAID through the 五期 push', async () => {
    const orderNo = await api.settle(token('mutual-aid'), '801874940', '100.00', { wuqiPayRequest: sampleWuqiBill('SI12', '100.00') });
    const v = await api.until(orderNo, (x) => x.status === 'PAID');
    expect(v.route).toBe('WUQI');
    expect(v.reason).toBe('by push');
    expect(stack.sim.platform.ledger().settlements.find((s: any) => s.orderNo === orderNo.slice(1))?.route).toBe('WUQI');
  });
});

describe('refund workflow', () => {
  test('a refund with a cash part: 2208, then the cash part (the platform itself, or SE07 as the remedy) → REFUNDED', async () => {
    const orderNo = await api.settle(token('employee'), EMPLOYEE, '200.00');
    await api.until(orderNo, (x) => x.status === 'PAID');
    const r = await api.refund(orderNo);
    expect(r.status).toBe(202);
    const v = await api.until(orderNo, (x) => x.status === 'REFUNDED');
    expect(v.refund).toMatchObject({ status: 'REFUNDED', cashAmount: '60.00' });
    const led = stack.sim.platform.ledger().settlements.find((s: any) => s.orderNo === orderNo);
    expect(led).toMatchObject({ insuranceRefunded: true, se07Calls: 0, cashRefund: { status: '1', amount: '60.00' } });
    // a second request returns the existing refund
    const again = await api.refund(orderNo);
    expect(again.status).toBe(202);
    expect(again.body.refund.status).toBe('REFUNDED');
  });

  test('a refund is refused before PAID (409), and for an unknown order (404)', async () => {
    stack.sim.platform.settings.pushMode = 'off';
    stack.sim.platform.settings.settleDelayMs = 60_000;
    const orderNo = await api.settle(token('employee'), EMPLOYEE);
    const r = await api.refund(orderNo);
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ code: 'REFUND_NOT_ALLOWED', detail: expect.stringMatching(/only a PAID settlement can be refunded/) });
    const unknown = await api.refund('H31011000053202601010000000000000000'.slice(0, 35));
    expect(unknown).toMatchObject({ status: 404, body: { code: 'ORDER_NOT_FOUND' } });
  });

  // The resolve route finds the refund under review (the refund's own review reasons: the time-skipping matrix).
  test('a refund under review is resolved through the API: a settlement decision is a 409, REFUNDED goes to the refund', async () => {
    stack.sim.platform.faults.add({ kind: 'cashRefundStuck', personId: 'employee' }); // CASH_REFUND_NOT_SEEN after the 1 s grace
    const orderNo = await api.settle(token('employee'), EMPLOYEE);
    await api.until(orderNo, (x) => x.status === 'PAID');
    await api.refund(orderNo);
    const v = await api.until(orderNo, (x) => x.status === 'NEEDS_REVIEW', 20_000);
    expect(v.reason).toMatch(/^refund: CASH_REFUND_NOT_SEEN/);
    expect(v.refund.status).toBe('NEEDS_REVIEW');
    // a settlement decision does not fit a refund review
    expect((await api.resolve(orderNo, { decision: 'PAID', operator: '财务王', note: 'x' })).status).toBe(409);
    const r = await api.resolve(orderNo, { decision: 'REFUNDED', operator: '财务王', note: '渠道对账确认现金已退' });
    expect(r.status).toBe(200);
    const done = await api.until(orderNo, (x) => x.status === 'REFUNDED');
    expect(done.refund.reason).toMatch(/resolved by 财务王/);
  });

  // One refund model (patch one-refund-model), on a real server: the refund is the order's, no refund child runs.
  // (The old child's REFUND_WORKFLOW_FAILED, a terminated child, remains only for orders started before the patch.)
  test("a refund runs in the order's own workflow: no refund child; the refund's view is read from the order; a repeat request gets the same refund", async () => {
    const orderNo = await api.settle(token('employee'), EMPLOYEE);
    await api.until(orderNo, (x) => x.status === 'PAID');
    const before = stack.sim.platform.ledger().nationalCalls['2208'] ?? 0;
    const first = await api.refund(orderNo);
    expect(first.body.refund.workflowId).toBe(orderNo);
    const done = await api.until(orderNo, (x) => x.status === 'REFUNDED');
    expect(done.refund).toMatchObject({ workflowId: orderNo, status: 'REFUNDED' });
    await expect(stack.api.service.client.workflow.getHandle(refundWorkflowId(orderNo)).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    const rv = await stack.api.service.queries.refundView(orderNo);
    expect(rv.events.map((e) => e.type)).toEqual(expect.arrayContaining(['INSURANCE_REFUNDED', 'STATUS_REFUNDED']));
    expect((await api.refund(orderNo)).body.refund).toMatchObject({ workflowId: orderNo, status: 'REFUNDED' });
    expect((stack.sim.platform.ledger().nationalCalls['2208'] ?? 0) - before).toBe(1);
  });
});

describe('every result tied to its own order (wiring over HTTP)', () => {
  test('20 concurrent starts on one ecToken: exactly one order; the others get 409 naming it', async () => {
    const ecToken = token('employee');
    const body = () => ({ ecToken, operator, payRequest: hisPayRequest(EMPLOYEE) });
    const answers = await Promise.all(Array.from({ length: 20 }, () => api.create(body())));
    const created = answers.filter((a) => a.status === 202);
    expect(created).toHaveLength(1);
    const first = created[0]!.body.orderNo;
    for (const a of answers.filter((x) => x.status !== 202)) expect(a).toMatchObject({ status: 409, body: { code: 'ECTOKEN_IN_USE', orderNo: first } });
    await api.until(first, (x) => x.status === 'PAID');
    expect(se02Count(first)).toBe(1);
  });

  test('phantom PAID: a second order on a PAID ecToken whose SE02 would get an HTTP 500 is refused, never PAID', async () => {
    const ecToken = token('employee');
    const first = await api.settle(ecToken, EMPLOYEE);
    await api.until(first, (x) => x.status === 'PAID');
    stack.sim.platform.faults.add({ kind: 'http5xx', infno: 'SE02', times: 1 });
    const second = await api.create({ ecToken, operator, payRequest: hisPayRequest(EMPLOYEE) });
    expect(second).toMatchObject({ status: 409, body: { orderNo: first } });
    const led = stack.sim.platform.ledger();
    expect(led.settlements.filter((s: any) => s.ecToken === ecToken)).toHaveLength(1);
    expect(se02Count(first)).toBe(1);
    expect((await api.get(first)).body.status).toBe('PAID');
  });

  test('the same ecToken with another idempotency key: 409 with the first orderNo; the same key: the same order', async () => {
    const ecToken = token('employee');
    const body = { ecToken, operator, payRequest: hisPayRequest(EMPLOYEE) };
    const a = await api.create(body, { 'Idempotency-Key': `k1-${ecToken}` });
    expect(a.status).toBe(202);
    const repeat = await api.create(body, { 'Idempotency-Key': `k1-${ecToken}` });
    expect(repeat.body.orderNo).toBe(a.body.orderNo);
    const other = await api.create(body, { 'Idempotency-Key': `k2-${ecToken}` });
    expect(other).toMatchObject({ status: 409, body: { orderNo: a.body.orderNo } });
  });

  test('concurrent refund requests on a fast refund all get the refund, never a 409', async () => {
    const orderNo = await api.settle(token('no-cash'), '801874943', '40.00');
    await api.until(orderNo, (x) => x.status === 'PAID');
    const answers = await Promise.all(Array.from({ length: 20 }, () => api.refund(orderNo)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(202));
    await api.until(orderNo, (x) => x.status === 'REFUNDED');
    expect((await api.refund(orderNo)).status).toBe(202);
  });
});

describe('the push shape', () => {
  test('the simulator pushes what the receiver validates', () => {
    expect(se03Push.safeParse(v13Sample('se03-push')).success).toBe(true);
  });
});

afterAll(async () => {
  await waitFor(() => true);
});
