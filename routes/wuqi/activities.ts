// The 五期 route's platform calls: SE02 with the typed bill, SE04, SK01, SE06, SE07, and the fresh e-voucher's
// SE01/SM01. activities/platform-activities.ts dispatches to them through routes/activities.ts. Outcomes follow the §3.4 table
// (protocol/wuqi-codes.ts): ok / business / unknown, with P610 "not found" and P510 "already refunded".
import { ApplicationFailure } from '@temporalio/activity';
import { z } from 'zod';
import type { Config } from '../../common/config';
import { se01Request } from '../../platform/identity';
import { InvalidRequestError, type CallOutcome, type PlatformClient } from '../../platform/client';
import { wuqiOrderNo } from '../../protocol/msgid';
import type { Operator } from '../../protocol/national-header';
import { refundResult } from '../../protocol/pay-result';
import { readQueryRefusal } from '../../protocol/refusals';
import { se06Output } from '../../protocol/se-messages';
import { se01Output, sm01Output, wuqiSe02Input } from '../../protocol/wuqi';
import { completeWuqiBill, type WuqiBill } from '../../protocol/wuqi-bills';
import { isTokenRefusal, wuqiCode } from '../../protocol/wuqi-codes';
import { maskCardId, sk01Input, sk01Output, sk01Stored, wuqiPayQueryFromSe04, wuqiSe04Output } from '../../protocol/wuqi-results';
import { sk01InputFor } from '../../protocol/wuqi-verify';
import { describeZodError } from '../../protocol/zod-helpers';
import type { InsuranceRefund, Outcome, PayQueryOutcome, RefundQueryOutcome, RefundVoucherAnswer, Submit } from '../../activities/contract';
import type { RouteActivities } from '../route-adapter';
import { createWuqiDayCloseActivities } from './day-close';
import { wuqiOperator } from '../../protocol/wuqi';

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
  a: { orderNo: string; ecToken: string; operator: Operator; wuqiPayRequest?: WuqiBill; pName?: string; pIdNo?: string; wuqiOrgCode: string },
): Promise<Submit> {
  if (!a.wuqiPayRequest) refuse('SE02', 'a 五期 person needs the 五期 bill (wuqiPayRequest)');
  const completed = completeWuqiBill(a.wuqiPayRequest, a.ecToken);
  if (!completed.ok) refuse('SE02', completed.message);
  let orderNo: string;
  try {
    orderNo = wuqiOrderNo(a.orderNo, a.wuqiOrgCode);
  } catch (err) {
    refuse('SE02', (err as Error).message);
  }
  // pName/pIdNo are 可空 (§4.8.2.2 是否必填 否): present as "" when empty (§3.2 "可空字段如果没有内容，需保证数据节点存在")
  const xxnr = { orderNo, ecToken: a.ecToken, payRequest: JSON.stringify(completed.xxnr), pName: a.pName ?? '', pIdNo: a.pIdNo ?? '' };
  const check = wuqiSe02Input.safeParse(xxnr);
  if (!check.success) refuse('SE02', describeZodError(check.error));
  return plain(await client.wuqi({ xxlxm: 'SE02', xxnr, operator: wuqiOperator(a.operator), outputSchema: z.unknown() }));
}

/**
 * SE04 on 五期 (§4.8.4.3, no payStatus): an answer is paid, its payResponse read as an SH02/SI12 output.
 * P610 is "no such order"; a refusal saying 处理中 is processing; any other refusal (a failure text
 * included) is unknown: a failure is never concluded from free text.
 */
export async function queryWuqiPay(client: PlatformClient, a: { ecToken: string; operator: Operator }): Promise<PayQueryOutcome> {
  const r = await client.wuqi({ xxlxm: 'SE04', xxnr: { ecToken: a.ecToken }, operator: wuqiOperator(a.operator), outputSchema: wuqiSe04Output });
  if (r.kind === 'unknown') return { kind: 'unknown', reason: r.reason };
  if (r.kind === 'ok') return wuqiPayQueryFromSe04(r.output);
  const text = `${r.code} ${r.message}`.trim();
  const meaning = readQueryRefusal('WUQI', r); // P610 only (protocol/refusals.ts)
  if (meaning === 'notFound') return { kind: 'notFound', message: text };
  if (meaning === 'processing') return { kind: 'processing' };
  return { kind: 'unknown', reason: text };
}

/**
 * SK01 退款 (§4.4.1): {cardtype "3", carddata = a fresh ecToken if the refund got one, else the settlement's,
 * translsh = the settlement's lsh, totalexpense as settled, xsywlx the bill's}. Its output is kept (without
 * name and card number). P510 is alreadyRefunded; a refusal naming the 令牌 is tokenRefused (isTokenRefusal).
 */
export async function refundWuqiInsurance(
  client: PlatformClient,
  a: { ecToken: string; operator: Operator; wuqi?: { translsh: string; totalexpense: string; xsywlx?: '1' | '2'; carddata?: string } },
): Promise<InsuranceRefund> {
  if (!a.wuqi) refuse('SK01', 'translsh (the settlement lsh) and totalexpense are required');
  const xxnr = sk01InputFor(a.wuqi, a.wuqi.carddata ?? a.ecToken);
  const check = sk01Input.safeParse(xxnr);
  if (!check.success) refuse('SK01', describeZodError(check.error));
  const r = await client.wuqi({ xxlxm: 'SK01', xxnr, operator: wuqiOperator(a.operator), outputSchema: sk01Output });
  if (r.kind === 'ok') return { kind: 'ok', msgid: r.msgid, output: sk01Stored(r.output) };
  if (r.kind === 'business') {
    const message = `${r.code} ${r.message}`.trim();
    return {
      kind: 'business',
      msgid: r.msgid,
      code: r.code,
      message,
      alreadyRefunded: !!wuqiCode(r.code).alreadyRefunded,
      tokenRefused: isTokenRefusal(r.code, r.message),
    };
  }
  return { kind: 'unknown', msgid: r.msgid, reason: r.reason };
}

