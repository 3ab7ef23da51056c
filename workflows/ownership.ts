// Every result tied to its own order (issue 10 §5). In the V13 samples the SE03/SE04 第三方支付订单号
// has the hospital orderNo format: a result carrying one of OUR order numbers that is not this
// order's belongs to another order and is never applied here.

/** Our orderNo: FIXMEDINS_CODE (12) + yyyyMMddHHmmssSSS + 6 digits; on 五期 without the leading H. */
export function foreignOrder(orderNo: string, thirdOrderNo: string | undefined): string | undefined {
  if (!thirdOrderNo) return undefined;
  const wuqiForm = orderNo.replace(/^H/, '');
  if (thirdOrderNo === orderNo || thirdOrderNo === wuqiForm) return undefined;
  const code = orderNo.slice(0, orderNo.length - 23);
  const ours = [code, code.replace(/^H/, '')].some((c) => thirdOrderNo.length === c.length + 23 && thirdOrderNo.startsWith(c) && /^\d{23}$/.test(thirdOrderNo.slice(c.length)));
  return ours ? `FOREIGN_ORDER: the result names our order ${thirdOrderNo}, not this one` : undefined;
}
