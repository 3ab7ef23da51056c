import { formatYuan, toFen } from './money';
import type { PayResult } from './pay-result';
import { billTotalFen, type WuqiBill, type WuqiBillType } from './wuqi-bills';
import { cashBounds, parseWuqiPayResponse, type WuqiSettlement } from './wuqi-settlement';
import { describeZodError } from './zod-helpers';
import { z } from 'zod';

// Pure checks a 五期 result must pass before an order may become PAID. Each returns a reason
// ("CODE: detail") when something does not add up, or undefined. No I/O, so workflows may call them.

/**
 * The 交易费用总额 sum rule of the output table, SH02 (§4.3.2.3 说明 1) and SI12 (§4.3.4.3 说明 1):
 *   totalexpense = curaccountpay + hisaccountpay + zfdxjzfs + zfdlnzhzfs + tcdzhzfs + tcdxjzfs + tczfs + fjdzhzfs
 *   + fjdxjzfs + fjzfs [+ gjzhzfs + zfdgjzhzfs + tcdgjzhzfs + fjdgjzhzfs: V1.0.6 A.1 ①, when present];
 * SH02's 说明 1 goes on "= 医保结算范围费用总额" (ybjsfwfyze), checked too. The 非医保结算范围 part and the 自费
 * accounts that pay it (zflnzhzfs, zfgjzhzfs) are not terms: self-pay is outside totalexpense (guide §5.14
 * "totalexpense 即 inscp_scp_amt", "fybjsfwfyze 即 fulamt_ownpay_amt + overlmt_selfpay").
 */
const OUTPATIENT_TERMS = {
  base: ['curaccountpay', 'hisaccountpay', 'zfdxjzfs', 'zfdlnzhzfs', 'tcdzhzfs', 'tcdxjzfs', 'tczfs', 'fjdzhzfs', 'fjdxjzfs', 'fjzfs'],
  v106: ['gjzhzfs', 'zfdgjzhzfs', 'tcdgjzhzfs', 'fjdgjzhzfs'],
} as const;
export const SUM_TERMS: Record<WuqiBillType, { base: readonly string[]; v106: readonly string[] }> = { SH02: OUTPATIENT_TERMS, SI12: OUTPATIENT_TERMS };

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

/**
 * The whole bill is settled: the settled 交易费用总额 (the insured part) + 非医保结算范围费用总额 = the bill's
 * 交易费用总额 (insured + self-pay, billPartsProblem). `legacy`: workflows started before this reading compare
 * the bill's total with totalexpense alone (their histories replay with it; patch 'wuqi-self-pay').
 */
export function checkBillTotal(bill: WuqiBill, s: Pick<WuqiSettlement, 'totalexpenseFen' | 'xxnr'>, legacy = false): string | undefined {
  const asked = billTotalFen(bill);
  if (legacy) return asked === s.totalexpenseFen ? undefined : `TOTALEXPENSE_MISMATCH: bill ${asked} fen, settled ${s.totalexpenseFen} fen`;
  try {
    const selfPay = toFen(s.xxnr.fybjsfwfyze as string | number);
    if (asked !== s.totalexpenseFen + selfPay)
      return `TOTALEXPENSE_MISMATCH: bill ${asked} fen, settled ${s.totalexpenseFen} fen insured + ${selfPay} fen 非医保结算范围`;
  } catch (err) {
    return `UNREADABLE_AMOUNT: ${(err as Error).message}`;
  }
  return undefined;
}

/**
 * The third-party amount is what the patient paid in cash (§1.3.10), within cashBounds: at least the in-scope
 * cash, at most that plus the self-pay part not paid by 自费 accounts; exactly the in-scope cash when the bill
 * has no self-pay part. channel ybpay is "0现金的付款" (§4.8.3): then the in-scope cash must be 0 and no amount
 * is needed (a self-pay part is then paid by the 自费 accounts or reduced).
 */
export function checkCashAmount(r: Pick<PayResult, 'channel' | 'amount'>, s: Pick<WuqiSettlement, 'xxnr'>): string | undefined {
  try {
    const { minFen, maxFen } = cashBounds(s);
    if (r.channel === 'ybpay') return minFen === 0 ? undefined : `YBPAY_WITH_CASH: channel ybpay but the in-scope cash part is ${minFen} fen`;
    if (r.amount === undefined) return 'CASH_AMOUNT_MISSING: third-party amount absent';
    const amount = toFen(r.amount);
    if (amount >= minFen && amount <= maxFen) return undefined;
    return minFen === maxFen
      ? `CASH_AMOUNT_MISMATCH: channel amount ${amount} fen, cash part ${minFen} fen`
      : `CASH_AMOUNT_MISMATCH: channel amount ${amount} fen, outside the cash part's bounds ${minFen}–${maxFen} fen (in-scope cash to in-scope cash + 非医保结算范围 less 自费 accounts)`;
  } catch (err) {
    return `UNREADABLE_AMOUNT: ${(err as Error).message}`;
  }
}

