// Every result tied to its own order (issue 10 §5), whichever route the order took. In the V13 samples the SE03/SE04 第三方支付订单号
// has the hospital orderNo format: a result carrying one of OUR order numbers that is not this
// order's belongs to another order and is never applied here.

const TAIL = /^\d{23}$/;

/**
 * Our orderNo: FIXMEDINS_CODE (12) + yyyyMMddHHmmssSSS + 6 digits. Its 五期 form (§4.8.2.2, protocol/msgid.ts
 * wuqiOrderNo) is the 五期 医疗机构代码 (WUQI_ORG_CODE, 11) + the same last 23 digits. `wuqiOrgCode` comes with
 * the workflow's input; orders started before it was there (replayed histories) knew the 五期 form as the
 * orderNo without its leading H, which is also the default WUQI_ORG_CODE.
 */
export function foreignOrder(orderNo: string, thirdOrderNo: string | undefined, wuqiOrgCode?: string): string | undefined {
  if (!thirdOrderNo) return undefined;
  const tail = orderNo.slice(-23);
  const code = orderNo.slice(0, orderNo.length - 23);
  const legacyWuqiCode = code.replace(/^H/, '');
  const wuqiCode = wuqiOrgCode ?? legacyWuqiCode;
  if (thirdOrderNo === orderNo || thirdOrderNo === wuqiCode + tail) return undefined;
  // Any number in one of our forms names one of our orders; the H-less form stays ours too (orders sent
  // before WUQI_ORG_CODE was configured), so a result naming one of those is never applied here either.
  const ours = [code, wuqiCode, legacyWuqiCode].some(
    (c) => thirdOrderNo.length === c.length + 23 && thirdOrderNo.startsWith(c) && TAIL.test(thirdOrderNo.slice(c.length)),
  );
  return ours ? `FOREIGN_ORDER: the result names our order ${thirdOrderNo}, not this one` : undefined;
}
