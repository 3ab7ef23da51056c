import { z } from 'zod';
import { toFen } from './money';
import { thirdParty as thirdPartyFields, type PayQuery, type PayResult } from './pay-result';
import type { WuqiBillType } from './wuqi-bills';
import { amount, billDate, dateTime, jsonStringOr, nonEmpty, str } from './zod-helpers';

// 五期 results. A 五期 SE03/SE04 payResponse is the xxnr of the bill type's output table:
// SH02 §4.3.2.3, SI12 §4.3.4.3, SI52 §4.3.6.3 ("若是线上交易，则异步推送支付结果（SE03），其中医保结算确认
// 返回包（payResponse）使用此出参定义"), with the fields appendix A (V1.0.6) appends accepted when present.

// Defined here, not imported from se-messages.ts: workflows import this module (via wuqi-verify.ts), and
// se-messages.ts pulls in Node built-ins through msgid.ts.
const ecToken = nonEmpty(63);
const channel = z.enum(['wechat', 'alipay', 'unionpay', 'ybpay'], { errorMap: () => ({ message: 'channel must be wechat, alipay, unionpay or ybpay' }) });
const payStatus = z.enum(['1', '-1'], { errorMap: () => ({ message: 'payStatus must be 1 or -1' }) });

const a = amount(); // 数字格式A as received: string or number, at most 2 decimals
const optionalA = a.optional();
const blank = (max: number) => str(max).nullish();

/** Fields of SH02's and SI12's output tables (SH02 adds jzdyh and jmjsbz). */
const outpatientPays = {
  cardtype: nonEmpty(1),
  cardid: blank(50),
  lsh: nonEmpty(16),
  jssqxh: nonEmpty(34),
  totalexpense: a,
  curaccountpay: a,
  hisaccountpay: a,
  zfdxjzfs: a,
  zfdlnzhzfs: a,
  tcdzhzfs: a,
  tcdxjzfs: a,
  tczfs: a,
  fjdzhzfs: a,
  fjdxjzfs: a,
  fjzfs: a,
  curaccountamt: a,
  hisaccountamt: a,
  ybjsfwfyze: a,
  fybjsfwfyze: a,
  jlc: blank(12),
  jfje: a.nullish().or(z.literal('')),
};

/** Appendix A.1 (SI11/SI12, V1.0.6): 共济 / 分类自负 / 自费账户 fields, accepted when present. */
const v106Outpatient = {
  gjzhzfs: optionalA,
  zfdgjzhzfs: optionalA,
  tcdgjzhzfs: optionalA,
  fjdgjzhzfs: optionalA,
  flzflnzhzfs: optionalA,
  flzfgjzhzfs: optionalA,
  zflnzhzfs: optionalA,
  zfgjzhzfs: optionalA,
};

/** Appendix A.2 (SI51/SI52, V1.0.6). */
const v106Inpatient = {
  qfdgjzhzfs: optionalA,
  tcdgjzhzfs: optionalA,
  fjdgjzhzfs: optionalA,
  flzflnzhzfs: optionalA,
  flzfgjzhzfs: optionalA,
  zflnzhzfs: optionalA,
  zfgjzhzfs: optionalA,
};

/** SH02 门诊类挂号确认 出参 (§4.3.2.3). V1.0.6 does not touch SH02; its 共济 fields are read if sent. */
export const sh02Output = z.object({ ...outpatientPays, jzdyh: nonEmpty(20), jmjsbz: nonEmpty(1), ...v106Outpatient }).passthrough();
/** SI12 门诊类收费确认 出参 (§4.3.4.3 + A.1). */
export const si12Output = z.object({ ...outpatientPays, ...v106Outpatient }).passthrough();
/** SI52 住院类收费确认 出参 (§4.3.6.3 + A.2). */
export const si52Output = z
  .object({
    cardtype: blank(1),
    cardid: blank(50),
    lsh: nonEmpty(16),
    jssqxh: nonEmpty(34),
    totalexpense: a,
    qfdzhzfs: a,
    tcdzhzfs: a,
    fjdzhzfs: a,
    qfdxjzfs: a,
    tcdxjzfs: a,
    fjdxjzfs: a,
    tczfs: a,
    fjzfs: a,
    curaccountamt: a,
    hisaccountamt: a,
    ybjsfwfyze: a,
    fybjsfwfyze: a,
    jfje: a.nullish().or(z.literal('')),
    ...v106Inpatient,
  })
  .passthrough();

export const WUQI_OUTPUT_SCHEMAS = { SH02: sh02Output, SI12: si12Output, SI52: si52Output } as const;
export type WuqiOutput = z.output<typeof sh02Output> | z.output<typeof si12Output> | z.output<typeof si52Output>;

