import { formatYuan, toFen } from './money';
import type { PayResult } from './pay-result';
import { billTotalFen, type WuqiBill, type WuqiBillType } from './wuqi-bills';
import { parseWuqiPayResponse, type WuqiSettlement } from './wuqi-results';
import { describeZodError } from './zod-helpers';
import { z } from 'zod';

// Pure checks a 五期 result must pass before an order may become PAID. Each returns a reason
// ("CODE: detail") when something does not add up, or undefined. No I/O, so workflows may call them.

/**
 * The 交易费用总额 sum rule of the output table:
 *  - SH02 (§4.3.2.3 说明 1) and SI12 (§4.3.4.3 说明 1): totalexpense = curaccountpay + hisaccountpay + zfdxjzfs
 *    + zfdlnzhzfs + tcdzhzfs + tcdxjzfs + tczfs + fjdzhzfs + fjdxjzfs + fjzfs
 *    [+ gjzhzfs + zfdgjzhzfs + tcdgjzhzfs + fjdgjzhzfs: V1.0.6 A.1 ①, when present];
 *    SH02's 说明 1 goes on "= 医保结算范围费用总额" (ybjsfwfyze), checked too.
 *  - SI52 (§4.3.6.3 说明 1): totalexpense = qfdzhzfs + tcdzhzfs + fjdzhzfs + qfdxjzfs + tcdxjzfs + fjdxjzfs + tczfs + fjzfs
 *    [+ qfdgjzhzfs + tcdgjzhzfs + fjdgjzhzfs: V1.0.6 A.2 ①, when present].
 */
export const SUM_TERMS: Record<WuqiBillType, { base: readonly string[]; v106: readonly string[] }> = {
  SH02: {
    base: ['curaccountpay', 'hisaccountpay', 'zfdxjzfs', 'zfdlnzhzfs', 'tcdzhzfs', 'tcdxjzfs', 'tczfs', 'fjdzhzfs', 'fjdxjzfs', 'fjzfs'],
    v106: ['gjzhzfs', 'zfdgjzhzfs', 'tcdgjzhzfs', 'fjdgjzhzfs'],
  },
  SI12: {
    base: ['curaccountpay', 'hisaccountpay', 'zfdxjzfs', 'zfdlnzhzfs', 'tcdzhzfs', 'tcdxjzfs', 'tczfs', 'fjdzhzfs', 'fjdxjzfs', 'fjzfs'],
    v106: ['gjzhzfs', 'zfdgjzhzfs', 'tcdgjzhzfs', 'fjdgjzhzfs'],
  },
  SI52: {
    base: ['qfdzhzfs', 'tcdzhzfs', 'fjdzhzfs', 'qfdxjzfs', 'tcdxjzfs', 'fjdxjzfs', 'tczfs', 'fjzfs'],
    v106: ['qfdgjzhzfs', 'tcdgjzhzfs', 'fjdgjzhzfs'],
  },
};

const present = (v: unknown) => v !== undefined && v !== null && v !== '';

export function checkSumRule(type: WuqiBillType, xxnr: Record<string, unknown>): string | undefined {
  try {
    const terms = [...SUM_TERMS[type].base, ...SUM_TERMS[type].v106.filter((k) => present(xxnr[k]))];
    const sum = terms.reduce((acc, k) => acc + toFen(xxnr[k] as string | number), 0);
    const total = toFen(xxnr.totalexpense as string | number);
    if (sum !== total) return `SUM_RULE_BROKEN: ${type} totalexpense ${total} fen, its terms sum to ${sum} fen`;
    if (type === 'SH02' && toFen(xxnr.ybjsfwfyze as string | number) !== total) {
      return `SUM_RULE_BROKEN: SH02 totalexpense ${total} fen ≠ ybjsfwfyze ${toFen(xxnr.ybjsfwfyze as string | number)} fen (§4.3.2.3 说明 1)`;
    }
  } catch (err) {
    return `UNREADABLE_AMOUNT: ${(err as Error).message}`;
  }
  return undefined;
}

/** The settled 交易费用总额 is the bill's (SH02 totalexpense; SI12/SI52 the sum over mxzdhs). */
export function checkBillTotal(bill: WuqiBill, s: Pick<WuqiSettlement, 'totalexpenseFen'>): string | undefined {
  const asked = billTotalFen(bill);
  if (asked !== s.totalexpenseFen) return `TOTALEXPENSE_MISMATCH: bill ${asked} fen, settled ${s.totalexpenseFen} fen`;
  return undefined;
}

/**
 * The third-party amount is the personal cash part (CASH_FIELDS in wuqi-results.ts). channel ybpay is
 * "0现金的付款" (§4.8.3), so then the cash part must be 0 and no amount is needed.
 */