/** What the patient paid in cash, once checkCashAmount has passed: the channel amount, 0 for ybpay. */
export function paidCashFen(r: Pick<PayResult, 'channel' | 'amount'>): number {
  return r.channel === 'ybpay' || r.amount === undefined ? 0 : toFen(r.amount);
}

/**
 * Every check a paid 五期 result must pass: same ecToken; the payResponse read against the bill's own
 * output table; the sum rule; the whole bill settled; the amount within the cash part's bounds.
 */
export function verifyWuqiPaidResult(expected: { ecToken: string; bill: WuqiBill; legacyTotal?: boolean }, r: PayResult): string | undefined {
  if (r.ecToken !== expected.ecToken) return 'ECTOKEN_MISMATCH: result is for another ecToken';
  if (r.payStatus !== '1') return undefined;
  if (!r.wuqi) return 'NO_PAYRESPONSE: a paid 五期 result without its settlement';
  const parsed = parseWuqiPayResponse(expected.bill.type, r.wuqi.xxnr);
  if (!parsed.ok) return `PAYRESPONSE_NOT_${expected.bill.type}: ${describeZodError(new z.ZodError(parsed.issues))}`;
  const s = parsed.settlement;
  return checkSumRule(expected.bill.type, s.xxnr) ?? checkBillTotal(expected.bill, s, expected.legacyTotal) ?? checkCashAmount(r, s);
}

/** A pushed 五期 result must agree with the SE04 answer: payStatus, lsh, totalexpense (and the amount). */
export function sameWuqiPayResult(push: PayResult, query: PayResult): string | undefined {
  if (push.payStatus !== query.payStatus) return `PUSH_QUERY_MISMATCH: payStatus ${push.payStatus} vs ${query.payStatus}`;
  if (push.payStatus !== '1') return undefined;
  if (!push.wuqi || !query.wuqi) return 'PUSH_QUERY_MISMATCH: a 五期 settlement is missing';
  if (push.wuqi.lsh !== query.wuqi.lsh) return `PUSH_QUERY_MISMATCH: lsh ${push.wuqi.lsh} vs ${query.wuqi.lsh}`;
  if (push.wuqi.totalexpenseFen !== query.wuqi.totalexpenseFen)
    return `PUSH_QUERY_MISMATCH: totalexpense ${push.wuqi.totalexpenseFen} vs ${query.wuqi.totalexpenseFen} fen`;
  if (push.channel !== query.channel) return `PUSH_QUERY_MISMATCH: channel ${push.channel} vs ${query.channel}`;
  try {
    if ((push.amount === undefined) !== (query.amount === undefined) || (push.amount !== undefined && toFen(push.amount) !== toFen(query.amount!)))
      return 'PUSH_QUERY_MISMATCH: amount';
  } catch (err) {
    return `UNREADABLE_AMOUNT: ${(err as Error).message}`;
  }
  return undefined;
}

/**
 * What the workflow keeps of a verified 五期 settlement (status view, reconciliation, refunds), in yuan: lsh,
 * jssqxh, totalexpense (the insured part), `cash` = what the patient paid in cash (the verified channel amount:
 * what the platform must refund), the fund part (统筹支付数 tczfs + 附加支付数 fjzfs), the account part (the rest
 * of the sum rule's terms: 帐户 and 共济 payments), and the self-pay part (fybjsfwfyze) with what the 自费 accounts
 * paid of it. Only meaningful once verifyWuqiPaidResult has passed.
 */
export function wuqiSettlementFacts(s: WuqiSettlement, paid: Pick<PayResult, 'channel' | 'amount'>) {
  const fundFen = toFen(s.xxnr.tczfs as string | number) + toFen(s.xxnr.fjzfs as string | number);
  const b = cashBounds(s);
  return {
    type: s.type,
    lsh: s.lsh,
    jssqxh: s.jssqxh,
    totalexpense: formatYuan(s.totalexpenseFen),
    cash: formatYuan(paidCashFen(paid)),
    fund: formatYuan(fundFen),
    account: formatYuan(s.totalexpenseFen - fundFen - b.minFen),
    inScopeCash: formatYuan(b.minFen),
    selfPay: formatYuan(b.selfPayFen),
    selfPayAccount: formatYuan(b.selfPayAccountFen),
  };
}

/** SK01's input for a verified settlement (§4.4.1.2); xsywlx is the bill's own (docs/spec-readings.md "五期 route", SK01 xsywlx). */
export function sk01InputFor(s: { translsh: string; totalexpense: string; xsywlx?: '1' | '2' }, carddata: string) {
  return { cardtype: '3' as const, carddata, translsh: s.translsh, totalexpense: s.totalexpense, xsywlx: s.xsywlx ?? ('2' as const) };
}
