import { verifySignature } from '../../common/webhook-signing';
import { toFen } from '../../protocol/money';
import { apiClient } from '../helpers/api-client';
import { waitFor } from '../helpers/receiver';
import { startStack, type Stack } from '../helpers/stack';
import { startWebhookReceiver } from '../helpers/webhook-receiver';

// Webhooks against a local HIS receiver that fails, times out, then accepts, on the real stack.
const SECRET = 'test-webhook-secret-0123456789';
let stack: Stack;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  receiver = await startWebhookReceiver(['fail', 'hang']);
  stack = await startStack({ HIS_WEBHOOK_URL: receiver.url, HIS_WEBHOOK_SECRET: SECRET, HIS_WEBHOOK_TIMEOUT_MS: '1000' });
  api = apiClient(stack.api.url);
}, 180_000);

afterAll(async () => {
  await stack?.close();
  await receiver?.close();
});

const hitsFor = (orderNo: string) => receiver.hits.filter((h) => h.body.orderNo === orderNo);
const accepted = (orderNo: string) => hitsFor(orderNo).filter((h) => h.answer === 'accept');

test('an outage neither delays nor changes the payment; the event is delivered, signed, once accepted', async () => {
  const orderNo = await api.settle(stack.sim.platform.issueToken('employee'), '801874939', '100.00');
  const paid = await api.until(orderNo, (v) => v.status === 'PAID');
  // The payment is final while the receiver is still refusing: the webhook is not on the payment path.
  expect(accepted(orderNo)).toHaveLength(0);
  expect(paid.events.some((e: any) => e.type.startsWith('WEBHOOK_'))).toBe(false);

  const view = await api.until(orderNo, (v) => v.events.some((e: any) => e.type === 'WEBHOOK_DELIVERED'), 30_000);
  expect(view.status).toBe('PAID');
  const hits = hitsFor(orderNo);
  expect(hits.map((h) => h.answer)).toEqual(['fail', 'hang', 'accept']);
  // Every attempt carries the same event (same id, same body); each is signed over its own timestamp.
  const id = `${orderNo}-1-PAID`;
  for (const h of hits) {
    expect(h.eventId).toBe(id);
    expect(h.rawBody).toBe(hits[0]!.rawBody);
    expect(verifySignature(SECRET, h.signature, h.rawBody)).toBe(true);
    expect(verifySignature('another-secret-0123456789', h.signature, h.rawBody)).toBe(false);
    expect(verifySignature(SECRET, h.signature, h.rawBody.replace('100.00', '1.00'))).toBe(false);
  }
  const s = paid.setlinfo;
  expect(hits[2]!.body).toEqual({
    id,
    type: 'settlement.status',
    orderNo,
    status: 'PAID',
    reason: expect.any(String),
    occurredAt: paid.settledAt,
    amounts: { medfeeSumamt: '100.00', fundPaySumamt: '70.00', acctPay: '0.00', psnCashPay: '30.00' },
  });
  expect(toFen(s.fund_pay_sumamt) + toFen(s.psn_cash_pay)).toBe(toFen('100.00'));
  // No personal data in the event.
  expect(hits[2]!.rawBody).not.toMatch(/测试|psn_name|certno|310101/);
  const delivered = view.events.find((e: any) => e.type === 'WEBHOOK_DELIVERED');
  expect(delivered.detail).toBe(`${id}: HTTP 204 on attempt 3`);
});

test('refund, review and resolve each send their own event, with distinct deterministic ids', async () => {
  // A refund: PAID then REFUNDED, both delivered (the receiver accepts from now on).
  const refunded = await api.settle(stack.sim.platform.issueToken('employee'), '801874939', '300.00');
  await api.until(refunded, (v) => v.status === 'PAID');
  expect((await api.refund(refunded)).status).toBe(202);
  await api.until(refunded, (v) => v.status === 'REFUNDED');
  await waitFor(() => accepted(refunded).length === 2, 15_000);
  const [paidEv, refundEv] = accepted(refunded).map((h) => h.body);
  expect(paidEv.id).toBe(`${refunded}-1-PAID`);
  expect(refundEv).toMatchObject({ id: `${refunded}-2-REFUNDED`, status: 'REFUNDED', amounts: { medfeeSumamt: '300.00', psnCashPay: '90.00', refundedCash: '90.00' } });

  // A wrong-amount push: NEEDS_REVIEW, then an operator's FAILED.
  stack.sim.platform.faults.add({ kind: 'wrongAmountPush', personId: 'employee', times: 1 });
  // SE04 cannot confirm it (a wrong push alone is checked by SE04 at once, which would settle the order)
  stack.sim.platform.faults.add({ kind: 'http5xx', infno: 'SE04', personId: 'employee' });
  const review = await api.settle(stack.sim.platform.issueToken('employee'), '801874939', '20.00');
  await api.until(review, (v) => v.status === 'NEEDS_REVIEW', 30_000);
  stack.sim.platform.faults.clear();
  await waitFor(() => accepted(review).length === 1, 15_000);
  expect(accepted(review)[0]!.body).toMatchObject({ id: `${review}-1-NEEDS_REVIEW`, status: 'NEEDS_REVIEW', reason: expect.stringContaining('MISMATCH') });
  expect((await api.resolve(review, { decision: 'FAILED', operator: '财务李', note: '金额不符' })).status).toBe(200);
  await waitFor(() => accepted(review).length === 2, 15_000);
  expect(accepted(review)[1]!.body).toMatchObject({ id: `${review}-2-FAILED`, status: 'FAILED', reason: expect.stringContaining('财务李') });
  const view = await api.until(review, (v) => v.events.filter((e: any) => e.type === 'WEBHOOK_DELIVERED').length === 2);
  expect(view.status).toBe('FAILED');
  for (const h of [...accepted(refunded), ...accepted(review)]) expect(verifySignature(SECRET, h.signature, h.rawBody)).toBe(true);
});

test('a delivery outlives a worker restart: the new worker delivers the same event once the HIS is back', async () => {
  receiver.outage(true);
  const orderNo = await api.settle(stack.sim.platform.issueToken('employee'), '801874939', '50.00');
  await api.until(orderNo, (v) => v.status === 'PAID');
  await waitFor(() => hitsFor(orderNo).length >= 1, 15_000);
  await stack.stopWorker(); // the worker dies between two attempts
  receiver.outage(false);
  await stack.startWorker();
  const view = await api.until(orderNo, (v) => v.events.some((e: any) => e.type === 'WEBHOOK_DELIVERED'), 60_000);
  expect(view.status).toBe('PAID');
  const hits = hitsFor(orderNo);
  expect(hits.filter((h) => h.answer === 'accept')).toHaveLength(1);
  expect(new Set(hits.map((h) => h.eventId))).toEqual(new Set([`${orderNo}-1-PAID`]));
  expect(hits.every((h) => verifySignature(SECRET, h.signature, h.rawBody))).toBe(true);
}, 90_000);