export function checkCashAmount(r: Pick<PayResult, 'channel' | 'amount'>, s: Pick<WuqiSettlement, 'cashFen'>): string | undefined {
  try {
    if (r.channel === 'ybpay') return s.cashFen === 0 ? undefined : `YBPAY_WITH_CASH: channel ybpay but the cash part is ${s.cashFen} fen`;
    if (r.amount === undefined) return 'CASH_AMOUNT_MISSING: third-party amount absent';
    const amount = toFen(r.amount);
    return amount === s.cashFen ? undefined : `CASH_AMOUNT_MISMATCH: channel amount ${amount} fen, cash part ${s.cashFen} fen`;
  } catch (err) {
    return `UNREADABLE_AMOUNT: ${(err as Error).message}`;
  }
}

/**
 * Every check a paid 五期 result must pass: same ecToken; the payResponse read against the bill's own
 * output table; the sum rule; totalexpense = the bill's; amount = the cash part.
 */
export function verifyWuqiPaidResult(expected: { ecToken: string; bill: WuqiBill }, r: PayResult): string | undefined {
  if (r.ecToken !== expected.ecToken) return 'ECTOKEN_MISMATCH: result is for another ecToken';
  if (r.payStatus !== '1') return undefined;
  if (!r.wuqi) return 'NO_PAYRESPONSE: a paid 五期 result without its settlement';
  const parsed = parseWuqiPayResponse(expected.bill.type, r.wuqi.xxnr);
  if (!parsed.ok) return `PAYRESPONSE_NOT_${expected.bill.type}: ${describeZodError(new z.ZodError(parsed.issues))}`;
  const s = parsed.settlement;
  return checkSumRule(expected.bill.type, s.xxnr) ?? checkBillTotal(expected.bill, s) ?? checkCashAmount(r, s);
}

/** A pushed 五期 result must agree with the SE04 answer: payStatus, lsh, totalexpense (and the amount). */
export function sameWuqiPayResult(push: PayResult, query: PayResult): string | undefined {
  if (push.payStatus !== query.payStatus) return `PUSH_QUERY_MISMATCH: payStatus ${push.payStatus} vs ${query.payStatus}`;
  if (push.payStatus !== '1') return undefined;
  if (!push.wuqi || !query.wuqi) return 'PUSH_QUERY_MISMATCH: a 五期 settlement is missing';
  if (push.wuqi.lsh !== query.wuqi.lsh) return `PUSH_QUERY_MISMATCH: lsh ${push.wuqi.lsh} vs ${query.wuqi.lsh}`;
  if (push.wuqi.totalexpenseFen !== query.wuqi.totalexpenseFen) return `PUSH_QUERY_MISMATCH: totalexpense ${push.wuqi.totalexpenseFen} vs ${query.wuqi.totalexpenseFen} fen`;
  if (push.channel !== query.channel) return `PUSH_QUERY_MISMATCH: channel ${push.channel} vs ${query.channel}`;
  try {
    if ((push.amount === undefined) !== (query.amount === undefined) || (push.amount !== undefined && toFen(push.amount) !== toFen(query.amount!))) return 'PUSH_QUERY_MISMATCH: amount';
  } catch (err) {
    return `UNREADABLE_AMOUNT: ${(err as Error).message}`;
  }
  return undefined;
}

/**
 * What the workflow keeps of a verified 五期 settlement (status view, reconciliation), in yuan: lsh, jssqxh,
 * totalexpense, the cash part, the fund part (统筹支付数 tczfs + 附加支付数 fjzfs) and the account part (the
 * rest of the sum rule's terms: 帐户 and 共济 payments). Only meaningful once checkSumRule has passed.
 */
export function wuqiSettlementFacts(s: WuqiSettlement) {
  const fundFen = toFen(s.xxnr.tczfs as string | number) + toFen(s.xxnr.fjzfs as string | number);
  return {
    type: s.type,
    lsh: s.lsh,
    jssqxh: s.jssqxh,
    totalexpense: formatYuan(s.totalexpenseFen),
    cash: formatYuan(s.cashFen),
    fund: formatYuan(fundFen),
    account: formatYuan(s.totalexpenseFen - fundFen - s.cashFen),
  };
}

/** SK01's input for a verified settlement (§4.4.1.2). */
export function sk01InputFor(s: Pick<WuqiSettlement, 'lsh' | 'totalexpenseFen'>, ecToken: string) {
  return { cardtype: '3' as const, carddata: ecToken, translsh: s.lsh, totalexpense: formatYuan(s.totalexpenseFen), xsywlx: '2' as const };
}
