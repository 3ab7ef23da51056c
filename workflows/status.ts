// The status reducer: the one place that says which status may follow which.
// States only move forward; a final state never goes back. The one exception is money: a paid
// result that arrives after FAILED sends the order to NEEDS_REVIEW (never PAID silently, never lost).

export const SETTLEMENT_STATUSES = ['PROCESSING', 'PAID', 'FAILED', 'NEEDS_REVIEW', 'REFUNDING', 'REFUNDED', 'REFUND_FAILED'] as const;
export type SettlementStatus = (typeof SETTLEMENT_STATUSES)[number];

const NEXT: Record<SettlementStatus, readonly SettlementStatus[]> = {
  PROCESSING: ['PAID', 'FAILED', 'NEEDS_REVIEW'],
  // Only an operator's resolve leaves NEEDS_REVIEW; a refund under review returns here too.
  // …and a person's SE07 remedy sends a refund under review back to REFUNDING (refund.ts, remedyRefundUpdate).
  NEEDS_REVIEW: ['PAID', 'FAILED', 'REFUNDED', 'REFUND_FAILED', 'REFUNDING'],
  PAID: ['REFUNDING'],
  REFUNDING: ['REFUNDED', 'REFUND_FAILED', 'NEEDS_REVIEW'],
  // A refund that failed may be attempted again after the cause is fixed.
  REFUND_FAILED: ['REFUNDING'],
  FAILED: ['NEEDS_REVIEW'],
  REFUNDED: [],
};

export function canMove(from: SettlementStatus, to: SettlementStatus): boolean {
  return NEXT[from].includes(to);
}

export class StatusRegression extends Error {}

export function move(from: SettlementStatus, to: SettlementStatus): SettlementStatus {
  if (!canMove(from, to)) throw new StatusRegression(`status cannot move from ${from} to ${to}`);
  return to;
}

export const REFUND_STATUSES = ['INSURANCE_REFUNDING', 'CASH_REFUNDING', 'REFUNDED', 'REFUND_FAILED', 'NEEDS_REVIEW'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

const REFUND_NEXT: Record<RefundStatus, readonly RefundStatus[]> = {
  INSURANCE_REFUNDING: ['CASH_REFUNDING', 'REFUNDED', 'REFUND_FAILED', 'NEEDS_REVIEW'],
  CASH_REFUNDING: ['REFUNDED', 'REFUND_FAILED', 'NEEDS_REVIEW'],
  // CASH_REFUNDING again only by a person's SE07 remedy, after the centre said the cash was not refunded
  NEEDS_REVIEW: ['REFUNDED', 'REFUND_FAILED', 'CASH_REFUNDING'],
  REFUNDED: [],
  REFUND_FAILED: [],
};

export function moveRefund(from: RefundStatus, to: RefundStatus): RefundStatus {
  if (!REFUND_NEXT[from].includes(to)) throw new StatusRegression(`refund status cannot move from ${from} to ${to}`);
  return to;
}
