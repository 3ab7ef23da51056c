// The one shape every settlement route (national platform, 五期) has. A route lives in its own folder
// (routes/<route>/) in three parts, registered by one line in routes/index.ts (ROUTES); routes/activities.ts finds
// the activity part by the folder's name:
//  - RouteRules: pure and deterministic, imported by the workflows. It reads the route's messages into
//    route-neutral facts, verifies a result, and says how a refund's insurance part recovers; the workflows
//    see only these facts and functions, never a route's message fields or a branch on the route.
//  - RouteActivities: the platform calls of that route, behind the activity types of activities/contract.ts
//    (their names are recorded in histories and never change).
//  - the simulator's side of the route (routes/national/simulator/, routes/wuqi/simulator/).
// Stored names (view fields such as setlinfo / wuqi, step names such as 2208 / SK01, event texts) come
// from the route, byte for byte as they always were: the workflows pass them through without naming them.
import type {
  InsuranceRefund,
  InsuranceRefundInput,
  Outcome,
  PayQueryOutcome,
  PlatformActivities,
  RefundQueryOutcome,
  RefundVoucherAnswer,
  Submit,
} from '../activities/contract';
import type { ActivityOptions } from '@temporalio/common';
import type { OrderFacts } from '../protocol/centre-record';
import type { CentreDay, CentreReconciliationResult } from '../protocol/centre-reconciliation';
import type { PayResult } from '../protocol/pay-result';
import type { Route } from '../protocol/routing';

// What each route adds to the shared shapes, declared in its own view.ts by augmenting the interfaces below
// (`declare module '../route-adapter' { interface RouteViewParts extends WuqiViewPart {} }`): no list here
// names the routes. They start empty on purpose.
/** The route-specific fields of the order's view (stored and public: the names are the routes'). */
export interface RouteViewParts {}
/** The route-specific fields of the settlement's input (recorded in histories). */
export interface RouteInputParts {}
/** The view fields of its part a route keeps in the status memo (workflows/status-memo.ts), as keys: `{ wuqi: true }`. */
export interface RouteMemoFields {}
/** Event types only one route records (workflows/messages.ts EVENT_TYPES lists them through ROUTE_EVENT_TYPES), as keys. */
export interface RouteOwnEvents {}
export type RouteMemoField = keyof RouteMemoFields & keyof RouteViewParts;
export type RouteOwnEvent = keyof RouteOwnEvents;

/** A paid result's identity: the platform's settlement id and the claim that makes it one order's only. */
export interface PaidId {
  /** national setl_id, 五期 中心流水号 lsh */
  setlId: string;
  /** the claim key (activities claim): `setl:<setl_id>` / `wuqi-lsh:<lsh>` */
  claimKey: string;
}

/** What the order keeps of a verified paid result: the view's route part, and the payer's card (masked) when the route has one. */
export interface Settled {
  view: RouteViewParts;
  payerCardMask?: string;
}

/** The facts of a settled order's view, in fen. */
export interface ViewFacts {
  setlId: string;
  /** what the patient paid in cash: what the platform refunds by itself (SE05) */
  cashFen: number;
}

/**
 * The insurance part's target, as the refund child's input carries it (activities/contract.ts
 * InsuranceRefundInput: setlId, mdtrtId, psnNo, and the 五期 part), with the cash part in fen.
 */
export type RefundTarget = Pick<InsuranceRefundInput, 'setlId' | 'mdtrtId' | 'psnNo' | 'wuqi'> & { cashFen: number };

/** The route's part of what the centre's query reads (protocol/centre-record.ts OrderFacts). */
export type CentreFacts = Pick<OrderFacts, 'setlinfo' | 'wuqi'>;

/** A result's checks for one order: both return a reason ("CODE: detail") or undefined. */
export interface PayChecks {
  /** a paid result must add up before the order may become PAID */
  verify(r: PayResult): string | undefined;
  /** a push must agree with the platform's own answer to the query */
  agree(push: PayResult, query: PayResult): string | undefined;
}

/** What the settlement knows when it checks results. */
export interface PayContext {
  ecToken: string;
  medfeeFen: number;
  input: RouteInputParts;
  /** wf.patched: a route whose checks changed reads the patch here (its id and position are the route's) */
  patched: (id: string) => boolean;
}

/** The events a route's refund policy records (workflows/messages.ts EVENT_TYPES has them). */
export type RouteRefundEvent = 'INSURANCE_REFUND_CONFIRMED' | 'FRESH_VOUCHER' | 'REVERSAL_SENT' | 'REVERSED' | RouteOwnEvent;

/** What a route's refund policy may record of the refund, through its state's methods (workflows/refund-state.ts RefundState, the view's only writer). */
export interface RefundRecorder {
  step(s: string): void;
  reversalSent(msgid: string | undefined): void;
  event(type: RouteRefundEvent, detail?: string): void;
}

/** The refund child's input as the policy reads it. */
export type PolicyInput = InsuranceRefundInput;

/** How a refund workflow reaches the platform (its proxies) and the workflow's timer. */
export interface RefundCalls {
  /** money-moving calls (2208 / SK01 / 2601): ordinary activities, never retried */
  money: Pick<PlatformActivities, 'reverseInsuranceRefund'>;
  /** read-only calls (SE06, the fresh voucher's SE01/SM01): local activities */
  polls: Pick<PlatformActivities, 'queryRefund' | 'checkRefundVoucher'>;
  sleep(ms: number): Promise<void>;
  /** the workflow's failure text of a thrown activity error */
  text(err: unknown): string;
}

