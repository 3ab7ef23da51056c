// The order's state: its status, review, events and refund, and every change to them (the only writer
// of the order's view; the refund's own view is RefundState's). No Temporal calls here: the workflow
// passes a Publisher, so the class is unit-testable and the settlement workflow's handlers are one line each.
import { formatYuan } from '../protocol/money';
import type { PayResult } from '../protocol/pay-result';
import type { Route } from '../protocol/routing';
import type {
  EventType,
  RefundInput,
  RefundRequest,
  RefundResolveInput,
  RefundSummary,
  RefundView,
  RemedyInput,
  ResolveInput,
  SettlementView,
} from './messages';
import { freshVoucherOf, refundWorkflowId } from './messages';
import { move, type SettlementStatus } from './status';
import { statusMemo, type StatusMemo } from './status-memo';
import { DEFAULT_ROUTE, NO_SETTLEMENT_DETAILS, paidIdOf, routeOf, settledOf, viewFactsOf } from '../routes';
import type { CentreWord } from '../protocol/centre-suggestion';
import { operatorLabel } from './operator-label';
import type { Patched } from './patches';
import { RefundState } from './refund-state';
import type { RefundResult } from '../protocol/pay-result';

const MAX_EVENTS = 300;

/** Where published state goes: search attributes and the UI's current details (Temporal in the workflow). */
export interface Publisher {
  attributes(a: PublishedAttributes): void;
  details(text: string): void;
  /** After every status change (webhooks to the HIS). */
  statusChanged?(view: SettlementView): void;
  /** At every status change, with the search attributes: the status kept for reads without a worker. */
  memo?(m: StatusMemo): void;
}
export interface PublishedAttributes {
  status: SettlementStatus;
  route?: Route;
  ecToken?: string;
  channel?: string;
  settledAt?: string;
  cashYuan?: number;
}

/** What the order learns about itself on the way (identity, route, SE02): recorded by OrderState.learn. */
export type OrderFacts = Partial<Pick<SettlementView, 'ecToken' | 'route' | 'psnNo' | 'insuplcAdmdvs' | 'insuplcAdmdvsSource' | 'se02Msgid'>>;

export class OrderState {
  readonly view: SettlementView;
  /** Pushes not yet looked at by the settlement loop. */
  readonly pushes: PayResult[] = [];
  /** A refund accepted by requestRefund and not yet started. */
  pendingRefund?: RefundRequest;
  /** The payer's 卡号 as the verified result carried it, masked, where the route has one (a fresh refund e-voucher must match it). */
  payerCardMask?: string;
  /** When our receiver got the push that decided the order (for the push→final metric). */
  decidingPushAt?: number;
  /** How many times the order entered a review (the centre is asked once for each). */
  reviewsEntered = 0;
  /** The order's latest refund when it runs here (patch one-refund-model): its one home. */
  refundState?: RefundState;
  /** The status visibility shows: PROCESSING was set by the API at start. */
  private published: SettlementStatus = 'PROCESSING';

  constructor(
    orderNo: string,
    readonly medfeeFen: number,
    private readonly out: Publisher,
    private readonly now: () => number,
    /** Refunds run in this workflow (patch one-refund-model); false: in the refund child, which signals its progress. */
    readonly refundsHere = false,
    /** The order's patches (workflows/patches.ts): all on when it started with one-refund-model. */
    readonly patched: Patched = () => refundsHere,
  ) {
    this.view = { orderNo, status: 'PROCESSING', medfeeSumamt: formatYuan(medfeeFen), step: 'STARTED', events: [] };
  }

  get status(): SettlementStatus {
    return this.view.status;
  }

  event(type: EventType, detail?: string): void {
    const ev = this.view.events;
    ev.push({ at: new Date(this.now()).toISOString(), type, ...(detail ? { detail } : {}) });
    if (ev.length > MAX_EVENTS) ev.splice(0, ev.length - MAX_EVENTS);
  }

  learn(facts: OrderFacts): void {
    Object.assign(this.view, facts);
  }

  step(s: string, nextPollAt?: number): void {
    this.view.step = s;
    this.view.nextPollAt = nextPollAt === undefined ? undefined : new Date(nextPollAt).toISOString();
    this.publish();
  }

