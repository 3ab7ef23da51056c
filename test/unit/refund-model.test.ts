import type { RefundResult } from '../../protocol/pay-result';
import { DEFAULT_TIMING, type RefundInput } from '../../workflows/messages';
import { OrderState, type Publisher } from '../../workflows/order-state';
import type { StatusMemo } from '../../workflows/status-memo';
import { operator } from '../helpers/api-client';

// One refund model (issue 21 item 2, patch one-refund-model): the refund's state lives in the order's
// OrderState, and its progress moves the order directly; orders from before the patch keep the refund child.

const ORDER = 'H3101120000120261204100000000001';

function paidOrder(refundsHere: boolean) {
  const memos: StatusMemo[] = [];
  const out: Publisher = { attributes: () => undefined, details: () => undefined, memo: (m) => void memos.push(m) };
  let t = Date.parse('2026-12-04T10:00:00Z');
  const order = new OrderState(ORDER, 10_000, out, () => (t += 1_000), refundsHere);
  order.setStatus('PAID', 'by push');
  return { order, memos };
}

const se05: RefundResult = { source: 'push', ecToken: 'TOK', refundStatus: '1', amount: '30.00' };

const input: RefundInput = {
  route: 'NATIONAL',
  orderNo: ORDER,
  ecToken: 'TOK',
  operator,
  setlId: 'SETL1',
  mdtrtId: 'MDTRT1',
  psnNo: 'P1',
  cashFen: 3_000,
  channel: 'wxpay',
  thirdOrderNo: ORDER,
  timing: { submitTimeoutMs: 1, queryTimeoutMs: 1, ...DEFAULT_TIMING.refund },
};

describe('the refund inside OrderState (one-refund-model)', () => {
  test('the refund points at the order itself; its review, resolve and result move the order with no signal, and the memo carries them', async () => {
    const { order, memos } = paidOrder(true);
    expect(order.requestRefund({ operator }).workflowId).toBe(ORDER);
    const refund = order.startRefund(input);
    await refund.setStatus('NEEDS_REVIEW', 'CASH_REFUND_NOT_SEEN: no cash refund seen');
    expect(order.status).toBe('NEEDS_REVIEW');
    expect(order.view.review).toEqual({ kind: 'refund', reason: 'refund: CASH_REFUND_NOT_SEEN: no cash refund seen' });
    expect(memos.at(-1)?.refund).toMatchObject({ workflowId: ORDER, status: 'NEEDS_REVIEW' });
    // the resolve Update is the order's, checked by the refund's own rules
    expect(() => order.validateRefundResolve({ decision: 'REFUNDED', operator: 'finance', note: '' })).toThrow(/operator and note/);
    const rv = await order.resolveRefund({ decision: 'REFUNDED', operator: 'finance', note: 'seen in the bank' });
    expect(rv.status).toBe('REFUNDED');
    expect(order.status).toBe('REFUNDED');
    expect(order.view.refund).toMatchObject({ workflowId: ORDER, status: 'REFUNDED', reason: 'resolved by finance: seen in the bank' });
    expect(memos.at(-1)).toMatchObject({ status: 'REFUNDED', refund: { workflowId: ORDER, status: 'REFUNDED' } });
    expect(order.refundView().events.map((e) => e.type)).toEqual(['STATUS_NEEDS_REVIEW', 'RESOLVED', 'STATUS_REFUNDED']);
  });

  test('SE05 goes to the refund while its cash part is awaited; with no refund here it is recorded on the order, never dropped', async () => {
    const { order } = paidOrder(true);
    order.onRefundPush(se05);
    expect(order.view.events.at(-1)).toMatchObject({ type: 'LATE_PUSH', detail: expect.stringMatching(/no refund runs in this workflow/) });
    order.requestRefund({ operator });
    const refund = order.startRefund(input);
    await refund.setStatus('CASH_REFUNDING');
    order.onRefundPush(se05);
    expect(refund.pushes).toHaveLength(1);
    expect(order.refundView().events.at(-1)).toMatchObject({ type: 'PUSH_RECEIVED', detail: 'refundStatus 1' });
  });

  test('an order from before the patch keeps the refund child: its pointer names the child, and the order refuses to act for it', () => {
    const { order } = paidOrder(false);
    expect(order.requestRefund({ operator }).workflowId).toBe(`refund-${ORDER}`);
    expect(() => order.validateRefundResolve({ decision: 'REFUNDED', operator: 'finance', note: 'x' })).toThrow(
      `this order's refund runs in workflow refund-${ORDER}`,
    );
    expect(() => order.refundView()).toThrow(/runs in workflow refund-/);
    // the child's progress signal still moves the order
    order.onRefundProgress({ workflowId: `refund-${ORDER}`, status: 'REFUNDED', reason: 'cash refund by push' });
    expect(order.status).toBe('REFUNDED');
  });
});
