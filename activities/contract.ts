// The contract between the workflows and the platform activities: the one home of what each
// platform call takes and answers. Workflows import only these types; activities/platform-activities.ts
// implements them (createPlatformActivities(...) satisfies PlatformActivities), and the time-skipping
// tests implement them with scripted fakes.
//
// Rules every implementation keeps:
// - Platform outcomes are returned, never thrown: ok / business (the platform said no) / unknown (we cannot
//   tell whether the platform acted: timeout, reset, 5xx, malformed answer, a §3.4 T-code).
// - Money-moving calls (submitSe02, refundInsurance, reverseInsuranceRefund, submitSe07) send exactly one
//   HTTP request per call and carry the msgid they used, so an unknown outcome can be queried or reversed.
// - Read-only calls may be retried by Temporal; they throw only for infrastructure errors.
import type { Se01Terminal } from '../platform/identity';
import type { Operator } from '../protocol/national-header';

/** The HIS staff member a call is made for (the platform headers' opter / opter_name). */
export type { Operator };
import type { PayResult, RefundResult } from '../protocol/pay-result';
import type { Route, RouteFacts } from '../protocol/routing';
import type { Settle2207Data } from '../protocol/settlement';
import type { WuqiBill } from '../protocol/wuqi-bills';

export type Outcome<Ok extends object = object> =
  | ({ kind: 'ok'; msgid: string } & Ok)
  | { kind: 'business'; msgid: string; code: string; message: string }
  | { kind: 'unknown'; msgid: string; reason: string };

/** SE02 submit outcome: ok only means "received" (V13 §SE02). */
export type Submit = Outcome;

/** SE04: a payResponse means paid (V13 SE04 has no payStatus); notFound is a clear "no such order". */
export type PayQueryOutcome = (
  { kind: 'result'; result: PayResult } | { kind: 'processing' } | { kind: 'notFound'; message: string } | { kind: 'unknown'; reason: string }
) &
  AnsweredAt;

/** SE06: refundStatus 0 is "in progress" and comes back as a result with refundStatus '0'. */
export type RefundQueryOutcome = ({ kind: 'result'; result: RefundResult } | { kind: 'notFound'; message: string } | { kind: 'unknown'; reason: string }) &
  AnsweredAt;

/** A query's wall time (epoch ms). Recorded with the result, it moves the workflow's HistoryClock (workflows/clock.ts). */
export interface AnsweredAt {
  at?: number;
}

export type IdentityAnswer = { kind: 'ok'; ecToken: string; identityMatches: boolean | null } | { kind: 'business'; message: string };
export type AccountAnswer = { kind: 'ok'; accountattr: string; nameMatches: boolean | null } | { kind: 'business'; message: string };

/** 1101 人员信息获取 (national §5.x, Shanghai guide §5.1): psn_no and insuplc_admdvs for the national header. */
export type PersonInfoAnswer =
  { kind: 'ok'; psnNo: string; insuplcAdmdvs: string } | { kind: 'business'; message: string } | { kind: 'unknown'; reason: string };

/**
 * SE01 → SM01 → 1101 in one activity (Shanghai guide §4.3.2), so that SE01's name, certificate type and
 * number reach 1101 without ever leaving the activity. `account` is absent when SM01's outcome was unknown
 * (the workflow asks SM01 again); `person` is absent when 1101 was not asked (五期 route, 异地, or the HIS
 * gave insuplcAdmdvs).
 */
export type QrIdentityAnswer =
  { kind: 'ok'; ecToken: string; identityMatches: boolean | null; account?: AccountAnswer; person?: PersonInfoAnswer } | { kind: 'business'; message: string };

export interface QrIdentityInput {
  ecQrCode: string;
  ecQrChannel: '1' | '2' | '3';
  operator: Operator;
  pName?: string;
  pIdNo?: string;
  terminal?: Se01Terminal;
  /** what decides the route besides the person (the bill's persontype, med_type) */
  routeFacts: RouteFacts;
  /** the HIS's insuplcAdmdvs: with one, 1101 is not asked */
  insuplcAdmdvs?: string;
}

/**
 * The insurance part of a refund: 2208 (national) or SK01 (五期). `output` is the platform's answer as
 * stored for reconciliation (2208 setlinfo of the reversal, or the SK01 xxnr). alreadyRefunded marks
 * "已经退款" / P510.
 */
