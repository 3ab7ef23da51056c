import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { InsuranceRefundInput, Operator } from '../activities/contract';
import type { Se01Terminal } from '../platform/identity';
import type { InsuplcAdmdvsSource } from '../protocol/person-info';
import type { PayResult, RefundResult } from '../protocol/pay-result';
import type { Route } from '../protocol/routing';
import type { CentreWord } from '../protocol/centre-suggestion';
import { ROUTE_EVENT_TYPES, type RouteInputParts, type RouteViewParts } from '../routes';
import type { RefundStatus, SettlementStatus } from './status';
import type { z } from 'zod';
import type { refundTimingSchema, settlementTimingSchema } from '../common/timing';

/** The 2207 data the HIS prepares; mdtrt_cert_type/no are ours to set (01 + ecToken). */
export interface HisPayRequest {
  psn_no: string;
  mdtrt_id: string;
  chrg_bchno: string;
  med_type: string;
  medfee_sumamt: string;
  insutype: string;
  acct_used_flag: '0' | '1';
  psn_setlway: string;
  invono?: string;
  fulamt_ownpay_amt?: string | number;
  overlmt_selfpay?: string | number;
  preselfpay_amt?: string | number;
  inscp_scp_amt?: string | number;
  exp_content?: string | Record<string, unknown>;
  pub_hosp_rfom_flag?: string;
  /** 表115 #18-19 */
  minpacunt_drug_trac_cnt?: string | number;
  mcs_trac_cnt?: string | number;
}

/** The timing's types come from its schema (common/timing.ts), which also validates SETTLEMENT_TIMING. */
export type SettlementTiming = z.infer<typeof settlementTimingSchema>;
export type RefundTiming = z.infer<typeof refundTimingSchema>;

export const DEFAULT_TIMING: SettlementTiming = {
  pollScheduleMs: [5_000, 10_000, 30_000, 60_000, 120_000, 300_000],
  pollEveryMs: 300_000,
  deadlineMs: 2 * 60 * 60_000,
  confirmPush: true,
  tokenValidMs: 5 * 60_000,
  notFoundBeforeResubmit: 2,
  maxResubmits: 1,
  notReceivedGraceMs: 10 * 60_000,
  refundWindowMs: 30 * 24 * 60 * 60_000,
  submitTimeoutMs: 90_000,
  queryTimeoutMs: 30_000,
  refund: {
    pollScheduleMs: [5_000, 10_000, 30_000, 60_000, 120_000, 300_000],
    pollEveryMs: 300_000,
    deadlineMs: 24 * 60 * 60_000,
    cashGraceMs: 30 * 60_000,
    cashSilence: 'review',
    insuranceTimeoutMs: 180_000,
  },
};

export type Identity = { ecQrCode: string; ecQrChannel: '1' | '2' | '3' } | { ecToken: string };

/** The route-specific fields (the 五期 bill, its 医疗机构代码) are the routes' (routes/<route>/view.ts RouteInputParts). */
export interface SettlementInput extends RouteInputParts {
  orderNo: string;
  identity: Identity;
  operator: Operator;
  payRequest: HisPayRequest;
  pName?: string;
  pIdNo?: string;
  /** 参保地 (1101 insuinfo.insuplc_admdvs) when the HIS knows it (e.g. from POST /api/identities); otherwise 1101 is asked (国家接口 §4.1 表3 #4). */
  insuplcAdmdvs?: string;
  /** The configured default (MDTRTAREA_ADMVS) when 1101 cannot tell (never for a 异地 person). */
  defaultInsuplcAdmdvs?: string;
  /** SE01's termIp and 医保科室 (五期 §4.8.1.2) from the request; configured defaults otherwise. */
  terminal?: Se01Terminal;
  timing?: TimingInput;
  /** Send status webhooks to the HIS (workflows/webhook.ts); set by the API when HIS_WEBHOOK_URL is configured. */
  webhooks?: boolean;
}

export type TimingInput = Partial<Omit<SettlementTiming, 'refund'>> & { refund?: Partial<RefundTiming> };