  /**
   * Search attributes when the status changes (each upsert is a history event; the API set the first
   * ones at start), with every value known by then; the UI's current details always (free: no event).
   */
  publish(): void {
    const v = this.view;
    const attrs: PublishedAttributes = {
      status: v.status,
      route: v.route,
      ecToken: v.ecToken,
      channel: v.channel,
      settledAt: v.settledAt,
      cashYuan: cashYuan(v),
    };
    if (v.status !== this.published) {
      this.published = v.status;
      this.out.attributes(attrs);
      this.out.memo?.(statusMemo(v));
    }
    this.out.details(
      [`**${v.status}** · step: ${v.step}`, v.nextPollAt ? `next poll: ${v.nextPollAt}` : '', v.reason ? `reason: ${v.reason}` : '']
        .filter(Boolean)
        .join('\n\n'),
    );
  }

  setStatus(to: SettlementStatus, reason?: string): void {
    this.view.status = move(this.view.status, to);
    this.view.reason = reason;
    if (to !== 'NEEDS_REVIEW') this.view.review = undefined;
    this.event(`STATUS_${to}`, reason);
    this.publish();
    this.out.statusChanged?.(this.view);
  }

  markReview(kind: 'settlement' | 'refund', reason: string): void {
    this.setStatus('NEEDS_REVIEW', reason);
    this.view.review = { kind, reason };
    this.reviewsEntered += 1;
  }

  /** The centre's answer for the open review (workflows/centre-review.ts); the next status change clears it. */
  setCentreWord(centre: CentreWord, suggestion: string): void {
    if (this.view.review) this.view.review = { ...this.view.review, centre, suggestion };
  }

  fail(reason: string): void {
    this.setStatus('FAILED', reason);
  }

  /** SE03: queued while the settlement is open; after FAILED a paid result is money taken for a failed order. */
  onPush(r: PayResult): void {
    if (this.status === 'PROCESSING') {
      this.event('PUSH_RECEIVED', `payStatus ${r.payStatus} channel ${r.channel}`);
      this.pushes.push(r);
    } else if (this.status === 'FAILED' && r.payStatus === '1') {
      this.lateResult(r);
    } else {
      this.event('LATE_PUSH', `payStatus ${r.payStatus}; status stays ${this.status}`);
    }
  }

  /** A paid result after FAILED: never PAID silently, never lost. */
  lateResult(r: PayResult): void {
    this.event('LATE_RESULT', `a paid result (setl_id ${paidIdOf(r)?.setlId ?? '?'}) by ${r.source} after FAILED`);
    this.setResult(r);
    this.markReview('settlement', `LATE_RESULT_AFTER_FAILED: the platform reports a payment for this failed order (${this.view.reason ?? ''})`);
  }

  onPollAnswer(detail: string, failed = false): void {
    this.event(failed ? 'POLL_FAILED' : 'POLL_ANSWERED', detail);
  }

  /** The decided result: PAID, or FAILED when the platform says the payment failed. */
  finish(r: PayResult, by: 'push' | 'poll'): void {
    this.setResult(r);
    if (by === 'push') {
      this.decidingPushAt = r.receivedAt;
      this.view.decidingPushReceivedAt = r.receivedAt;
    }
    if (r.payStatus === '1') {
      this.view.settledAt = new Date(this.now()).toISOString();
      this.setStatus('PAID', `by ${by}`);
    } else {
      this.fail(`PAY_FAILED: ${r.failureText ?? 'payStatus -1'}`);
    }
  }

  private setResult(r: PayResult): void {
    Object.assign(this.view, { channel: r.channel, thirdOrderNo: r.thirdOrderNo, tradeNo: r.tradeNo, amount: r.amount, billTime: r.billTime, gmt: r.gmt });
    if (r.payStatus !== '1') return;
    // the route's part of the view (routes/<route>/ settled): what refunds, the centre and reconciliation read
    const settled = settledOf(r);
    if (!settled) return;
    Object.assign(this.view, settled.view);
    if ('payerCardMask' in settled) this.payerCardMask = settled.payerCardMask;
  }

  validateResolve(r: ResolveInput): void {
    if (this.status !== 'NEEDS_REVIEW' || this.view.review?.kind !== 'settlement')
      throw new Error(`only a settlement in NEEDS_REVIEW can be resolved (status is ${this.status})`);
    if (r.decision !== 'PAID' && r.decision !== 'FAILED') throw new Error('decision must be PAID or FAILED');
    if (!r.operator?.trim() || !r.note?.trim()) throw new Error('operator and note are required');
  }

  resolve(r: ResolveInput): SettlementView {
    const who = operatorLabel(r.operator, r.by);
    this.event('RESOLVED', `${r.decision} by ${who}: ${r.note}`);
    this.view.resolution = { ...r, at: new Date(this.now()).toISOString() };
    this.setStatus(r.decision, `resolved by ${who}: ${r.note}`);
    return this.view;
  }

