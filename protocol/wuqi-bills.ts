import { z } from 'zod';
import { toFen } from './money';
import { describeZodError, str } from './zod-helpers';

// The 五期 bill: the xxnr of SH02 (门诊类挂号确认, §4.3.2.2) or SI12 (门诊类收费确认, §4.3.4.2). SI52 (住院类
// 收费确认) is not taken: V13 §1.1 "国家平台、五期移动支付均只支持门诊交易" (see OUTPATIENT_ONLY). SE02's payRequest is "医保结算确认请求包（仅xxnr部分）" (§4.8.2), and each of
// those sections says "若是线上交易，则上传SE02，其中医保结算确认请求包（payRequest）使用此入参定义".
// Field names, 最大长度 and 是否可空 follow the input tables to the letter. 可空 nodes default to ""
// because §3.2 wants every node present ("可空字段如果没有内容，需保证数据节点存在，并用双引号填充").

export const WUQI_BILL_TYPES = ['SH02', 'SI12'] as const;

/** V13 §1.1, quoted in every refusal of an inpatient bill (SI52, an inpatient med_type or yllb). */
export const OUTPATIENT_ONLY = '国家平台、五期移动支付均只支持门诊交易 (V13 §1.1)';
export type WuqiBillType = (typeof WUQI_BILL_TYPES)[number];

/** 数字格式A as we send it (§3.3.5): a string, integer part + "." + exactly 2 decimals, e.g. "456734.00". */
export const amountA = z.string().regex(/^\d{1,14}\.\d{2}$/, 'must be 数字格式A: a string with exactly 2 decimals, e.g. "100.00"');
/** 日期格式 (§3.3.2): 8 digits yyyyMMdd. */
export const dateFormat = z.string().regex(/^\d{4}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/, 'must be 日期格式 yyyyMMdd');
/** 数字格式B (§3.3.6): an integer string. */
export const numberB = z.string().regex(/^\d{1,9}$/, 'must be 数字格式B: an integer string');
/** 数字格式C (§3.3.7): one decimal that is 0 or 5 ("0.5", "2.5", "15", "265.0"). */
export const numberC = z.string().regex(/^\d{1,5}(\.[05])?$/, 'must be 数字格式C: one decimal, 0 or 5, e.g. "2.5"');

const required = (max: number) => str(max).min(1, 'must not be empty (非空)');
/** 可空 with a 最大长度: the node defaults to "". */
const blankable = (max: number) => str(max).default('');
const oneOf = <T extends [string, ...string[]]>(values: T, what: string) =>
  z.enum(values, { errorMap: () => ({ message: `${what} must be one of ${values.join(', ')}` }) });

/** cardtype/carddata (凭证类别/凭证码): we always pay with the 电子凭证 (3) and its 令牌; filled in when absent. */
const card = {
  cardtype: z.literal('3', { errorMap: () => ({ message: 'cardtype must be "3" (电子凭证) for an online payment' }) }).optional(),
  carddata: str(63).optional(),
};
const personspectag = oneOf(['0', '1', '2', '3'], 'personspectag (0 普通, 1 离休, 2 伤残, 3 干部保健定点)');
const persontype = oneOf(['0', '1'], 'persontype (0 一般病人, 1 工伤)');
/** xsywlx: "1：一般线上交易 2：互联网医院诊疗线上交易必填"; ours are internet-hospital payments, so "2" by default. */
const xsywlx = oneOf(['1', '2'], 'xsywlx (1 一般线上交易, 2 互联网医院诊疗线上交易)').default('2');
/** jmbz is 非空 but "非减免机构无需填写": "0", "1", or "" for a non-减免 institution. */
const jmbz = z.enum(['0', '1', ''], { errorMap: () => ({ message: 'jmbz must be 0 (不享受), 1 (享受) or "" (非减免机构)' }) });