/** Every event an order or refund records: a closed list. */
export const EVENT_TYPES = [
  'SE01_DECODED',
  'ECTOKEN_IN_USE',
  'ROUTED',
  'PERSON_INFO',
  'PERSON_INFO_DEFAULT',
  'SE02_RECEIVED',
  'SE02_UNKNOWN',
  'SE02_RESUBMIT',
  'SE02_RESUBMIT_REFUSED',
  'PUSH_RECEIVED',
  'PUSH_REJECTED',
  'LATE_PUSH',
  'DUPLICATE_PUSH',
  'LATE_RESULT',
  'POLL_ANSWERED',
  'POLL_FAILED',
  'CONFIRM_PENDING',
  'RESULT_NOT_OURS',
  'REFUND_REQUESTED',
  'RESOLVED',
  'INSURANCE_REFUNDED',
  'INSURANCE_ALREADY_REFUNDED',
  'INSURANCE_REFUND_UNKNOWN',
  'INSURANCE_REFUND_CONFIRMED',
  'REVERSAL_SENT',
  'REVERSED',
  'WEBHOOK_DELIVERED',
  'WEBHOOK_FAILED',
  ...ROUTE_EVENT_TYPES,
  'FRESH_VOUCHER',
  'SE07_REMEDY',
  'REMEDY_REQUESTED',
  'SE07_RECEIVED',
  'SE07_UNKNOWN',
  'SE07_ALREADY_SUBMITTED',
  'CENTRE_RECORD',
  'CENTRE_UNAVAILABLE',
] as const;
export type EventType = (typeof EVENT_TYPES)[number] | `STATUS_${SettlementStatus | RefundStatus}`;

export interface SettlementEvent {
  at: string;
  type: EventType;
  detail?: string;
}

export interface RefundSummary {
  workflowId: string;
  status: RefundStatus;
  reason?: string;
  /** The insurance call's answer as the route stores it (routes/<route>/activities.ts), for reconciliation. */
  insuranceOutput?: Record<string, unknown>;
  insuranceMsgid?: string;
  reversalMsgid?: string;
  cashRefundNo?: string;
  cashAmount?: string;
  insuranceRefundedAt?: string;
  refundedAt?: string;
}

/** The settled route's part of the view is the route's (routes/<route>/view.ts RouteViewParts). */
export interface SettlementView extends RouteViewParts {
  orderNo: string;
  status: SettlementStatus;
  reason?: string;
  route?: Route;
  ecToken?: string;
  psnNo?: string;
  insuplcAdmdvs?: string;
  /** Where insuplcAdmdvs came from: the HIS, 1101, or the configured default (a warning: not the person's own). */
  insuplcAdmdvsSource?: InsuplcAdmdvsSource;
  medfeeSumamt: string;
  channel?: string;
  tradeNo?: string;
  thirdOrderNo?: string;
  amount?: string;
  billTime?: string;
  gmt?: string;
  settledAt?: string;
  /** When our receiver got the push that decided the order (epoch ms), if one did. */
  decidingPushReceivedAt?: number;
  se02Msgid?: string;
  step: string;
  nextPollAt?: string;
  events: SettlementEvent[];
  /** Set while the order waits for an operator: which part (settlement or refund) and why. */
  review?: { kind: 'settlement' | 'refund'; reason: string; centre?: CentreWord; suggestion?: string };
  refund?: RefundSummary;
  resolution?: { decision: 'PAID' | 'FAILED'; operator: string; note: string; at: string; by?: string };
}

export interface ResolveInput {
  decision: 'PAID' | 'FAILED';
  operator: string;
  note: string;
  /** The API key's name that asked for it (recorded beside the operator). */
  by?: string;
}

/** A fresh e-voucher for a refund whose 令牌 the centre refused, where the route takes one: the insurance call's card data (SE06/SE07 keep the settlement's). */
export type FreshVoucher = { ecToken: string } | { ecQrCode: string; ecQrChannel: '1' | '2' | '3' };

