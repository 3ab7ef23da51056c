import { z } from 'zod';
import { se03Output, se04Output, se05Output, se06Output, type Channel } from './se-messages';
import type { Setldetail, Setlinfo } from './settlement';
import type { WuqiSettlement } from './wuqi-results';

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
  amount?: string;
  billTime?: string;
  gmt?: string;
  failureText?: string;
  /** When our callback receiver got the push (epoch ms). */
  receivedAt?: number;
  /** 五期 route: the paid payResponse read as an SH02/SI12/SI52 output (protocol/wuqi-results.ts); no setlinfo then. */
  wuqi?: WuqiSettlement;
}

export type PayQuery = { kind: 'result'; result: PayResult } | { kind: 'processing' };

function thirdParty(v: { orderNo?: string | null; tradeNo?: string | null; amount?: string | number | null; billTime?: string | null; gmt?: string | null }) {
  return {
    ...(v.orderNo ? { thirdOrderNo: v.orderNo } : {}),
    ...(v.tradeNo ? { tradeNo: v.tradeNo } : {}),
    ...(v.amount !== undefined && v.amount !== null ? { amount: String(v.amount) } : {}),
    ...(v.billTime ? { billTime: v.billTime } : {}),
    ...(v.gmt ? { gmt: v.gmt } : {}),
  };
}

/** SE03 output (already validated) -> PayResult. */
export function payResultFromPush(out: z.output<typeof se03Output>): PayResult {
  const base = { source: 'push' as const, ecToken: out.ecToken, channel: out.channel, ...thirdParty(out) };
  if (out.payStatus === '-1') {
    return { ...base, payStatus: '-1', failureText: typeof out.payResponse === 'string' ? out.payResponse.slice(0, 200) : JSON.stringify(out.payResponse).slice(0, 200) };
  }
  return { ...base, payStatus: '1', setlinfo: out.settlement!.setlinfo, setldetail: out.settlement!.setldetail };
}

/** SE04 output (already validated) -> a result, or "still processing". */
export function payQueryFromSe04(out: z.output<typeof se04Output>): PayQuery {
  if (out.payStatus === '0') return { kind: 'processing' };
  const base = { source: 'poll' as const, ecToken: out.ecToken, channel: out.channel ?? 'ybpay', ...thirdParty(out) };
  if (out.payStatus === '-1') {
    return { kind: 'result', result: { ...base, payStatus: '-1', failureText: String(out.payResponse ?? '').slice(0, 200) } };
  }
  return { kind: 'result', result: { ...base, payStatus: '1', setlinfo: out.settlement!.setlinfo, setldetail: out.settlement!.setldetail } };
}

export interface RefundResult {
  source: 'push' | 'poll';
  ecToken: string;
  refundStatus: '1' | '0' | '-1';
  refundNo?: string;
  amount?: string;
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
    ...(out.amount !== undefined && out.amount !== null ? { amount: String(out.amount) } : {}),
    ...(out.rmt ? { rmt: out.rmt } : {}),
    ...(out.orderNo ? { thirdOrderNo: out.orderNo } : {}),
    ...(out.channel ? { channel: out.channel } : {}),
    ...(out.billTime ? { billTime: out.billTime } : {}),
  };
}