/** SH02 门诊类挂号确认 入参 (§4.3.2.2). */
export const sh02Bill = z
  .object({
    ...card,
    deptid: required(50),
    zlxmdm: required(50),
    personspectag,
    yllb: required(3),
    dbtype: blankable(1),
    persontype,
    gsrdh: blankable(10),
    jssqxh: required(34),
    totalexpense: amountA,
    ybjsfwfyze: amountA,
    zhenlf: amountA,
    ghf: amountA,
    fybjsfwfyze: amountA,
    jmbz,
    xsywlx,
  })
  .strict();

const diagnosis = (requiredFields: boolean) =>
  z.object(requiredFields ? { zdno: required(30), zdmc: required(50) } : { zdno: blankable(30), zdmc: blankable(50) }).strict();

/** 明细账单号循环列表: one entry per 明细账单 (SN01), each with its own totals. */
const billItem = (mxzdh: z.ZodString) => z.object({ mxzdh, totalexpense: amountA, ybjsfwfyze: amountA, fybjsfwfyze: amountA }).strict();

/** SI12 门诊类收费确认 入参 (§4.3.4.2). */
export const si12Bill = z
  .object({
    ...card,
    deptid: required(50),
    personspectag,
    yllb: required(3),
    persontype,
    gsrdh: blankable(10),
    zdnos: z.array(diagnosis(true)).min(1, 'at least one 诊断 (zdno 非空)'),
    dbtype: blankable(1),
    jsksrq: z.union([dateFormat, z.literal('')]).default(''),
    jsjsrq: z.union([dateFormat, z.literal('')]).default(''),
    jzcs: z.union([numberB, z.literal('')]).default(''),
    jzdyh: required(20),
    xsywlx,
    jssqxh: required(34),
    mxzdhs: z.array(billItem(required(20))).min(1, 'at least one 明细账单 (mxzdh 非空)'),
  })
  .strict();

export const WUQI_BILL_SCHEMAS = { SH02: sh02Bill, SI12: si12Bill } as const;

export type Sh02Bill = z.output<typeof sh02Bill>;
export type Si12Bill = z.output<typeof si12Bill>;

/** The HIS's 五期 bill as the API takes it and the workflow carries it (validated, 可空 nodes filled). */
export type WuqiBill = { type: 'SH02'; xxnr: Sh02Bill } | { type: 'SI12'; xxnr: Si12Bill };

/** { type, xxnr } validated against that type's input table. */
export const wuqiBillSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('SH02'), xxnr: sh02Bill }).strict(),
  z.object({ type: z.literal('SI12'), xxnr: si12Bill }).strict(),
]);

/**
 * The bill's parts, each summed over the 明细账单号循环列表 for SI12: 交易费用总额 (totalexpense), 医保结算范围
 * (ybjsfwfyze) and 非医保结算范围 (fybjsfwfyze). A bill's totalexpense is the whole bill, insured + self-pay
 * (billPartsProblem): the output's totalexpense is the insured part only (docs/spec-readings.md "五期 route", 五期 cash part).
 */
function billParts(bill: WuqiBill): { totalFen: number; insuredFen: number; selfPayFen: number } {
  const rows = bill.type === 'SH02' ? [bill.xxnr] : bill.xxnr.mxzdhs;
  return rows.reduce(
    (acc, r) => ({
      totalFen: acc.totalFen + toFen(r.totalexpense),
      insuredFen: acc.insuredFen + toFen(r.ybjsfwfyze),
      selfPayFen: acc.selfPayFen + toFen(r.fybjsfwfyze),
    }),
    { totalFen: 0, insuredFen: 0, selfPayFen: 0 },
  );
}

/** The bill's 交易费用总额 in fen: the whole bill (SH02's totalexpense; SI12 the sum over mxzdhs). */
export const billTotalFen = (bill: WuqiBill): number => billParts(bill).totalFen;
/** The bill's 医保结算范围费用总额 in fen. */
export const billInsuredFen = (bill: WuqiBill): number => billParts(bill).insuredFen;
/** The bill's 非医保结算范围费用总额 in fen: the self-pay items. */
export const billSelfPayFen = (bill: WuqiBill): number => billParts(bill).selfPayFen;

