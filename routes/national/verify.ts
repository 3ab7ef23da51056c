// The national route's checks (V13 SE03/SE04 with the 2207 settlement): pure, so the workflows may call them.
import { toFen } from '../../protocol/money';
import type { PayResult } from '../../protocol/pay-result';

// A push is not proof: these checks run before any result may make an order PAID.
// Each returns a reason when something does not add up, or undefined.

export function verifyPaidResult(expected: { ecToken: string; medfeeFen: number }, r: PayResult): string | undefined {
  if (r.ecToken !== expected.ecToken) return 'ECTOKEN_MISMATCH: result is for another ecToken';
  if (r.payStatus !== '1') return undefined;
  const s = r.setlinfo;
  if (!s) return 'NO_SETLINFO: a paid result without setlinfo';
  try {
    const medfee = toFen(s.medfee_sumamt);
    if (medfee !== expected.medfeeFen) return `MEDFEE_MISMATCH: asked ${expected.medfeeFen} fen, settled ${medfee} fen`;
    if (toFen(s.fund_pay_sumamt) + toFen(s.psn_part_amt) + toFen(s.hosp_part_amt) !== medfee) {
      return 'SETLINFO_INCONSISTENT: fund_pay_sumamt + psn_part_amt + hosp_part_amt ≠ medfee_sumamt';
    }
    const cash = toFen(s.psn_cash_pay);
    if (r.channel === 'ybpay') {
      if (cash !== 0) return `YBPAY_WITH_CASH: channel ybpay but psn_cash_pay is ${cash} fen`;
    } else {
      if (r.amount === undefined) return 'CASH_AMOUNT_MISSING: third-party amount absent';
      const amount = toFen(r.amount);
      if (amount !== cash) return `CASH_AMOUNT_MISMATCH: channel amount ${amount} fen, psn_cash_pay ${cash} fen`;
    }
  } catch (err) {
    return `UNREADABLE_AMOUNT: ${(err as Error).message}`;
  }
  return undefined;
}

/** A pushed result must agree with the platform's own answer to SE04. */
export function samePayResult(push: PayResult, query: PayResult): string | undefined {
  if (push.payStatus !== query.payStatus) return `PUSH_QUERY_MISMATCH: payStatus ${push.payStatus} vs ${query.payStatus}`;
  if (push.payStatus !== '1') return undefined;
  const a = push.setlinfo!;
  const b = query.setlinfo!;
  if (a.setl_id !== b.setl_id) return `PUSH_QUERY_MISMATCH: setl_id ${a.setl_id} vs ${b.setl_id}`;
  for (const k of ['medfee_sumamt', 'fund_pay_sumamt', 'acct_pay', 'psn_cash_pay'] as const) {
    if (toFen(a[k]) !== toFen(b[k])) return `PUSH_QUERY_MISMATCH: ${k}`;
  }
  if (push.channel !== query.channel) return `PUSH_QUERY_MISMATCH: channel ${push.channel} vs ${query.channel}`;
  if ((push.amount === undefined) !== (query.amount === undefined) || (push.amount !== undefined && toFen(push.amount) !== toFen(query.amount!))) {
    return 'PUSH_QUERY_MISMATCH: amount';
  }
  return undefined;
}
