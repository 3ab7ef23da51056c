import { z } from 'zod';
import { toFen } from './money';
import type { WuqiBillType } from './wuqi-bills';
import { amount, jsonStringOr, nonEmpty, str } from './zod-helpers';

// A 五期 settlement: the xxnr of the bill type's output table, SH02 §4.3.2.3 or SI12 §4.3.4.3 ("若是线上交易，
// 则异步推送支付结果（SE03），其中医保结算确认返回包（payResponse）使用此出参定义"), with the fields appendix A.1
// (V1.0.6) appends accepted when present. SE03/SE04 (wuqi-results.ts) carry it as their payResponse.
// No PayResult here: pay-result.ts names WuqiSettlement, so this module must not import it.

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

/** SH02 门诊类挂号确认 出参 (§4.3.2.3). V1.0.6 does not touch SH02; its 共济 / 自费账户 fields are read if sent. */
export const sh02Output = z.object({ ...outpatientPays, jzdyh: nonEmpty(20), jmjsbz: nonEmpty(1), ...v106Outpatient }).passthrough();
/** SI12 门诊类收费确认 出参 (§4.3.4.3 + A.1). */
export const si12Output = z.object({ ...outpatientPays, ...v106Outpatient }).passthrough();

export const WUQI_OUTPUT_SCHEMAS = { SH02: sh02Output, SI12: si12Output } as const;
export type WuqiOutput = z.output<typeof sh02Output> | z.output<typeof si12Output>;

/**
 * The in-scope cash (医保合规费用范围内现金支付数, guide §5.14 【现金支付数】 = 起付段(自负段) + 统筹段 + 附加段现金):
 * zfdxjzfs + tcdxjzfs + fjdxjzfs. It is a term of the totalexpense sum rule; the 非医保结算范围 part is not
 * (see SELF_PAY_ACCOUNT_FIELDS and docs/spec-readings.md "五期 route", 五期 cash part).
 */
export const CASH_FIELDS = ['zfdxjzfs', 'tcdxjzfs', 'fjdxjzfs'] as const;

/**
 * What the 自费 accounts paid of the 非医保结算范围 part (A.1 zflnzhzfs 自费历年账户支付数 + zfgjzhzfs 自费共济账户支付数;
 * SL01 A.4 totalzfaccpay = "非医保结算范围自费历年账户支付数+自费共济账户支付数"). Absent fields count 0.
 */
export const SELF_PAY_ACCOUNT_FIELDS = ['zflnzhzfs', 'zfgjzhzfs'] as const;

/** A 五期 settlement as the workflow keeps it (for refunds, the status view and reconciliation). */
export interface WuqiSettlement {
  /** the output table it was read with */
  type: WuqiBillType;
  /** 中心流水号: SK01's translsh */
  lsh: string;
  /** 计算申请序号 */
  jssqxh: string;
  /** 交易费用总额: the 医保结算范围 part only (the sum rule's terms) */
  totalexpenseFen: number;
  /** the in-scope cash (CASH_FIELDS) in fen: the lower bound of what the patient paid in cash */
  cashFen: number;
  /** the payResponse xxnr as received (JSON text parsed), cardid masked */
  xxnr: Record<string, unknown>;
}

const fenOf = (v: unknown) => (v === undefined || v === null || v === '' ? 0 : toFen(v as string | number));

/**
 * The bounds of the patient's cash for a settlement (§1.3.10 现金 = "除医保基金支付费用外，需个人缴纳的费用"):
 * at least the in-scope cash; at most that plus the 非医保结算范围 part (fybjsfwfyze) less what the 自费 accounts
 * paid of it. The output cannot say more: a 财政减免 lands in "非医保结算范围个人自费" (SH02 说明 2), and the
 * table has no 自费现金 field. Exact (min = max) when there is no self-pay part. Reads xxnr, so it also works
 * on a settlement stored before these fields were kept.
 */
export function cashBounds(s: Pick<WuqiSettlement, 'xxnr'>): { minFen: number; maxFen: number; selfPayFen: number; selfPayAccountFen: number } {
  const x = s.xxnr;
  const minFen = CASH_FIELDS.reduce((acc, k) => acc + fenOf(x[k]), 0);
  const selfPayFen = fenOf(x.fybjsfwfyze);
  const selfPayAccountFen = SELF_PAY_ACCOUNT_FIELDS.reduce((acc, k) => acc + fenOf(x[k]), 0);
  return { minFen, maxFen: minFen + Math.max(0, selfPayFen - selfPayAccountFen), selfPayFen, selfPayAccountFen };
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
  const schema = WUQI_OUTPUT_SCHEMAS[type];
  if (!schema) return { ok: false, issues: [{ code: z.ZodIssueCode.custom, path: [], message: `no 五期 output table for ${type}` }] };
  const r = schema.safeParse(obj.value);
  if (!r.success) return { ok: false, issues: r.error.issues };
  return { ok: true, settlement: normalise(type, r.data as Record<string, unknown>) };
}

/**
 * The push receiver does not know the bill's type: SH02's table is the one with 就诊单元号 (jzdyh) and 减免结算
 * 标志 (jmjsbz), SI12's has neither. The workflow reads the result again against its own bill's type.
 */
export function guessWuqiType(raw: unknown): WuqiBillType {
  const obj = parseObject(raw);
  const v = obj.ok && obj.value && typeof obj.value === 'object' ? (obj.value as Record<string, unknown>) : {};
  return 'jzdyh' in v || 'jmjsbz' in v ? 'SH02' : 'SI12';
}

function normalise(type: WuqiBillType, v: Record<string, unknown>): WuqiSettlement {
  const { cardid, ...rest } = v;
  return {
    type,
    lsh: String(v.lsh),
    jssqxh: String(v.jssqxh),
    totalexpenseFen: toFen(v.totalexpense as string | number),
    cashFen: CASH_FIELDS.reduce((acc, k) => acc + toFen(v[k] as string | number), 0),
    xxnr: { ...rest, ...(typeof cardid === 'string' && cardid ? { cardid: maskCardId(cardid) } : {}) },
  };
}

/** 卡号 may be an ID number (V1.0.6: "凭证类别为2时,填写身份号码"): never kept in clear. */
export function maskCardId(cardid: string): string {
  return cardid.length <= 4 ? '****' : `${'*'.repeat(cardid.length - 4)}${cardid.slice(-4)}`;
}