export type InsuranceRefund =
  | { kind: 'ok'; msgid: string; output: Record<string, unknown> }
  | { kind: 'business'; msgid: string; code: string; message: string; alreadyRefunded: boolean; tokenRefused?: boolean }
  | { kind: 'unknown'; msgid: string; reason: string };

/** A fresh e-voucher for a 五期 refund, checked to be the payer's: its ecToken, or why not. */
export type RefundVoucherAnswer = { kind: 'ok'; ecToken: string } | { kind: 'refused'; message: string };

export interface InsuranceRefundInput {
  route: Route;
  orderNo: string;
  ecToken: string;
  operator: Operator;
  /** national 2208 */
  setlId: string;
  mdtrtId: string;
  psnNo: string;
  insuplcAdmdvs?: string;
  /**
   * 五期 SK01 (§4.4.1): translsh = the settlement's 中心流水号 lsh, totalexpense as settled ("100.00"), xsywlx the
   * bill's (default "2"), carddata a fresh ecToken when the refund got one (else ecToken); see sk01InputFor.
   */
  wuqi?: { translsh: string; totalexpense: string; xsywlx?: '1' | '2'; carddata?: string };
}

/** 2601 冲正 of a 2208 whose outcome is unknown (Shanghai guide §4.10). Never a refund by itself. */
export interface ReversalInput {
  omsgid: string;
  oinfno: '2208';
  psnNo: string;
  insuplcAdmdvs?: string;
  operator: Operator;
}

export interface PlatformActivities {
  /** SE01: QR code -> ecToken; pName/pIdNo compared inside, so the identity never enters workflow state. (Histories before identifyByQr.) */
  decodeQr(a: {
    ecQrCode: string;
    ecQrChannel: '1' | '2' | '3';
    operator: Operator;
    pName?: string;
    pIdNo?: string;
    terminal?: Se01Terminal;
  }): Promise<IdentityAnswer>;
  /** SE01 → SM01 → (national, not 异地, no HIS insuplcAdmdvs) 1101 with SE01's identity; only ecToken, accountattr, psn_no and insuplc_admdvs come back. */
  identifyByQr(a: QrIdentityInput): Promise<QrIdentityAnswer>;
  /** SM01: accountattr decides the route. */
  queryAccount(a: { ecToken: string; operator: Operator; pName?: string }): Promise<AccountAnswer>;
  /** 1101 with mdtrt_cert_type 01 and the ecToken; psn_cert_type 01 (居民身份证) unless given (SE01's idtype). */
  queryPersonInfo(a: { ecToken: string; operator: Operator; pName?: string; pIdNo?: string; psnCertType?: string }): Promise<PersonInfoAnswer>;
  submitSe02(a: {
    route: Route;
    orderNo: string;
    ecToken: string;
    operator: Operator;
    payRequest: Settle2207Data;
    /** 五期: the HIS's SH02/SI12 bill; cardtype 3 / carddata = ecToken are filled in by the activity. */
    wuqiPayRequest?: WuqiBill;
    insuplcAdmdvs?: string;
    pName?: string;
    pIdNo?: string;
  }): Promise<Submit>;
  queryPayResult(a: { route: Route; ecToken: string; operator: Operator }): Promise<PayQueryOutcome>;
  refundInsurance(a: InsuranceRefundInput): Promise<InsuranceRefund>;
  reverseInsuranceRefund(a: ReversalInput): Promise<Outcome>;
  queryRefund(a: { route: Route; ecToken: string; operator: Operator }): Promise<RefundQueryOutcome>;
  /**
   * 五期 refund with a fresh e-voucher: SE01 (a QR code) and SM01 on it; ok only when SM01's 卡号, masked as the
   * settlement's (payerCardMask), is the payer's. No name or ID number leaves the activity.
   */
  checkRefundVoucher(a: {
    voucher: { ecToken: string } | { ecQrCode: string; ecQrChannel: '1' | '2' | '3' };
    payerCardMask?: string;
    operator: Operator;
  }): Promise<RefundVoucherAnswer>;
  /** SE07 现金改账: only when the insurance part is refunded and the cash part is not (五期 §4.8.7). */
  submitSe07(a: { route: Route; ecToken: string; thirdOrderNo: string; operator: Operator }): Promise<Outcome & { alreadyRefunded?: boolean }>;
  /**
   * Race-free claim of a key (e.g. `setl:<setl_id>`, `ectoken:<ecToken>`) for an order, through a Temporal
   * workflow ID: returns the order that holds it (this one if the claim won).
   */
  claim(a: { key: string; orderNo: string }): Promise<{ owner: string }>;
}
