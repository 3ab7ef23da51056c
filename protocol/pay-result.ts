import { z } from 'zod';
import { se03Output, se04Output, se05Output, se06Output, type Channel } from './se-messages';
import { safeFailureText } from './failure-text';
import { amountFields } from './money';
import type { Setldetail, Setlinfo } from './settlement';
import type { WuqiSettlement } from './wuqi-settlement';

/** A settlement result as the workflow sees it, whether it came by push (SE03) or query (SE04). */
export interface PayResult {
  source: 'push' | 'poll';
  ecToken: string;
  payStatus: '1' | '-1';
  setlinfo?: Setlinfo;
  setldetail?: Setldetail[];
  channel: Channel;
  thirdOrderNo?: string;
  tradeNo?: string;
  /** normalized to 2 decimals */
  amount?: string;
  /** amount in integer fen: the platform writes "5000.0", "5000.00" or 5000 for the same sum. */
  amountFen?: number;
  billTime?: string;
  gmt?: string;
  failureText?: string;
  /** When our callback receiver got the push (epoch ms). */
  receivedAt?: number;
  /** 五期 route: the paid payResponse read as an SH02/SI12 output (protocol/wuqi-settlement.ts); no setlinfo then. */
  wuqi?: WuqiSettlement;
}

export type PayQuery = { kind: 'result'; result: PayResult } | { kind: 'processing' };

/**
 * SE04 before the settlement is done. V13 §2.3.3 and 五期 §4.8.4.3 define no status field for SE04: an
 * unfinished payment is a refusal whose text says it is still being processed (both routes).
 */
export const SE04_PROCESSING = /处理中|支付中|结算中|进行中/;

/** The third-party payment fields of an SE03/SE04 answer (national or 五期), as PayResult names them. */
export function thirdParty(v: {
  orderNo?: string | null;
  tradeNo?: string | null;
  amount?: string | number | null;
  billTime?: string | null;
  gmt?: string | null;
}) {
  return {
    ...(v.orderNo ? { thirdOrderNo: v.orderNo } : {}),
    ...(v.tradeNo ? { tradeNo: v.tradeNo } : {}),
    ...amountFields(v.amount),
    ...(v.billTime ? { billTime: v.billTime } : {}),
    ...(v.gmt ? { gmt: v.gmt } : {}),
  };
}

/** SE03 output (already validated) -> PayResult. */
export function payResultFromPush(out: z.output<typeof se03Output>): PayResult {
  const base = { source: 'push' as const, ecToken: out.ecToken, channel: out.channel, ...thirdParty(out) };
  if (out.payStatus === '-1') {
    // codes and scrubbed messages only: a failure's payResponse may name the person (protocol/failure-text.ts)
    return { ...base, payStatus: '-1', failureText: safeFailureText(out.payResponse) };
  }
  return { ...base, payStatus: '1', setlinfo: out.settlement!.setlinfo, setldetail: out.settlement!.setldetail };
}

/**
 * SE04 output (already validated) -> the paid result. SE04 has no payStatus: an answer with a payResponse
 * is a settled payment. "Still processing" and "failed" come as refusals (infcode -1 / a 五期 code) and
 * are mapped by the activity, not here.
 */
export function payQueryFromSe04(out: z.output<typeof se04Output>): PayQuery {
  const base = { source: 'poll' as const, ecToken: out.ecToken, channel: out.channel, ...thirdParty(out) };
  return { kind: 'result', result: { ...base, payStatus: '1', setlinfo: out.settlement!.setlinfo, setldetail: out.settlement!.setldetail } };
}

export interface RefundResult {
  source: 'push' | 'poll';
  ecToken: string;
  refundStatus: '1' | '0' | '-1';
  refundNo?: string;
  amount?: string;
  /** amount in integer fen (mixed formats in the samples: "5000.0", "5000.00", numbers). */
  amountFen?: number;
  rmt?: string;
  thirdOrderNo?: string;
  channel?: string;
  billTime?: string;
}

export function refundResult(source: 'push' | 'poll', out: z.output<typeof se05Output> | z.output<typeof se06Output>): RefundResult {
  return {
    source,
    ecToken: out.ecToken,
    refundStatus: out.refundStatus as RefundResult['refundStatus'],
    ...(out.refundNo ? { refundNo: out.refundNo } : {}),
    ...amountFields(out.amount),
    ...(out.rmt ? { rmt: out.rmt } : {}),
    ...(out.orderNo ? { thirdOrderNo: out.orderNo } : {}),
    ...(out.channel ? { channel: out.channel } : {}),
    ...(out.billTime ? { billTime: out.billTime } : {}),
  };
}
