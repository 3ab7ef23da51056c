import { z } from 'zod';
import { safeFailureText } from './failure-text';
import { thirdParty as thirdPartyFields, type PayQuery, type PayResult } from './pay-result';
import { guessWuqiType, parseWuqiPayResponse, type WuqiSettlement } from './wuqi-settlement';
import { amount, billDate, dateTime, nonEmpty, str } from './zod-helpers';

// 五期 results: SE03/SE04 (§4.8.3, §4.8.4), whose paid payResponse is a settlement (wuqi-settlement.ts), and SK01.
export { CASH_FIELDS, cashBounds, guessWuqiType, maskCardId, parseWuqiPayResponse, sh02Output, si12Output, WUQI_OUTPUT_SCHEMAS } from './wuqi-settlement';
export type { ParsedWuqi, WuqiOutput, WuqiSettlement } from './wuqi-settlement';

// Defined here, not imported from se-messages.ts: workflows import this module (via wuqi-verify.ts), and
// se-messages.ts pulls in Node built-ins through msgid.ts.
const ecToken = nonEmpty(63);
const channel = z.enum(['wechat', 'alipay', 'unionpay', 'ybpay'], { errorMap: () => ({ message: 'channel must be wechat, alipay, unionpay or ybpay' }) });
const payStatus = z.enum(['1', '-1'], { errorMap: () => ({ message: 'payStatus must be 1 or -1' }) });

const a = amount(); // 数字格式A as received: string or number, at most 2 decimals
const optionalA = a.optional();

// ---- SE03 / SE04 on 五期 (§4.8.3, §4.8.4) ----

const thirdParty = {
  gmt: dateTime,
  orderNo: str(40).nullish(),
  tradeNo: str(64).nullish(),
  amount: a.nullish(),
  channel,
  billTime: billDate.nullish(),
};

/** "Channel 不等于 ybpay 时必传": orderNo, tradeNo, amount, billTime. */
function requireThirdParty(v: { channel?: string | null } & Record<string, unknown>, ctx: z.RefinementCtx, keys: string[]) {
  if (!v.channel || v.channel === 'ybpay') return;
  for (const k of keys) {
    if (v[k] === undefined || v[k] === null || v[k] === '')
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: [k], message: `${k} is required when channel is not ybpay` });
  }
}

function withWuqi<T extends { payResponse?: unknown }>(v: T, paid: boolean, ctx: z.RefinementCtx): T & { wuqi?: WuqiSettlement } {
  if (!paid) return v;
  const parsed = parseWuqiPayResponse(guessWuqiType(v.payResponse), v.payResponse);
  if (!parsed.ok) {
    for (const issue of parsed.issues) ctx.addIssue({ ...issue, path: ['payResponse', ...issue.path] });
    return z.NEVER;
  }
  return { ...v, wuqi: parsed.settlement };
}

/** SE03 入参 on 五期: the push's xxnr. A paid push's payResponse is an SH02/SI12 output. */
export const wuqiSe03Output = z
  .object({ ecToken, payStatus, payResponse: z.union([z.string().min(1), z.record(z.unknown())]), ...thirdParty })
  .passthrough()
  .superRefine((v, ctx) => (v.payStatus === '1' ? requireThirdParty(v, ctx, ['orderNo', 'tradeNo', 'amount', 'billTime']) : undefined))
  .transform((v, ctx) => withWuqi(v, v.payStatus === '1', ctx));
export type WuqiSe03Output = z.output<typeof wuqiSe03Output>;

/** The 五期 push envelope (§3.1 2, §3.2.1): xxlxm SE03/SE05 and the message in xxnr. */
export const wuqiPushEnvelope = <T extends z.ZodTypeAny>(xxlxm: 'SE03' | 'SE05', xxnr: T) =>
  z.object({ xxlxm: z.literal(xxlxm, { errorMap: () => ({ message: `xxlxm must be ${xxlxm}` }) }), msgid: z.string().max(30).nullish(), xxnr }).passthrough();