/**
 * A bill whose 交易费用总额 is not 医保结算范围 + 非医保结算范围 (per SH02 bill / per 明细账单) is refused: with
 * self-pay items the two readings of its totalexpense (the whole bill, or the insured part as in the output's
 * 说明 1) would settle different sums, and we never guess which one the HIS meant.
 */
export function billPartsProblem(bill: { type: string; xxnr: Record<string, unknown> }): string | undefined {
  const rows = bill.type === 'SH02' ? [bill.xxnr] : Array.isArray(bill.xxnr.mxzdhs) ? (bill.xxnr.mxzdhs as Record<string, unknown>[]) : [];
  for (const [i, r] of rows.entries()) {
    const fen = (k: string) => (typeof r[k] === 'string' && amountA.safeParse(r[k]).success ? toFen(r[k] as string) : undefined);
    const [total, insured, selfPay] = [fen('totalexpense'), fen('ybjsfwfyze'), fen('fybjsfwfyze')];
    if (total === undefined || insured === undefined || selfPay === undefined) continue; // the field checks say why
    if (total !== insured + selfPay) {
      const where = bill.type === 'SH02' ? 'totalexpense' : `mxzdhs[${i}].totalexpense`;
      return `${where} must be ybjsfwfyze + fybjsfwfyze (the whole bill: 医保结算范围 + 非医保结算范围), got ${r.totalexpense} ≠ ${r.ybjsfwfyze} + ${r.fybjsfwfyze}`;
    }
  }
  return undefined;
}

/** 医疗类别 (yllb, 五期 §7.1.1) of an inpatient kind: S21 住院, S24 急诊观察 (see INPATIENT_MED_TYPES in routing.ts for why 24). */
export const INPATIENT_YLLB: readonly string[] = ['S21', 'S24'];

/** 工伤 bill: persontype 1 (§4.3.x 入参 "0：一般病人； 1：工伤"). */
export function isWorkInjuryBill(bill: Pick<WuqiBill, 'type'> & { xxnr: { persontype?: string } }): boolean {
  return bill.xxnr.persontype === '1';
}

export type CompletedBill = { ok: true; xxnr: Record<string, unknown> } | { ok: false; message: string };

/**
 * The xxnr to send as SE02's payRequest: cardtype "3" and carddata = the ecToken filled in when absent,
 * refused when they contradict it; 可空 nodes present as "" (§3.2); xsywlx "2" unless given.
 */
export function completeWuqiBill(bill: { type: WuqiBillType; xxnr: Record<string, unknown> }, ecToken: string): CompletedBill {
  const schema = WUQI_BILL_SCHEMAS[bill.type];
  if (!schema) return { ok: false, message: `${String(bill.type)} bill: not an outpatient bill; ${OUTPATIENT_ONLY}` };
  const parsed = schema.safeParse(bill.xxnr);
  if (!parsed.success) return { ok: false, message: `${bill.type} bill: ${describeZodError(parsed.error)}` };
  const contradiction = cardContradiction(parsed.data, ecToken) ?? billPartsProblem({ type: bill.type, xxnr: parsed.data });
  if (contradiction) return { ok: false, message: contradiction };
  if (INPATIENT_YLLB.includes(parsed.data.yllb)) return { ok: false, message: `yllb ${parsed.data.yllb} is an inpatient kind; ${OUTPATIENT_ONLY}` };
  return { ok: true, xxnr: { ...parsed.data, cardtype: '3', carddata: ecToken } };
}

/** "cardtype must be 3 and carddata the ecToken": undefined when absent or agreeing. */
export function cardContradiction(xxnr: { cardtype?: string; carddata?: string }, ecToken: string | undefined): string | undefined {
  if (xxnr.cardtype !== undefined && xxnr.cardtype !== '3') return 'cardtype must be "3" (电子凭证)';
  if (xxnr.carddata !== undefined && xxnr.carddata !== '' && ecToken !== undefined && xxnr.carddata !== ecToken)
    return 'carddata must be the ecToken of this payment';
  return undefined;
}
