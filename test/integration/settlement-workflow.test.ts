import { se03Push } from '../../protocol/se-messages';
import { sampleWuqiBill } from '../../simulator/wuqi-samples';
import { v13Sample } from '../fixtures';
import { apiClient, hisPayRequest, operator } from '../helpers/api-client';
import { waitFor } from '../helpers/receiver';
import { startStack, type Stack } from '../helpers/stack';

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

  test('push off (the V13 test environment): polling alone ends PAID', async () => {
    stack.sim.platform.settings.pushMode = 'off';
    const orderNo = await api.settle(token('employee'), EMPLOYEE, '55.50');
    const v = await api.until(orderNo, (x) => x.status === 'PAID');
    expect(v.reason).toBe('by poll');
    expect(types(v)).not.toContain('PUSH_RECEIVED');
  });

  test('all pushes dropped: still PAID by polling', async () => {
    stack.sim.platform.faults.add({ kind: 'dropPush' });
    const orderNo = await api.settle(token('employee'), EMPLOYEE);
    const v = await api.until(orderNo, (x) => x.status === 'PAID');
    expect(v.reason).toBe('by poll');
  });

  test('ybpay: no cash part, a push without orderNo reaches its workflow', async () => {
    const orderNo = await api.settle(token('no-cash'), '801874943', '80.00');
    const v = await api.until(orderNo, (x) => x.status === 'PAID');
    expect(v.channel).toBe('ybpay');
    expect(v.setlinfo.psn_cash_pay).toBe('0.00');
    expect(v.reason).toBe('by push');
    expect(v.thirdOrderNo).toBeUndefined();
  });

  // V13's SE04 has no payStatus and cannot say "failed"; the simulator answers a failed payment's SE04 with
  // a failure text, which is read as unknown (docs/spec-readings.md). So a -1 push is never
  // confirmed: never PAID, never FAILED on a guess, NEEDS_REVIEW at the deadline, and a person decides.
  test('payStatus -1 push: unconfirmed by SE04, so NEEDS_REVIEW at the deadline (never guessed); an operator fails it', async () => {
    const orderNo = await api.settle(token('pay-fails'), '801874944');
    const v = await api.until(orderNo, (x) => x.status !== 'PROCESSING', 20_000);
    expect(v.status).toBe('NEEDS_REVIEW');
    expect(v.reason).toMatch(/^PUSH_UNCONFIRMED/);
    expect(types(v)).toContain('PUSH_RECEIVED');
    expect(types(v)).not.toContain('STATUS_PAID');
    const r = await api.resolve(orderNo, { decision: 'FAILED', operator: '财务张', note: '平台推送支付失败，渠道确认未扣款' });
    expect(r.status).toBe(200);
    expect((await api.until(orderNo, (x) => x.status === 'FAILED')).resolution).toMatchObject({ decision: 'FAILED' });
  });

  test('a wrong-amount push is not proof: SE04 is asked at once and its correct answer decides', async () => {
    stack.sim.platform.faults.add({ kind: 'wrongAmountPush' });
    const orderNo = await api.settle(token('employee'), EMPLOYEE);
    const v = await api.until(orderNo, (x) => x.status !== 'PROCESSING');
    expect(v.status).toBe('PAID');
    expect(v.reason).toBe('by poll');
    expect(v.events.find((e: any) => e.type === 'PUSH_REJECTED').detail).toMatch(/CASH_AMOUNT_MISMATCH/);
  });

  test('duplicate and late pushes are recorded and change nothing', async () => {
    stack.sim.platform.faults.add({ kind: 'duplicatePush', copies: 3 });
    const ecToken = token('employee');
    const orderNo = await api.settle(ecToken, EMPLOYEE);
    await api.until(orderNo, (x) => x.status === 'PAID');
    // a late push: the platform's failure verdict arriving after PAID
    const late = structuredClone(v13Sample('se03-push'));
    late.output = { ecToken, payStatus: '-1', payResponse: 'late failure', gmt: '2026-01-01 00:00:00', channel: 'ybpay' };
    const ack = await api.call('post', '/shyb/notify/nation', late);
    expect(ack).toEqual({ status: 200, body: { infcode: 0 } });
    const pushEvents = (x: any) => types(x).filter((t: string) => ['PUSH_RECEIVED', 'LATE_PUSH', 'DUPLICATE_PUSH'].includes(t));
    const v = await api.until(orderNo, (x) => pushEvents(x).length >= 4 && types(x).includes('LATE_PUSH'));
    expect(v.status).toBe('PAID');
    expect(v.reason).toBe('by push');
    expect(types(v).filter((t: string) => t === 'STATUS_PAID')).toHaveLength(1);
  });

  test('SE02 times out after the platform acted: SE04 finds the order, no second SE02', async () => {
    stack.sim.platform.faults.add({ kind: 'hang', infno: 'SE02', times: 1, afterProcessing: true });
    const orderNo = await api.settle(token('employee'), EMPLOYEE);
    const v = await api.until(orderNo, (x) => x.status === 'PAID');
    expect(types(v)).toContain('SE02_UNKNOWN');
    expect(types(v)).not.toContain('SE02_RESUBMIT');
    expect(se02Count(orderNo)).toBe(1);
  });

  test('SE02 failed before the platform saw it: SE04 says not found, one resubmit with a new msgid', async () => {
    stack.sim.platform.settings.pushMode = 'off';
    stack.sim.platform.faults.add({ kind: 'http5xx', infno: 'SE02', times: 1 });
    const orderNo = await api.settle(token('employee'), EMPLOYEE);
    const v = await api.until(orderNo, (x) => x.status === 'PAID');
    expect(types(v)).toEqual(expect.arrayContaining(['SE02_UNKNOWN', 'SE02_RESUBMIT', 'SE02_RECEIVED']));
    expect(se02Count(orderNo)).toBe(1);
  });

  test('QR code path: SE01 then SM01; a pIdNo that does not match is FAILED', async () => {
    const qr = stack.sim.platform.issueQrCode('employee')!.ecQrCode;
    const ok = await api.create({ ecQrCode: qr, ecQrChannel: '2', operator, payRequest: hisPayRequest(EMPLOYEE), pName: '测试职工甲', pIdNo: '310101199001011234' });
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

  test('五期 route without a 五期 bill: FAILED ROUTE_WUQI_NO_PAYREQUEST, nothing submitted', async () => {
    const orderNo = await api.settle(token('cadre'), '801874941');
    const v = await api.until(orderNo, (x) => x.status === 'FAILED');
    expect(v.reason).toBe('ROUTE_WUQI_NO_PAYREQUEST');
  });

  test('no final answer by the deadline: NEEDS_REVIEW, then resolved by an operator', async () => {
    stack.sim.platform.settings.pushMode = 'off';
    stack.sim.platform.settings.settleDelayMs = 60_000;
    const orderNo = await api.settle(token('employee'), EMPLOYEE);
    const v = await api.until(orderNo, (x) => x.status === 'NEEDS_REVIEW', 20_000);
    expect(v.reason).toMatch(/^NO_FINAL_RESULT/);
    expect((await api.resolve(orderNo, { decision: 'PAID', operator: '', note: 'x' })).status).toBe(400);
    const r = await api.resolve(orderNo, { decision: 'FAILED', operator: '财务张', note: '平台对账确认未结算' });
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('FAILED');
    expect(r.body.resolution).toMatchObject({ decision: 'FAILED', operator: '财务张' });
    const again = await api.resolve(orderNo, { decision: 'PAID', operator: '财务张', note: 'again' });
    expect(again.status).toBe(409);
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

  test('a refund without a cash part: 2208 only', async () => {
    const orderNo = await api.settle(token('no-cash'), '801874943', '40.00');
    await api.until(orderNo, (x) => x.status === 'PAID');
    await api.refund(orderNo);
    const v = await api.until(orderNo, (x) => x.status === 'REFUNDED');
    expect(v.refund.reason).toBe('no cash part');
  });

  test('SE06 answers 0 (退款中) first, then success, with pushes off', async () => {
    stack.sim.platform.settings.pushMode = 'off';
    stack.sim.platform.settings.refundProcessingMs = 1_200;
    const orderNo = await api.settle(token('employee'), EMPLOYEE);
    await api.until(orderNo, (x) => x.status === 'PAID');
    await api.refund(orderNo);
    const v = await api.until(orderNo, (x) => x.status === 'REFUNDED');
    const refundView = await stack.api.service.queries.refundView(orderNo);
    const polls = refundView.events.filter((e) => e.type === 'POLL_ANSWERED').map((e) => e.detail);
    expect(polls).toContain('refundStatus 0');
    expect(polls.at(-1)).toBe('refundStatus 1');
    expect(v.refund.status).toBe('REFUNDED');
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

  test('a refund with no final answer goes to review and an operator resolves it', async () => {
    const orderNo = await api.settle(token('employee'), EMPLOYEE);
    await api.until(orderNo, (x) => x.status === 'PAID');
    stack.sim.platform.settings.pushMode = 'off';
    stack.sim.platform.settings.refundProcessingMs = 120_000; // SE06 keeps answering 0 past the refund deadline
    await api.refund(orderNo);
    const v = await api.until(orderNo, (x) => x.status === 'NEEDS_REVIEW', 20_000);
    expect(v.reason).toMatch(/^refund: NO_FINAL_RESULT/);
    expect(v.refund.status).toBe('NEEDS_REVIEW');
    // a settlement decision does not fit a refund review
    expect((await api.resolve(orderNo, { decision: 'PAID', operator: '财务王', note: 'x' })).status).toBe(409);
    const r = await api.resolve(orderNo, { decision: 'REFUNDED', operator: '财务王', note: '渠道对账确认现金已退' });
    expect(r.status).toBe(200);
    const done = await api.until(orderNo, (x) => x.status === 'REFUNDED');
    expect(done.refund.reason).toMatch(/resolved by 财务王/);
  });

  test('the automatic cash refund fails (SE05 -1): SE07 as the remedy → REFUNDED, one 2208', async () => {
    stack.sim.platform.faults.add({ kind: 'refundFailure', infno: 'SE05', personId: 'employee', times: 1 });
    const before = stack.sim.platform.ledger().nationalCalls['2208'] ?? 0;
    const orderNo = await api.settle(token('employee'), EMPLOYEE);
    await api.until(orderNo, (x) => x.status === 'PAID');
    await api.refund(orderNo);
    const v = await api.until(orderNo, (x) => ['REFUNDED', 'REFUND_FAILED', 'NEEDS_REVIEW'].includes(x.status));
    expect(v.status).toBe('REFUNDED');
    const led = stack.sim.platform.ledger();
    expect(led.settlements.find((s: any) => s.orderNo === orderNo)).toMatchObject({ se07Calls: 1, cashRefund: { status: '1' } });
    expect((led.nationalCalls['2208'] ?? 0) - before).toBe(1);
  });

  test('a cash part that failed after its remedy is REFUND_FAILED; the retry skips 2208 and ends REFUNDED', async () => {
    stack.sim.platform.faults.add({ kind: 'refundFailure', infno: 'SE05', personId: 'employee', times: 1 });
    stack.sim.platform.faults.add({ kind: 'refundFailure', infno: 'SE07', personId: 'employee', times: 1 });
    const orderNo = await api.settle(token('employee'), EMPLOYEE);
    await api.until(orderNo, (x) => x.status === 'PAID');
    const before = stack.sim.platform.ledger().nationalCalls['2208'] ?? 0;
    await api.refund(orderNo);
    const failed = await api.until(orderNo, (x) => x.status === 'REFUND_FAILED');
    expect(failed.reason).toMatch(/CASH_REFUND_FAILED/);
    expect((await api.refund(orderNo)).status).toBe(202);
    const v = await api.until(orderNo, (x) => x.status === 'REFUNDED');
    expect(v.refund.status).toBe('REFUNDED');
    const led = stack.sim.platform.ledger();
    expect((led.nationalCalls['2208'] ?? 0) - before).toBe(1);
    expect(led.settlements.find((s: any) => s.orderNo === orderNo)).toMatchObject({ insuranceRefunded: true, se07Calls: 2, cashRefund: { status: '1' } });
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