/**
 * SE04 出参 on 五期 (§4.8.4.3), as on the national route (se04Output): the table has no payStatus, and
 * payResponse, gmt and channel are 非空, so an answer is a settled payment whose payResponse must read as
 * an SH02/SI12 output. A payStatus, if a platform adds one, is ignored. "In progress" and "failed" come
 * as refusals (a §3.4 code with 系统提示信息) and are mapped by the activity.
 */
export const wuqiSe04Output = z
  .object({
    ecToken,
    payResponse: z.union([z.string().min(1), z.record(z.unknown())]),
    gmt: dateTime,
    orderNo: str(40).nullish(),
    tradeNo: str(64).nullish(),
    amount: a.nullish(),
    channel,
    billTime: billDate.nullish(),
  })
  .passthrough()
  .superRefine((v, ctx) => requireThirdParty(v, ctx, ['orderNo', 'tradeNo', 'amount']))
  .transform((v, ctx) => withWuqi(v, true, ctx));
export type WuqiSe04Output = z.output<typeof wuqiSe04Output>;

/** 五期 SE03 xxnr (validated) -> PayResult with its `wuqi` part. */
export function wuqiPayResultFromPush(out: WuqiSe03Output): PayResult {
  const base = { source: 'push' as const, ecToken: out.ecToken, channel: out.channel, ...thirdPartyFields(out) };
  if (out.payStatus === '-1') return { ...base, payStatus: '-1', failureText: safeFailureText(out.payResponse) };
  return { ...base, payStatus: '1', wuqi: out.wuqi! };
}

/** 五期 SE04 xxnr (validated) -> the paid result (an SE04 answer is a settled payment, §4.8.4.3). */
export function wuqiPayQueryFromSe04(out: WuqiSe04Output): PayQuery {
  return { kind: 'result', result: { source: 'poll', ecToken: out.ecToken, channel: out.channel, ...thirdPartyFields(out), payStatus: '1', wuqi: out.wuqi! } };
}

// ---- SK01 退款 (§4.4.1) ----

/** SK01 入参 (§4.4.1.2): 电子凭证 + its 令牌, the settlement's 中心流水号 and 交易费用总额. */
export const sk01Input = z
  .object({
    cardtype: z.literal('3', { errorMap: () => ({ message: 'cardtype must be "3" (电子凭证)' }) }),
    carddata: nonEmpty(63),
    translsh: nonEmpty(16),
    totalexpense: z.string().regex(/^\d{1,14}\.\d{2}$/, 'must be 数字格式A, e.g. "100.00"'),
    xsywlx: z.enum(['1', '2', ''], { errorMap: () => ({ message: 'xsywlx must be 1, 2 or ""' }) }),
  })
  .strict();
export type Sk01Input = z.infer<typeof sk01Input>;

/** SK01 出参 (§4.4.1.3 + A.3 V1.0.6 fields when present). */
export const sk01Output = z
  .object({
    cardtype: nonEmpty(1),
    cardid: str(50).nullish(),
    personname: str(50).nullish(),
    accountattr: str(16).nullish(),
    translsh: nonEmpty(16),
    curaccount: a,
    hisaccount: a,
    zfcash: a,
    tchisaccount: a,
    tccash: a,
    tc: a,
    dffjhisaccount: a,
    dffjcash: a,
    dffj: a,
    curaccountamt: a,
    hisaccountamt: a,
    gjaccount: optionalA,
    flzflnzhzfs: optionalA,
    flzfgjzhzfs: optionalA,
    zflnzhzfs: optionalA,
    zfgjzhzfs: optionalA,
  })
  .passthrough();
export type Sk01Output = z.output<typeof sk01Output>;

/** The SK01 answer as stored for reconciliation: no name, no card number. */
export function sk01Stored(out: Sk01Output): Record<string, unknown> {
  const { personname: _name, cardid: _card, ...rest } = out;
  return rest;
}
