// The national route's workflow-safe part (V13 over the national platform: SE02 with the 2207 payRequest,
// SE03/SE04 with setlinfo, 2208 and 2601 for refunds). Pure: the workflows call it through routes/index.ts.
import { formatYuan, toFen } from '../../protocol/money';
import type { RouteRules } from '../route-adapter';
import { nationalDayClose } from './day-close-rules';
import { nationalRefundPolicy } from './refund-policy';
import { samePayResult, verifyPaidResult } from './verify';

const yuan = (v: string | number | undefined) => (v === undefined ? undefined : formatYuan(toFen(v)));

export const national: RouteRules = {
  route: 'NATIONAL',
  memoFields: [],
  ownEvents: [],
  inputRefusal: () => undefined,
  // 1101 for the header's insuplc_admdvs (national §4.1 表3 #4)
  needsPersonInfo: true,
  payChecks: (ctx) => ({
    verify: (r) => verifyPaidResult({ ecToken: ctx.ecToken, medfeeFen: ctx.medfeeFen }, r),
    agree: samePayResult,
  }),
  paidId: (r) => (r.setlinfo ? { setlId: r.setlinfo.setl_id, claimKey: `setl:${r.setlinfo.setl_id}` } : undefined),
  settled: (r) => ({ view: { setlinfo: r.setlinfo, setldetail: r.setldetail } }),
  viewFacts: (v) => (v.setlinfo ? { setlId: v.setlinfo.setl_id, cashFen: toFen(v.setlinfo.psn_cash_pay) } : undefined),
  // 2208 by setl_id, mdtrt_id and psn_no; the cash part is psn_cash_pay
  refundTarget: (v) => {
    const s = v.setlinfo;
    return s && { setlId: s.setl_id, mdtrtId: s.mdtrt_id, psnNo: s.psn_no, cashFen: toFen(s.psn_cash_pay) };
  },
  webhookAmounts: (v) => {
    const s = v.setlinfo;
    return s && { fundPaySumamt: yuan(s.fund_pay_sumamt), acctPay: yuan(s.acct_pay), psnCashPay: yuan(s.psn_cash_pay) };
  },
  // only what the query (5203 / 5203A) and the comparison read: no name, no ID number
  centreFacts: (v) => {
    const s = v.setlinfo as unknown as Record<string, string | null | undefined> | undefined;
    if (!s) return undefined;
    const setlinfo = {
      setl_id: s.setl_id ?? undefined,
      mdtrt_id: s.mdtrt_id ?? undefined,
      psn_no: s.psn_no ?? undefined,
      med_type: s.med_type ?? undefined,
      setl_time: s.setl_time ?? undefined,
      medins_setl_id: s.medins_setl_id,
      medfee_sumamt: s.medfee_sumamt ?? '0',
      fund_pay_sumamt: s.fund_pay_sumamt ?? '0',
      acct_pay: s.acct_pay ?? '0',
      psn_cash_pay: s.psn_cash_pay ?? '0',
    };
    return { setlinfo };
  },
  refund: nationalRefundPolicy,
  dayClose: nationalDayClose,
};