  /** A refund already under way (or done) answers every repeat with itself; only a failed one starts again. */
  private activeRefund(): RefundSummary | undefined {
    return this.view.refund && this.view.refund.status !== 'REFUND_FAILED' ? this.view.refund : undefined;
  }

  validateRefund(req?: RefundRequest): void {
    const voucher = routeOf(this.view.route ?? DEFAULT_ROUTE).refund.freshVoucher;
    if (req && freshVoucherOf(req) && !voucher.accepted) throw new Error(voucher.refusal);
    if (this.activeRefund()) return;
    if (this.status !== 'PAID' && this.status !== 'REFUND_FAILED') throw new Error(`only a PAID settlement can be refunded (status is ${this.status})`);
    if (!viewFactsOf(this.view)) throw new Error(NO_SETTLEMENT_DETAILS);
  }

  requestRefund(req: RefundRequest): RefundSummary {
    const active = this.activeRefund();
    if (active) return active;
    this.pendingRefund = req;
    // keep what the failed attempt learned (insuranceRefundedAt, the insurance call's output): the retry skips that call
    const prev = this.view.refund;
    this.view.refund = {
      workflowId: this.refundsHere ? this.view.orderNo : refundWorkflowId(this.view.orderNo),
      status: prev?.insuranceRefundedAt ? 'CASH_REFUNDING' : 'INSURANCE_REFUNDING',
      ...(prev?.insuranceRefundedAt
        ? { insuranceRefundedAt: prev.insuranceRefundedAt, insuranceOutput: prev.insuranceOutput, insuranceMsgid: prev.insuranceMsgid }
        : {}),
    };
    this.event('REFUND_REQUESTED', `by ${req.operator.opter}${req.reason ? `: ${req.reason}` : ''}`);
    this.setStatus('REFUNDING');
    return this.view.refund;
  }

  /** A refund starting in this workflow: its state is the order's, its progress moves the order's status directly. */
  startRefund(input: RefundInput): RefundState {
    this.refundState = new RefundState(input, this.view.orderNo, async (s) => this.onRefundProgress(s), this.now, this.patched);
    return this.refundState;
  }

  /** The refund a resolve, remedy or refund status read addresses: one that runs (or ran) in this workflow. */
  private ownRefund(): RefundState {
    if (!this.refundState)
      throw new Error(this.view.refund ? `this order's refund runs in workflow ${this.view.refund.workflowId}` : 'this settlement has no refund');
    return this.refundState;
  }

  refundView(): RefundView {
    return this.ownRefund().view;
  }

  /** SE05 for the refund that runs here; recorded on the order when none does (never lost silently). */
  onRefundPush(r: RefundResult): void {
    if (this.refundState) return this.refundState.onPush(r);
    this.event('LATE_PUSH', `SE05 refundStatus ${r.refundStatus}: no refund runs in this workflow; status stays ${this.status}`);
  }

  validateRefundResolve(r: RefundResolveInput): void {
    this.ownRefund().validateResolve(r);
  }

  resolveRefund(r: RefundResolveInput): Promise<RefundView> {
    return this.ownRefund().resolve(r);
  }

  validateRemedy(r: RemedyInput): void {
    this.ownRefund().validateRemedy(r);
  }

  requestRemedy(r: RemedyInput): Promise<RefundView> {
    return this.ownRefund().requestRemedy(r);
  }

  /** The refund's progress (the RefundState here, or the refund child's signal and final view): the order's status follows it. */
  onRefundProgress(s: RefundSummary): void {
    const keep = this.view.refund?.insuranceRefundedAt;
    this.view.refund = { ...s, insuranceRefundedAt: s.insuranceRefundedAt ?? keep };
    if (s.status === 'NEEDS_REVIEW' && this.status === 'REFUNDING') this.markReview('refund', `refund: ${s.reason ?? 'needs review'}`);
    else if (s.status === 'CASH_REFUNDING' && this.status === 'NEEDS_REVIEW' && this.view.review?.kind === 'refund') this.setStatus('REFUNDING', s.reason);
    else if ((s.status === 'REFUNDED' || s.status === 'REFUND_FAILED') && (this.status === 'REFUNDING' || this.status === 'NEEDS_REVIEW'))
      this.setStatus(s.status, s.reason);
  }

  /** Resolves once the settlement has left PROCESSING (the awaitOutcome Update). */
  settled = (): boolean => this.status !== 'PROCESSING';
}

/** The cash part in yuan (search attribute CashAmount), once the view holds a settlement. */
function cashYuan(v: SettlementView): number | undefined {
  const facts = viewFactsOf(v);
  return facts ? facts.cashFen / 100 : undefined;
}