/** After an unknown outcome of the insurance call: what the route's recovery found. */
export type Recovery =
  /** nothing was refunded (reversed, or the platform shows none): the call may go out again */
  | { do: 'retry' }
  /** the unknown call did refund: the insurance part is done (event INSURANCE_REFUND_CONFIRMED with this detail) */
  | { do: 'refunded'; detail: string }
  /** a person must look: the refund goes to NEEDS_REVIEW with this reason */
  | { do: 'review'; reason: string };

/** The insurance part of a refund on this route: its step name, what a refusal means, how an unknown outcome is recovered. */
export interface InsuranceRefundPolicy {
  /** the step while the insurance call is out (stored in the refund's view) */
  step: string;
  /** a fresh e-voucher (after a refused token): accepted as the call's card data, with the FRESH_VOUCHER event's text; or refused */
  freshVoucher: { accepted: true; event: string } | { accepted: false; refusal: string };
  /** "already refunded" after an attempt we could not see the end of proves that attempt acted */
  alreadyRefundedConfirms: boolean;
  /** a refusal naming the card token: the REFUND_FAILED reason (absent: the route has no such refusal) */
  tokenRefused?: (message: string) => string;
  /** After an unknown outcome (not the last try): reverse or query, then retry, done, or review. */
  recoverUnknown(state: RefundRecorder, input: PolicyInput, calls: RefundCalls, unknown: { msgid: string; reason: string }): Promise<Recovery>;
}

/** The workflow-safe part of a route: pure, deterministic, no I/O. */
export interface RouteRules {
  readonly route: Route;
  /** The view fields of this route's part the status memo keeps (none that name the person). */
  readonly memoFields: readonly RouteMemoField[];
  /** Event types only this route records. */
  readonly ownEvents: readonly RouteOwnEvent[];
  /** The parts of the input SE02's activity takes (activities/contract.ts submitSe02), if any. */
  submitParts?(input: RouteInputParts): Partial<RouteInputParts>;
  /** A refusal before SE02 when the order lacks what this route needs (FAILED with it), else undefined. */
  inputRefusal(input: RouteInputParts): string | undefined;
  /** The national header needs insuplc_admdvs (1101 after SM01). */
  readonly needsPersonInfo: boolean;
  /** The checks of this order's results (verify and push/query agreement). */
  payChecks(ctx: PayContext): PayChecks;
  /** A paid result in this route's form: its id; undefined when the result is not in this route's form. */
  paidId(r: PayResult): PaidId | undefined;
  /** What the order keeps of a paid result in this route's form; undefined when it is not in this form. */
  settled(r: PayResult): Settled | undefined;
  /** The settled facts of a view holding this route's part; undefined when it holds none. */
  viewFacts(v: RouteViewParts): ViewFacts | undefined;
  /** The insurance part's target for a view holding this route's part. */
  refundTarget(v: RouteViewParts, input: RouteInputParts): RefundTarget | undefined;
  /** The amounts the HIS webhook carries beyond medfeeSumamt (yuan text), for a view holding this route's part. */
  webhookAmounts(v: RouteViewParts): { fundPaySumamt?: string; acctPay?: string; psnCashPay?: string } | undefined;
  /** What the centre's query and comparison read of this route's part (protocol/centre-record.ts OrderFacts). */
  centreFacts(v: RouteViewParts): CentreFacts | undefined;
  readonly refund: InsuranceRefundPolicy;
  /** The route's part of the hospital's day close (workflows/centre-reconciliation.ts). */
  readonly dayClose: DayCloseRules;
}

/** The route parts of the day close's result (protocol/centre-reconciliation.ts assembleResult). */
export type DayCloseParts = Pick<CentreReconciliationResult, 'national' | 'wuqi'>;

/**
 * A route's part of the day close: one activity of its own (routes/<route>/day-close.ts, national 3201/3202,
 * 五期 SL01), called with what inputOf gives when the route had settlements or refunds that day, and its answer
 * read into the route's part of the result.
 */
export interface DayCloseRules {
  /** the activity's name: recorded in histories, it never changes */
  readonly activity: string;
  readonly options: ActivityOptions;
  /**
   * the activity's input for the day; undefined when the route had nothing that day (nothing is sent). A day
   * recorded before the route existed has no part of it: read as nothing.
   */
  inputOf(day: CentreDay): unknown;
  /** the route's part of the result from the activity's answer (undefined when nothing was sent) */
  partOf(day: CentreDay, answer: unknown): Partial<DayCloseParts>;
}

/** SE04's and SE06's outcome without the wall time (activities/platform-activities.ts adds it). */
type Untimed<T> = T extends unknown ? Omit<T, 'at'> : never;

/** The activity part of a route: one platform call each, outcomes returned (activities/contract.ts rules). */
export interface RouteActivities {
  submit(a: Parameters<PlatformActivities['submitSe02']>[0]): Promise<Submit>;
  queryPay(a: Parameters<PlatformActivities['queryPayResult']>[0]): Promise<Untimed<PayQueryOutcome>>;
  queryRefund(a: Parameters<PlatformActivities['queryRefund']>[0]): Promise<Untimed<RefundQueryOutcome>>;
  refundInsurance(a: InsuranceRefundInput): Promise<InsuranceRefund>;
  /** SE07 现金改账, the remedy */
  remedy(a: Parameters<PlatformActivities['submitSe07']>[0]): Promise<Outcome & { alreadyRefunded?: boolean }>;
  /** 2601: the national route's reversal of an unknown 2208 */
  reverseInsuranceRefund?: PlatformActivities['reverseInsuranceRefund'];
  /** 五期: a fresh e-voucher checked to be the payer's */
  checkRefundVoucher?: (a: Parameters<PlatformActivities['checkRefundVoucher']>[0]) => Promise<RefundVoucherAnswer>;
  /** the route's day-close activities, registered under their own names (DayCloseRules.activity is one of them) */
  dayClose: Record<string, (a: never) => Promise<unknown>>;
}
