// The refund's state: status, events and what each platform step answered, and the only writer of the
// refund's view. No Temporal calls here: the owner passes where progress goes (OrderState.startRefund:
// the order's view, in the same workflow; before patch one-refund-model, a signal from the refund child).
import type { RefundResult } from '../protocol/pay-result';
import type { EventType, RefundInput, RefundSummary, RefundView, RemedyInput } from './messages';
import { moveRefund, type RefundStatus } from './status';
import { operatorLabel } from './operator-label';
import type { Patched } from './patches';

/** A cash part the platform refunds (SE05/SE06), and SE07 may remedy: paid in cash, with its trade. */
export const hasCashPart = (input: RefundInput) => input.cashFen > 0 && input.channel !== 'ybpay' && !!input.thirdOrderNo;

export class RefundState {
  readonly view: RefundView;
  readonly pushes: RefundResult[] = [];
  readonly cashPart: boolean;

  constructor(
    input: RefundInput,
    private readonly workflowId: string,
    private readonly progress: (s: RefundSummary) => Promise<void>,
    private readonly now: () => number,
    /** The owner's patches (workflows/patches.ts). */
    readonly patched: Patched,
  ) {
    this.view = {
      orderNo: input.orderNo,
      status: 'INSURANCE_REFUNDING',
      step: 'STARTED',
      events: [],
      ...(input.insuranceRefundedAt
        ? { insuranceRefundedAt: input.insuranceRefundedAt, insuranceOutput: input.insuranceOutput, insuranceMsgid: input.insuranceMsgid }
        : {}),
    };
    this.cashPart = hasCashPart(input);
  }

  /** The platform step the refund is at (its view's `step`). */
  step(s: string): void {
    this.view.step = s;
  }

  /** A 2601 reversal sent (its msgid, when the platform gave one). */
  reversalSent(msgid: string | undefined): void {
    this.view.reversalMsgid = msgid;
  }

  /** The cash part refunded by the platform: its refund number and amount (yuan text). */
  cashRefunded(refundNo: string | undefined, cashAmount: string): void {
    Object.assign(this.view, { cashRefundNo: refundNo, cashAmount });
  }

  get status(): RefundStatus {
    return this.view.status;
  }

  private at = () => new Date(this.now()).toISOString();

  event(type: EventType, detail?: string): void {
    this.view.events.push({ at: this.at(), type, ...(detail ? { detail } : {}) });
  }

  summary(): RefundSummary {
    const { events: _e, step: _s, orderNo: _o, ...rest } = this.view;
    return { workflowId: this.workflowId, ...rest };
  }

  async setStatus(to: RefundStatus, reason?: string): Promise<void> {
    this.view.status = moveRefund(this.view.status, to);
    this.view.reason = reason;
    if (to === 'REFUNDED') this.view.refundedAt = this.at();
    this.event(`STATUS_${to}`, reason);
    await this.progress(this.summary());
  }

  insuranceRefunded(msgid: string, output: Record<string, unknown> | undefined): void {
    Object.assign(this.view, { insuranceRefundedAt: this.at(), insuranceMsgid: msgid, insuranceOutput: output });
    this.event('INSURANCE_REFUNDED', msgid);
  }

  /** SE05: looked at only while the cash part is awaited; anything else is recorded. */
  onPush(r: RefundResult): void {
    if (this.status !== 'CASH_REFUNDING') return this.event('LATE_PUSH', `refundStatus ${r.refundStatus}; status stays ${this.status}`);
    this.event('PUSH_RECEIVED', `refundStatus ${r.refundStatus}`);
    this.pushes.push(r);
  }

  /** A person's SE07 remedy, waiting for the workflow to send it. */
  remedyRequest?: RemedyInput;

  /** SE07 only where 五期 §4.8.7 allows it: the insurance part refunded, the cash part not, SE07 not sent yet. */
  validateRemedy(r: RemedyInput, hasCashPart = this.cashPart): void {
    if (this.status !== 'NEEDS_REVIEW') throw new Error(`only a refund in NEEDS_REVIEW can get the SE07 remedy (status is ${this.status})`);
    if (!this.view.insuranceRefundedAt) throw new Error('the insurance part is not refunded: SE07 (医保已退，现金未退) does not apply');
    if (!hasCashPart) throw new Error('this order has no cash part');
    if (this.view.cashRefundNo) throw new Error('the cash part is refunded');
    if (this.view.events.some((e) => e.type === 'SE07_REMEDY')) throw new Error('SE07 was sent for this refund already: resolve it instead');
    if (!r.operator?.trim() || !r.note?.trim()) throw new Error('operator and note are required');
  }

  async requestRemedy(r: RemedyInput): Promise<RefundView> {
    this.remedyRequest = r;
    this.event('REMEDY_REQUESTED', `by ${operatorLabel(r.operator, r.by)}: ${r.note}`);
    await this.setStatus('CASH_REFUNDING', `SE07 remedy requested by ${operatorLabel(r.operator, r.by)}`);
    return this.view;
  }

  validateResolve(r: { decision: string; operator: string; note: string }): void {
    if (this.status !== 'NEEDS_REVIEW') throw new Error(`only a refund in NEEDS_REVIEW can be resolved (status is ${this.status})`);
    if (r.decision !== 'REFUNDED' && r.decision !== 'REFUND_FAILED') throw new Error('decision must be REFUNDED or REFUND_FAILED');
    if (!r.operator?.trim() || !r.note?.trim()) throw new Error('operator and note are required');
  }

  async resolve(r: { decision: 'REFUNDED' | 'REFUND_FAILED'; operator: string; note: string; by?: string }): Promise<RefundView> {
    const who = operatorLabel(r.operator, r.by);
    this.event('RESOLVED', `${r.decision} by ${who}: ${r.note}`);
    await this.setStatus(r.decision, `resolved by ${who}: ${r.note}`);
    return this.view;
  }
}
