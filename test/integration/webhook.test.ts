import got from 'got';
import { Webhook } from 'standardwebhooks';
import { toFen } from '../../protocol/money';
import { formatDate } from '../../protocol/shanghai-time';
import { apiClient } from '../helpers/api-client';
import { waitFor } from '../helpers/receiver';
import { startStack, type Stack } from '../helpers/stack';
import { startWebhookReceiver, type WebhookHit } from '../helpers/webhook-receiver';

// Standard Webhooks against a local HIS receiver that fails, times out, then accepts, on the real
// stack, in the middle of a secret rotation (HIS_WEBHOOK_SECRET=<new>,<old>), with role keys.
const NEW_SECRET = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;
const OLD_SECRET = `whsec_${Buffer.alloc(32, 2).toString('base64')}`;
const OTHER_SECRET = `whsec_${Buffer.alloc(32, 3).toString('base64')}`;
const KEYS = { his: 'his-key-0123456789abcdef', finance: 'finance-key-0123456789abcdef', ops: 'ops-key-0123456789abcdef' };
let stack: Stack;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let api: ReturnType<typeof apiClient>;
let finance: ReturnType<typeof apiClient>;

beforeAll(async () => {
  receiver = await startWebhookReceiver(['fail', 'hang']);
  stack = await startStack({
    HIS_WEBHOOK_URL: receiver.url,
    HIS_WEBHOOK_SECRET: `${NEW_SECRET},${OLD_SECRET}`,
    HIS_WEBHOOK_TIMEOUT_MS: '1000',
    API_KEYS: `his-app:his:${KEYS.his},finance-desk:finance:${KEYS.finance},oncall:ops:${KEYS.ops}`,
    CALLBACK_ALLOW: '127.0.0.1',
  });
  api = apiClient(stack.api.url, { authorization: `Bearer ${KEYS.his}` });
  finance = apiClient(stack.api.url, { authorization: `Bearer ${KEYS.finance}` });
}, 180_000);

afterAll(async () => {
  await stack?.close();
  await receiver?.close();
});

const hitsFor = (orderNo: string) => receiver.hits.filter((h) => h.body.data?.orderNo === orderNo);
const accepted = (orderNo: string) => hitsFor(orderNo).filter((h) => h.answer === 'accept');
/** The HIS's check: the standardwebhooks library, with one secret. */
const verifies = (secret: string, h: Pick<WebhookHit, 'headers' | 'rawBody'>, body = h.rawBody) => {
  try {
    new Webhook(secret).verify(body, h.headers);
    return true;
  } catch {
    return false;
  }
};
const events = async (query: string) => {
  const r = await api.call('get', `/api/events?${query}`);
  expect(r.status).toBe(200);
  return r.body as { items: any[]; nextCursor: string; hasMore: boolean };
};
const logged = async (id: string) => (await events(`date=${formatDate(Date.now())}&limit=500`)).items.find((e) => e.id === id);