export interface RefundRequest {
  operator: Operator;
  reason?: string;
  /** a fresh e-voucher (FreshVoucher), where the route takes one */
  ecToken?: string;
  ecQrCode?: string;
  ecQrChannel?: '1' | '2' | '3';
}

/** The fresh e-voucher a refund request carries, if any. */
export function freshVoucherOf(r: RefundRequest): FreshVoucher | undefined {
  if (r.ecToken) return { ecToken: r.ecToken };
  if (r.ecQrCode && r.ecQrChannel) return { ecQrCode: r.ecQrCode, ecQrChannel: r.ecQrChannel };
  return undefined;
}

export const payPushSignal = defineSignal<[PayResult]>('payPush');
export const refundPushSignal = defineSignal<[RefundResult]>('refundPush');
export const statusQuery = defineQuery<SettlementView>('status');
export const resolveUpdate = defineUpdate<SettlementView, [ResolveInput]>('resolve');
/** Long-poll: completes when the settlement has left PROCESSING. */
export const awaitOutcomeUpdate = defineUpdate<SettlementView>('awaitOutcome');
export const requestRefundUpdate = defineUpdate<RefundSummary, [RefundRequest]>('requestRefund');

// Refund workflow (a child of the settlement)
/** What the insurance-part call needs (activities/contract.ts), plus the refund's own facts. */
export interface RefundInput extends InsuranceRefundInput {
  /** The cash part in fen, as the route reads its settlement (routes/<route>/ refundTarget). */
  cashFen: number;
  channel: string;
  thirdOrderNo?: string;
  /** A fresh e-voucher for the insurance call (checked to be the payer's: payerCardMask, the settlement's masked 卡号). */
  freshVoucher?: FreshVoucher;
  payerCardMask?: string;
  /** A retry after a failed cash part: the insurance part was refunded then, so its call is skipped. */
  insuranceRefundedAt?: string;
  insuranceOutput?: Record<string, unknown>;
  insuranceMsgid?: string;
  timing: RefundTiming & { submitTimeoutMs: number; queryTimeoutMs: number };
}

export interface RefundView extends Omit<RefundSummary, 'workflowId'> {
  orderNo: string;
  step: string;
  events: SettlementEvent[];
}

export interface RefundResolveInput {
  decision: 'REFUNDED' | 'REFUND_FAILED';
  operator: string;
  note: string;
  /** The API key's name that asked for it (recorded beside the operator). */
  by?: string;
}

/** A person sends the SE07 remedy for a refund under review whose cash part was not refunded (五期 §4.8.7). */
export interface RemedyInput {
  operator: string;
  note: string;
  /** The API key's name that asked for it (recorded beside the operator). */
  by?: string;
}

export const refundStatusQuery = defineQuery<RefundView>('refundStatus');
export const remedyRefundUpdate = defineUpdate<RefundView, [RemedyInput]>('remedyRefund');
export const resolveRefundUpdate = defineUpdate<RefundView, [RefundResolveInput]>('resolveRefund');

/** The refund child's id: the home of refunds of orders started before patch one-refund-model. */
export const refundWorkflowId = (orderNo: string) => `refund-${orderNo}`;

/**
 * Patch: a refund's state lives in the order workflow (OrderState's RefundState); no refund child, no
 * progress signal. Read once at the settlement's start, so one order keeps one model for its whole life.
 */
export const ONE_REFUND_MODEL_PATCH = 'one-refund-model';

/**
 * The workflow that owns an order's refund, where its SE05 pushes, resolve, remedy and refund status go:
 * the pointer the order's view (and status memo) keeps; the refund child for a view without one.
 */
export const refundHome = (orderNo: string, refund?: { workflowId?: string }) => refund?.workflowId ?? refundWorkflowId(orderNo);

/** Child -> parent, before patch one-refund-model only: the refund's progress, so the settlement's status mirrors it. */
export const refundProgressSignal = defineSignal<[RefundSummary]>('refundProgress');
