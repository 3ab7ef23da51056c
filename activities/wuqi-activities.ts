// The 五期 (WUQI) side of the platform activities: SE02 with the typed bill, SE04, SK01, SE06, SE07.
// activities/platform-activities.ts delegates its WUQI branches here. Outcomes follow the §3.4 table
// (protocol/wuqi-codes.ts): ok / business / unknown, with P610 "not found" and P510 "already refunded".
import { z } from 'zod';
import { InvalidRequestError, type CallOutcome, type PlatformClient } from '../platform/client';
import { wuqiOrderNo } from '../protocol/msgid';
import type { Operator } from '../protocol/national-header';
import { refundResult, SE04_PROCESSING } from '../protocol/pay-result';
import { se06Output } from '../protocol/se-messages';
import { wuqiSe02Input } from '../protocol/wuqi';
import { completeWuqiBill, type WuqiBill } from '../protocol/wuqi-bills';
import { wuqiCode } from '../protocol/wuqi-codes';
import { sk01Input, sk01Output, sk01Stored, wuqiPayQueryFromSe04, wuqiSe04Output } from '../protocol/wuqi-results';
import { describeZodError } from '../protocol/zod-helpers';
import type { InsuranceRefund, Outcome, PayQueryOutcome, RefundQueryOutcome, Submit } from './contract';

export const wuqiOperator = (o: Operator) => ({ id: o.opter.slice(0, 20), name: o.opter_name.slice(0, 100) });

function refuse(what: string, message: string): never {
  // Our own request is wrong: nothing is sent, and Temporal must not retry it.
  throw new InvalidRequestError(`refusing to send ${what}: ${message}`);
}

function plain(o: CallOutcome<unknown>): Outcome {
  if (o.kind === 'ok') return { kind: 'ok', msgid: o.msgid };
  if (o.kind === 'business') return { kind: 'business', msgid: o.msgid, code: o.code, message: `${o.code} ${o.message}`.trim() };
  return { kind: 'unknown', msgid: o.msgid, reason: o.reason };
}

/**
 * SE02 on 五期 (§4.8.2): payRequest is the bill's xxnr — cardtype "3" and carddata = ecToken filled in,
 * 可空 nodes present — sent as JSON text, the 字符串 the table names. Exactly one HTTP request.
 */
export async function submitWuqiSe02(
  client: PlatformClient,
  a: { orderNo: string; ecToken: string; operator: Operator; wuqiPayRequest?: WuqiBill; pName?: string; pIdNo?: string },
): Promise<Submit> {
  if (!a.wuqiPayRequest) refuse('SE02', 'a 五期 person needs the 五期 bill (wuqiPayRequest)');
  const completed = completeWuqiBill(a.wuqiPayRequest, a.ecToken);
  if (!completed.ok) refuse('SE02', completed.message);
  const xxnr = {
    orderNo: wuqiOrderNo(a.orderNo),
    ecToken: a.ecToken,
    payRequest: JSON.stringify(completed.xxnr),
    ...(a.pName ? { pName: a.pName } : {}),
    ...(a.pIdNo ? { pIdNo: a.pIdNo } : {}),
  };
  const check = wuqiSe02Input.safeParse(xxnr);
  if (!check.success) refuse('SE02', describeZodError(check.error));
  return plain(await client.wuqi({ xxlxm: 'SE02', xxnr, operator: wuqiOperator(a.operator), outputSchema: z.unknown() }));
}

/**
 * SE04 on 五期 (§4.8.4.3, no payStatus): an answer is paid, its payResponse read as an SH02/SI12/SI52 output.
 * P610 is "no such order"; a refusal saying 处理中 is processing; any other refusal (a failure text
 * included) is unknown: a failure is never concluded from free text.
 */
export async function queryWuqiPay(client: PlatformClient, a: { ecToken: string; operator: Operator }): Promise<PayQueryOutcome> {
  const r = await client.wuqi({ xxlxm: 'SE04', xxnr: { ecToken: a.ecToken }, operator: wuqiOperator(a.operator), outputSchema: wuqiSe04Output });
  if (r.kind === 'unknown') return { kind: 'unknown', reason: r.reason };
  if (r.kind === 'ok') return wuqiPayQueryFromSe04(r.output);
  const text = `${r.code} ${r.message}`.trim();
  if (wuqiCode(r.code).notFound) return { kind: 'notFound', message: text };
  if (SE04_PROCESSING.test(r.message)) return { kind: 'processing' };
  return { kind: 'unknown', reason: text };
}

/**
 * SK01 退款 (§4.4.1): {cardtype "3", carddata ecToken, translsh = the settlement's lsh, totalexpense as
 * settled, xsywlx "2"}. Its output is kept (without name and card number). P510 is alreadyRefunded.
 */
export async function refundWuqiInsurance(
  client: PlatformClient,
  a: { ecToken: string; operator: Operator; wuqi?: { translsh: string; totalexpense: string } },
): Promise<InsuranceRefund> {
  if (!a.wuqi) refuse('SK01', 'translsh (the settlement lsh) and totalexpense are required');
  const xxnr = { cardtype: '3', carddata: a.ecToken, translsh: a.wuqi.translsh, totalexpense: a.wuqi.totalexpense, xsywlx: '2' };
  const check = sk01Input.safeParse(xxnr);
  if (!check.success) refuse('SK01', describeZodError(check.error));
  const r = await client.wuqi({ xxlxm: 'SK01', xxnr, operator: wuqiOperator(a.operator), outputSchema: sk01Output });
  if (r.kind === 'ok') return { kind: 'ok', msgid: r.msgid, output: sk01Stored(r.output) };
  if (r.kind === 'business') return { kind: 'business', msgid: r.msgid, code: r.code, message: `${r.code} ${r.message}`.trim(), alreadyRefunded: !!wuqiCode(r.code).alreadyRefunded };
  return { kind: 'unknown', msgid: r.msgid, reason: r.reason };
}

/** SE06 on 五期 (§4.8.6): the same table as V13's; P610 is "no such refund". */
export async function queryWuqiRefund(client: PlatformClient, a: { ecToken: string; operator: Operator }): Promise<RefundQueryOutcome> {
  const r = await client.wuqi({ xxlxm: 'SE06', xxnr: { ecToken: a.ecToken }, operator: wuqiOperator(a.operator), outputSchema: se06Output });
  if (r.kind === 'unknown') return { kind: 'unknown', reason: r.reason };
  if (r.kind === 'business') return wuqiCode(r.code).notFound ? { kind: 'notFound', message: `${r.code} ${r.message}`.trim() } : { kind: 'unknown', reason: `${r.code} ${r.message}`.trim() };
  return { kind: 'result', result: refundResult('poll', r.output) };
}

/** SE07 on 五期 (§4.8.7), the 现金改账 remedy: only when the insurance part is refunded and the cash part is not. */
export async function submitWuqiSe07(client: PlatformClient, a: { ecToken: string; thirdOrderNo: string; operator: Operator }): Promise<Outcome & { alreadyRefunded?: boolean }> {
  const r = await client.wuqi({ xxlxm: 'SE07', xxnr: { ecToken: a.ecToken, orderNo: a.thirdOrderNo }, operator: wuqiOperator(a.operator), outputSchema: z.unknown() });
  const o = plain(r);
  return o.kind === 'business' ? { ...o, alreadyRefunded: !!wuqiCode(o.code).alreadyRefunded } : o;
}