/**
 * The personal cash part (现金, §1.3.10: "个人支付部分…除医保基金支付费用外，需个人缴纳的费用") is the sum of
 * the output table's 现金 fields: SH02/SI12 自负段 + 统筹段 + 附加段现金支付数 (zfdxjzfs + tcdxjzfs + fjdxjzfs),
 * SI52 起付段 + 统筹段 + 附加段现金支付数 (qfdxjzfs + tcdxjzfs + fjdxjzfs). Every other term of the
 * totalexpense sum rule is an account (帐户/共济) or a fund (统筹/附加) payment.
 */
export const CASH_FIELDS: Record<WuqiBillType, readonly string[]> = {
  SH02: ['zfdxjzfs', 'tcdxjzfs', 'fjdxjzfs'],
  SI12: ['zfdxjzfs', 'tcdxjzfs', 'fjdxjzfs'],
  SI52: ['qfdxjzfs', 'tcdxjzfs', 'fjdxjzfs'],
};

/** A 五期 settlement as the workflow keeps it (for refunds, the status view and reconciliation). */
export interface WuqiSettlement {
  /** the output table it was read with */
  type: WuqiBillType;
  /** 中心流水号: SK01's translsh */
  lsh: string;
  /** 计算申请序号 */
  jssqxh: string;
  totalexpenseFen: number;
  /** the personal cash part (CASH_FIELDS) in fen */
  cashFen: number;
  /** the payResponse xxnr as received (JSON text parsed), cardid masked */
  xxnr: Record<string, unknown>;
}

export type ParsedWuqi = { ok: true; settlement: WuqiSettlement } | { ok: false; issues: z.ZodIssue[] };

function parseObject(raw: unknown): { ok: true; value: unknown } | { ok: false; issues: z.ZodIssue[] } {
  const r = jsonStringOr(z.record(z.unknown())).safeParse(raw);
  return r.success ? { ok: true, value: r.data } : { ok: false, issues: r.error.issues };
}

/** payResponse read against the output table of `type`. */
export function parseWuqiPayResponse(type: WuqiBillType, raw: unknown): ParsedWuqi {
  const obj = parseObject(raw);
  if (!obj.ok) return obj;
  const r = WUQI_OUTPUT_SCHEMAS[type].safeParse(obj.value);
  if (!r.success) return { ok: false, issues: r.error.issues };
  return { ok: true, settlement: normalise(type, r.data as Record<string, unknown>) };
}

/**
 * The push receiver does not know the bill's type: SI52's table is the one with 起付段 fields, SH02's the one
 * with 就诊单元号 (jzdyh) and 减免结算标志 (jmjsbz), SI12's has neither. The workflow reads the result again
 * against its own bill's type before anything is decided.
 */
export function guessWuqiType(raw: unknown): WuqiBillType {
  const obj = parseObject(raw);
  const v = obj.ok && obj.value && typeof obj.value === 'object' ? (obj.value as Record<string, unknown>) : {};
  if ('qfdxjzfs' in v || 'qfdzhzfs' in v) return 'SI52';
  if ('jzdyh' in v || 'jmjsbz' in v) return 'SH02';
  return 'SI12';
}

function normalise(type: WuqiBillType, v: Record<string, unknown>): WuqiSettlement {
  const cashFen = CASH_FIELDS[type].reduce((acc, k) => acc + toFen(v[k] as string | number), 0);
  const { cardid, ...rest } = v;
  return {
    type,
    lsh: String(v.lsh),
    jssqxh: String(v.jssqxh),
    totalexpenseFen: toFen(v.totalexpense as string | number),
    cashFen,
    xxnr: { ...rest, ...(typeof cardid === 'string' && cardid ? { cardid: maskCardId(cardid) } : {}) },
  };
}

/** 卡号 may be an ID number (V1.0.6: "凭证类别为2时,填写身份号码"): never kept in clear. */
function maskCardId(cardid: string): string {
  return cardid.length <= 4 ? '****' : `${'*'.repeat(cardid.length - 4)}${cardid.slice(-4)}`;
}

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
    if (v[k] === undefined || v[k] === null || v[k] === '') ctx.addIssue({ code: z.ZodIssueCode.custom, path: [k], message: `${k} is required when channel is not ybpay` });
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

/** SE03 入参 on 五期: the push's xxnr. A paid push's payResponse is an SH02/SI12/SI52 output. */
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
 * an SH02/SI12/SI52 output. A payStatus, if a platform adds one, is ignored. "In progress" and "failed" come
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

const failureText = (p: unknown) => (typeof p === 'string' ? p : JSON.stringify(p ?? '')).slice(0, 200);

/** 五期 SE03 xxnr (validated) -> PayResult with its `wuqi` part. */
export function wuqiPayResultFromPush(out: WuqiSe03Output): PayResult {
  const base = { source: 'push' as const, ecToken: out.ecToken, channel: out.channel, ...thirdPartyFields(out) };
  if (out.payStatus === '-1') return { ...base, payStatus: '-1', failureText: failureText(out.payResponse) };
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