test('an outage neither delays nor changes the payment; the event is delivered once accepted, and verifies with the Standard Webhooks library under either secret of the rotation', async () => {
  const orderNo = await api.settle(stack.sim.platform.issueToken('employee'), '801874939', '100.00');
  const paid = await api.until(orderNo, (v) => v.status === 'PAID');
  // The payment is final while the receiver is still refusing: the webhook is not on the payment path.
  expect(accepted(orderNo)).toHaveLength(0);
  expect(paid.events.some((e: any) => e.type.startsWith('WEBHOOK_'))).toBe(false);

  const view = await api.until(orderNo, (v) => v.events.some((e: any) => e.type === 'WEBHOOK_DELIVERED'), 30_000);
  expect(view.status).toBe('PAID');
  const hits = hitsFor(orderNo);
  expect(hits.map((h) => h.answer)).toEqual(['fail', 'hang', 'accept']);
  // Every attempt carries the same event (same webhook-id, same body); each is signed over its own timestamp.
  const id = hits[0]!.eventId!;
  expect(id).toMatch(new RegExp(`^evt_\\d{8}_${orderNo}_1$`));
  for (const h of hits) {
    expect(Object.keys(h.headers).sort()).toEqual(['webhook-id', 'webhook-signature', 'webhook-timestamp']);
    expect(h.eventId).toBe(id);
    expect(h.rawBody).toBe(hits[0]!.rawBody);
    // rotation: one v1 signature per secret; a receiver holding either one verifies, no other secret does
    expect(h.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(verifies(NEW_SECRET, h)).toBe(true);
    expect(verifies(OLD_SECRET, h)).toBe(true);
    expect(verifies(OTHER_SECRET, h)).toBe(false);
    expect(verifies(NEW_SECRET, h, h.rawBody.replace('100.00', '1.00'))).toBe(false);
  }
  const event = new Webhook(OLD_SECRET).verify(hits[2]!.rawBody, hits[2]!.headers);
  expect(event).toEqual({
    type: 'settlement.paid',
    timestamp: paid.settledAt,
    data: {
      orderNo,
      status: 'PAID',
      reason: expect.any(String),
      occurredAt: paid.settledAt,
      amounts: { medfeeSumamt: '100.00', fundPaySumamt: '70.00', acctPay: '0.00', psnCashPay: '30.00' },
    },
  });
  const s = paid.setlinfo;
  expect(toFen(s.fund_pay_sumamt) + toFen(s.psn_cash_pay)).toBe(toFen('100.00'));
  // No personal data in the event.
  expect(hits[2]!.rawBody).not.toMatch(/测试|psn_name|certno|310101/);
  const delivered = view.events.find((e: any) => e.type === 'WEBHOOK_DELIVERED');
  expect(delivered.detail).toBe(`${id}: HTTP 204 on attempt 3`);

  // The durable log holds it: first reported on the failed attempt, then delivered on the third.
  const entry = await waitFor(async () => {
    const e = await logged(id);
    return e?.delivery.state === 'delivered' ? e : undefined;
  }, 10_000);
  expect(entry).toMatchObject({
    id,
    type: 'settlement.paid',
    data: (event as { data: object }).data,
    delivery: { state: 'delivered', attempts: 3, httpStatus: 204, redeliveries: 0 },
  });
});

test('refund, review and resolve each send their own typed event, with distinct deterministic ids; the resolve records the key name', async () => {
  // A refund: settlement.paid then refund.refunded, both delivered (the receiver accepts from now on).
  const refunded = await api.settle(stack.sim.platform.issueToken('employee'), '801874939', '300.00');
  await api.until(refunded, (v) => v.status === 'PAID');
  expect((await api.refund(refunded)).status).toBe(202);
  await api.until(refunded, (v) => v.status === 'REFUNDED');
  await waitFor(() => accepted(refunded).length === 2, 15_000);
  const [paidHit, refundHit] = accepted(refunded);
  expect(paidHit!.eventId).toMatch(new RegExp(`_${refunded}_1$`));
  expect(refundHit!.eventId).toMatch(new RegExp(`_${refunded}_2$`));
  expect(paidHit!.body.type).toBe('settlement.paid');
  expect(refundHit!.body).toMatchObject({
    type: 'refund.refunded',
    data: { status: 'REFUNDED', amounts: { medfeeSumamt: '300.00', psnCashPay: '90.00', refundedCash: '90.00' } },
  });

  // A wrong-amount push: settlement.needs_review, then the finance key's FAILED: settlement.failed.
  stack.sim.platform.faults.add({ kind: 'wrongAmountPush', personId: 'employee', times: 1 });
  // SE04 cannot confirm it (a wrong push alone is checked by SE04 at once, which would settle the order)
  stack.sim.platform.faults.add({ kind: 'http5xx', infno: 'SE04', personId: 'employee' });
  const review = await api.settle(stack.sim.platform.issueToken('employee'), '801874939', '20.00');
  await api.until(review, (v) => v.status === 'NEEDS_REVIEW', 30_000);
  stack.sim.platform.faults.clear();
  await waitFor(() => accepted(review).length === 1, 15_000);
  expect(accepted(review)[0]!.body).toMatchObject({
    type: 'settlement.needs_review',
    data: { status: 'NEEDS_REVIEW', reason: expect.stringContaining('MISMATCH') },
  });
  // the HIS key may not resolve; the finance key may, and its name is recorded beside the operator
  expect((await api.resolve(review, { decision: 'FAILED', operator: '财务李', note: '金额不符' })).status).toBe(403);
  const resolved = await finance.resolve(review, { decision: 'FAILED', operator: '财务李', note: '金额不符' });
  expect(resolved.status).toBe(200);
  expect(resolved.body.resolution).toMatchObject({ operator: '财务李', by: 'finance-desk' });
  expect(resolved.body.events.find((e: any) => e.type === 'RESOLVED').detail).toBe('FAILED by 财务李 (key finance-desk): 金额不符');
  await waitFor(() => accepted(review).length === 2, 15_000);
  expect(accepted(review)[1]!.body).toMatchObject({
    type: 'settlement.failed',
    data: { status: 'FAILED', reason: expect.stringContaining('财务李 (key finance-desk)') },
  });
  const view = await api.until(review, (v) => v.events.filter((e: any) => e.type === 'WEBHOOK_DELIVERED').length === 2);
  expect(view.status).toBe('FAILED');
  for (const h of [...accepted(refunded), ...accepted(review)]) expect(verifies(NEW_SECRET, h) && verifies(OLD_SECRET, h)).toBe(true);
});

test('the event log pages in order with a cursor that continues after its last event; redeliver sends the same event again, signed afresh', async () => {
  const orderNo = await api.settle(stack.sim.platform.issueToken('employee'), '801874939', '40.00');
  await api.until(orderNo, (v) => v.status === 'PAID');
  await waitFor(() => accepted(orderNo).length === 1, 15_000);
  const id = accepted(orderNo)[0]!.eventId!;
  await waitFor(async () => (await logged(id))?.delivery.state === 'delivered', 10_000);

  // page through today's log two at a time: every event once, in the order logged, ending with ours
  const all = await events(`date=${formatDate(Date.now())}&limit=500`);
  const seen: string[] = [];
  let page = await events(`limit=2`);
  for (let n = 0; n < 50; n++) {
    seen.push(...page.items.map((e) => e.id));
    if (!page.hasMore) break;
    page = await events(`after=${page.nextCursor}&limit=2`);
  }
  expect(seen).toEqual(all.items.map((e) => e.id));
  expect(seen).toContain(id);
  expect(new Set(seen).size).toBe(seen.length);
  // the last cursor continues after the last event: nothing new yet, and it still gives a cursor to poll with
  const tail = await events(`after=${page.nextCursor}`);
  expect(tail).toMatchObject({ items: [], hasMore: false, nextCursor: page.nextCursor });
  expect((await api.call('get', '/api/events?after=not-a-cursor')).status).toBe(400);

  // redeliver: 202 at once; the same webhook-id and body arrive again, with a new signature
  const before = hitsFor(orderNo).length;
  const r = await api.call('post', `/api/events/${id}/redeliver`);
  expect(r.status).toBe(202);
  expect(r.body).toMatchObject({ id, delivery: { redeliveries: 1, redeliveredBy: ['his-app'] } });
  await waitFor(() => hitsFor(orderNo).length === before + 1, 15_000);
  const [first, again] = [accepted(orderNo)[0]!, hitsFor(orderNo)[before]!];
  expect(again.eventId).toBe(id);
  expect(again.rawBody).toBe(first.rawBody);
  expect(verifies(NEW_SECRET, again)).toBe(true);
  const entry = await waitFor(async () => {
    const e = await logged(id);
    return e?.delivery.state === 'delivered' && e.delivery.redeliveries === 1 ? e : undefined;
  }, 10_000);
  expect(entry.delivery).toMatchObject({ httpStatus: 204, redeliveredBy: ['his-app'] });

  // an unknown id is a 404, a malformed one a 400, and the finance role may read the log but not redeliver
  expect((await api.call('post', `/api/events/evt_20200101_${orderNo}_9/redeliver`)).body.code).toBe('EVENT_NOT_FOUND');
  expect((await api.call('post', '/api/events/nonsense/redeliver')).status).toBe(400);
  expect((await finance.call('get', '/api/events?limit=1')).status).toBe(200);
  expect((await finance.call('post', `/api/events/${id}/redeliver`)).body.code).toBe('FORBIDDEN');
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
  expect(new Set(hits.map((h) => h.eventId)).size).toBe(1);
  expect(hits.every((h) => verifies(NEW_SECRET, h) && verifies(OLD_SECRET, h))).toBe(true);
}, 90_000);

test('deliveries are counted in the metrics by type and outcome (/metrics: the ops role only)', async () => {
  // npm start and this stack run the worker in the API's process: its /metrics shows the worker's counters
  expect((await api.call('get', '/metrics')).status).toBe(403);
  const r = await got(`${stack.api.url}/metrics`, { headers: { authorization: `Bearer ${KEYS.ops}` } });
  // the attempts above: refused (503), unreachable (the hang, timed out) and delivered
  expect(r.body).toMatch(/shyb_webhook_deliveries_total\{type="settlement.paid",outcome="delivered"\} [1-9]/);
  expect(r.body).toMatch(/shyb_webhook_deliveries_total\{type="settlement.paid",outcome="refused"\} [1-9]/);
  expect(r.body).toMatch(/shyb_webhook_deliveries_total\{type="settlement.paid",outcome="unreachable"\} [1-9]/);
  expect(r.body).toMatch(/shyb_webhook_deliveries_total\{type="refund.refunded",outcome="delivered"\} [1-9]/);
});
