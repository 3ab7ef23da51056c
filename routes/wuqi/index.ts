// The 五期 route's workflow-safe part (五期 §4.8: SE02 with the SH02/SI12 bill, SE03/SE04 with its payResponse,
// SK01 for refunds, SE06 where national would reverse). Pure: the workflows call it through routes/index.ts.
import { toFen } from '../../protocol/money';
import { sl01PartsOf, type Sl01Parts } from '../../protocol/recon-wuqi';
import { sameWuqiPayResult, verifyWuqiPaidResult, wuqiSettlementFacts } from '../../protocol/wuqi-verify';
import type { RouteRules } from '../route-adapter';
import { wuqiDayClose } from './day-close-rules';
import { wuqiRefundPolicy } from './refund-policy';

/** Before this patch a 五期 totalexpense was compared with the bill's total alone; those histories replay so. */
export const WUQI_SELF_PAY_PATCH = 'wuqi-self-pay';

export const wuqi: RouteRules = {
  route: 'WUQI',
  memoFields: ['wuqi'],
  ownEvents: ['SK01_CHECKED'],
  // SE02 takes the 五期 bill (SH02/SI12 xxnr)
  submitParts: (input) => ({ wuqiPayRequest: input.wuqiPayRequest }),
  inputRefusal: (input) => (input.wuqiPayRequest ? undefined : 'ROUTE_WUQI_NO_PAYREQUEST'),
  needsPersonInfo: false,
  // results are read against the bill's own output table (protocol/wuqi-verify.ts): the whole bill settled,
  // amount within the cash part's bounds; a push agrees with SE04 on payStatus, lsh, totalexpense, channel and amount
  payChecks: (ctx) => {
    const legacyTotal = !ctx.patched(WUQI_SELF_PAY_PATCH);
    return {
      verify: (r) => verifyWuqiPaidResult({ ecToken: ctx.ecToken, bill: ctx.input.wuqiPayRequest!, legacyTotal }, r),
      agree: sameWuqiPayResult,
    };
  },
  paidId: (r) => (r.wuqi ? { setlId: r.wuqi.lsh, claimKey: `wuqi-lsh:${r.wuqi.lsh}` } : undefined),
  // lsh, jssqxh, totalexpense and the parts of the verified payResponse; cash = the verified channel amount
  // (SK01, refunds and reconciliation use them); the payer's 卡号 as the payResponse carried it, masked
  settled: (r) =>
    r.wuqi && {
      view: { wuqi: { ...wuqiSettlementFacts(r.wuqi, r), ...sl01Of(r.wuqi.xxnr) } },
      payerCardMask: typeof r.wuqi.xxnr.cardid === 'string' && r.wuqi.xxnr.cardid ? r.wuqi.xxnr.cardid : undefined,
    },
  viewFacts: (v) => (v.wuqi ? { setlId: v.wuqi.lsh, cashFen: toFen(v.wuqi.cash) } : undefined),
  // SK01 by the settlement's lsh and totalexpense; the cash part is what the patient paid (the verified amount).
  // SK01 carries the bill's own xsywlx, "2" unless the bill says "1" (docs/spec-readings.md "五期 route", SK01
  // xsywlx; "2" is left out of the child's input, as before)
  refundTarget: (v, input) => {
    const w = v.wuqi;
    if (!w) return undefined;
    const xsywlx = input.wuqiPayRequest?.xxnr.xsywlx;
    return {
      setlId: w.lsh,
      mdtrtId: '',
      psnNo: '',
      wuqi: { translsh: w.lsh, totalexpense: w.totalexpense, ...(xsywlx === '1' ? { xsywlx: '1' as const } : {}) },
      cashFen: toFen(w.cash),
    };
  },
  // the HIS webhook has carried no 五期 parts so far (only medfeeSumamt): unchanged here
  webhookAmounts: () => undefined,
  centreFacts: (v) => (v.wuqi ? { wuqi: v.wuqi } : undefined),
  refund: wuqiRefundPolicy,
  dayClose: wuqiDayClose,
};

/** The settlement's SL01 parts (protocol/recon-wuqi.ts) for the day close; none when a field does not read as an amount. */
function sl01Of(xxnr: Record<string, unknown>): { sl01?: Sl01Parts } {
  try {
    return { sl01: sl01PartsOf(xxnr) };
  } catch {
    return {};
  }
}