/**
 * A fresh e-voucher for a 五期 refund (activities/contract.ts checkRefundVoucher): SE01 for a QR code, then SM01
 * on the token. The payer is the settlement's 卡号 (payResponse cardid, kept masked: payerCardMask); SM01's
 * 卡号 masked the same way must equal it. Only the ecToken or a reason leaves: no name, no ID number.
 * An unknown SE01/SM01 outcome throws (retried; SE01 of a consumed QR code then refuses, asking for a new one).
 */
export async function checkWuqiRefundVoucher(
  client: PlatformClient,
  config: Config,
  a: { voucher: { ecToken: string } | { ecQrCode: string; ecQrChannel: '1' | '2' | '3' }; payerCardMask?: string; operator: Operator },
): Promise<RefundVoucherAnswer> {
  let ecToken: string;
  if ('ecQrCode' in a.voucher) {
    const d = await client.wuqi({
      xxlxm: 'SE01',
      xxnr: se01Request(config, { ...a.voucher, operator: a.operator }),
      operator: wuqiOperator(a.operator),
      outputSchema: se01Output,
    });
    if (d.kind === 'unknown') throw ApplicationFailure.retryable(`SE01 outcome unknown: ${d.reason}`, 'PlatformUnknown');
    if (d.kind === 'business') return { kind: 'refused', message: `SE01_FAILED: ${d.code} ${d.message}`.trim() };
    ecToken = d.output.ecToken;
  } else {
    ecToken = a.voucher.ecToken;
  }
  const acc = await client.wuqi({ xxlxm: 'SM01', xxnr: { cardtype: '3', carddata: ecToken }, operator: wuqiOperator(a.operator), outputSchema: sm01Output });
  if (acc.kind === 'unknown') throw ApplicationFailure.retryable(`SM01 outcome unknown: ${acc.reason}`, 'PlatformUnknown');
  if (acc.kind === 'business') return { kind: 'refused', message: `SM01_FAILED: the fresh e-voucher was refused: ${acc.code} ${acc.message}`.trim() };
  if (!a.payerCardMask)
    return { kind: 'refused', message: "SAME_PERSON_UNPROVEN: the settlement's payResponse carried no 卡号 (cardid) to compare the fresh e-voucher with" };
  if (!acc.output.cardid || maskCardId(acc.output.cardid) !== a.payerCardMask)
    return { kind: 'refused', message: "PERSON_MISMATCH: the fresh e-voucher is not the payer's (卡号 differs)" };
  return { kind: 'ok', ecToken };
}

/** SE06 on 五期 (§4.8.6): the same table as V13's; P610 is "no such refund". */
export async function queryWuqiRefund(client: PlatformClient, a: { ecToken: string; operator: Operator }): Promise<RefundQueryOutcome> {
  const r = await client.wuqi({ xxlxm: 'SE06', xxnr: { ecToken: a.ecToken }, operator: wuqiOperator(a.operator), outputSchema: se06Output });
  if (r.kind === 'unknown') return { kind: 'unknown', reason: r.reason };
  if (r.kind === 'business')
    return readQueryRefusal('WUQI', r) === 'notFound'
      ? { kind: 'notFound', message: `${r.code} ${r.message}`.trim() }
      : { kind: 'unknown', reason: `${r.code} ${r.message}`.trim() };
  return { kind: 'result', result: refundResult('poll', r.output) };
}

/** SE07 on 五期 (§4.8.7), the 现金改账 remedy: only when the insurance part is refunded and the cash part is not. */
export async function submitWuqiSe07(
  client: PlatformClient,
  a: { ecToken: string; thirdOrderNo: string; operator: Operator },
): Promise<Outcome & { alreadyRefunded?: boolean }> {
  const r = await client.wuqi({
    xxlxm: 'SE07',
    xxnr: { ecToken: a.ecToken, orderNo: a.thirdOrderNo },
    operator: wuqiOperator(a.operator),
    outputSchema: z.unknown(),
  });
  const o = plain(r);
  return o.kind === 'business' ? { ...o, alreadyRefunded: !!wuqiCode(o.code).alreadyRefunded } : o;
}

/** The 五期 route's activity part (routes/route-adapter.ts RouteActivities). */
export function activities(deps: { client: PlatformClient; config: Config }): RouteActivities {
  const { client, config } = deps;
  return {
    submit: (a) => submitWuqiSe02(client, { ...a, wuqiOrgCode: config.wuqiOrgCode }),
    queryPay: (a) => queryWuqiPay(client, a),
    queryRefund: (a) => queryWuqiRefund(client, a),
    refundInsurance: (a) => refundWuqiInsurance(client, a),
    remedy: (a) => submitWuqiSe07(client, a),
    checkRefundVoucher: (a) => checkWuqiRefundVoucher(client, config, a),
    dayClose: { ...createWuqiDayCloseActivities({ client }) },
  };
}
