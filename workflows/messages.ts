import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Operator } from '../protocol/national-header';
import type { PayResult, RefundResult } from '../protocol/pay-result';
import type { Route } from '../protocol/routing';
import type { Setldetail, Setlinfo } from '../protocol/settlement';
import type { WuqiBill } from '../protocol/wuqi-bills';
import type { RefundStatus, SettlementStatus } from './status';

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
}

export interface SettlementTiming {
  /** SE04 polls after SE02, in ms from the previous one; then every pollEveryMs. */
  pollScheduleMs: number[];
  pollEveryMs: number;
  /** No final answer by then: NEEDS_REVIEW. */
  deadlineMs: number;
  /** Confirm a pushed result with one SE04 before PAID. */
  confirmPush: boolean;
  /** ecToken validity: resubmitting SE02 is allowed only within it. */
  tokenValidMs: number;
  /** SE04 "not found" answers in a row, after an SE02 with unknown outcome, before a resubmit. */
  notFoundBeforeResubmit: number;
  maxResubmits: number;
  /** How long the order stays open for refunds and late pushes once settled. */
  refundWindowMs: number;
  /** Activity start-to-close for one submit (SE02/2208/SE07) and one query (SE04/SE06): above the HTTP timeouts. */
  submitTimeoutMs: number;
  queryTimeoutMs: number;
  refund: RefundTiming;
}

export interface RefundTiming {
  pollScheduleMs: number[];
  pollEveryMs: number;
  deadlineMs: number;
  submitTimeoutMs?: number;
  queryTimeoutMs?: number;
}

export const DEFAULT_TIMING: SettlementTiming = {
  pollScheduleMs: [5_000, 10_000, 30_000, 60_000, 120_000, 300_000],
  pollEveryMs: 300_000,
  deadlineMs: 2 * 60 * 60_000,
  confirmPush: true,
  tokenValidMs: 5 * 60_000,
  notFoundBeforeResubmit: 2,
  maxResubmits: 1,
  refundWindowMs: 30 * 24 * 60 * 60_000,
  submitTimeoutMs: 90_000,
  queryTimeoutMs: 30_000,
  refund: { pollScheduleMs: [5_000, 10_000, 30_000, 60_000, 120_000, 300_000], pollEveryMs: 300_000, deadlineMs: 24 * 60 * 60_000 },
};

export type Identity = { ecQrCode: string; ecQrChannel: '1' | '2' | '3' } | { ecToken: string };

export interface SettlementInput {
  orderNo: string;
  identity: Identity;
  operator: Operator;
  payRequest: HisPayRequest;
  pName?: string;
  pIdNo?: string;
  /** The 五期 bill (SH02/SI12/SI52 xxnr), for persons who settle in 五期. */
  wuqiPayRequest?: WuqiBill;
  /** 参保地医保区划 from the HIS (e.g. from POST /api/identities): the header value when the input has a psn_no. */
  insuplcAdmdvs?: string;
  timing?: TimingInput;
}

export type TimingInput = Partial<Omit<SettlementTiming, 'refund'>> & { refund?: Partial<RefundTiming> };

export interface SettlementEvent {
  at: string;
  type: string;
  detail?: string;
}

export interface RefundSummary {
  workflowId: string;
  status: RefundStatus;
  reason?: string;
  cashRefundNo?: string;
  cashAmount?: string;
  insuranceRefundedAt?: string;
  refundedAt?: string;
}

export interface SettlementView {
  orderNo: string;
  status: SettlementStatus;
  reason?: string;
  route?: Route;
  ecToken?: string;
  medfeeSumamt: string;
  setlinfo?: Setlinfo;
  setldetail?: Setldetail[];
  /** 五期 route: the verified settlement's 中心流水号, 计算申请序号 and its parts in yuan (wuqiSettlementFacts). */
  wuqi?: { type: string; lsh: string; jssqxh: string; totalexpense: string; cash: string; fund: string; account: string };
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
  refund?: RefundSummary;
  resolution?: { decision: 'PAID' | 'FAILED'; operator: string; note: string; at: string };
}

export interface ResolveInput {
  decision: 'PAID' | 'FAILED';
  operator: string;
  note: string;
}

export interface RefundRequest {
  operator: Operator;
  reason?: string;
}

export const payPushSignal = defineSignal<[PayResult]>('payPush');
export const refundPushSignal = defineSignal<[RefundResult]>('refundPush');
export const statusQuery = defineQuery<SettlementView>('status');
export const resolveUpdate = defineUpdate<SettlementView, [ResolveInput]>('resolve');
/** Long-poll: completes when the settlement has left PROCESSING. */
export const awaitOutcomeUpdate = defineUpdate<SettlementView>('awaitOutcome');
export const requestRefundUpdate = defineUpdate<RefundSummary, [RefundRequest]>('requestRefund');

// Refund workflow (a child of the settlement)
export interface RefundInput {
  orderNo: string;
  route: Route;
  ecToken: string;
  operator: Operator;
  setlId: string;
  mdtrtId: string;
  psnNo: string;
  insuplcAdmdvs?: string;
  cashFen: number;
  channel: string;
  thirdOrderNo?: string;
  /** A retry after a failed refund whose insurance part was already refunded. */
  insuranceAlreadyRefunded?: boolean;
  timing: RefundTiming;
}

export interface RefundView {
  orderNo: string;
  status: RefundStatus;
  reason?: string;
  step: string;
  events: SettlementEvent[];
  insuranceRefundedAt?: string;
  cashRefundNo?: string;
  cashAmount?: string;
  refundedAt?: string;
}

export interface RefundResolveInput {
  decision: 'REFUNDED' | 'REFUND_FAILED';
  operator: string;
  note: string;
}

export const refundStatusQuery = defineQuery<RefundView>('refundStatus');
export const resolveRefundUpdate = defineUpdate<RefundView, [RefundResolveInput]>('resolveRefund');

export const refundWorkflowId = (orderNo: string) => `refund-${orderNo}`;

/** Child -> parent: the refund's progress, so the settlement's status mirrors it. */
export const refundProgressSignal = defineSignal<[RefundSummary]>('refundProgress');
