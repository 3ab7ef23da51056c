import { z } from 'zod';
import { formatYuan, toFen } from './money';

// 五期 SL01 对账 (§4.6.1; V1.0.6 appendix A.4 replaces its input): the day's totals of our 五期 settlements and
// refunds, and the centre's resultcollate. Pure: the API (export), the workflow's activity (send) and the
// simulator all compute the totals here, from the settlement's own SH02/SI12 output (payResponse xxnr).

/** 数字格式A (§3.3.5), with a sign: a day's refunds may outweigh its settlements. */
const amountA = z.string().regex(/^-?\d{1,14}\.\d{2}$/, 'must be 数字格式A, e.g. "100.00"');

/** SL01 入参, V1.0.6 (A.4, the whole table): field names to the letter. */
export const sl01Input = z
  .object({
    /** 对帐日, 日期格式 (§3.3.2) */
    daycollate: z.string().regex(/^\d{8}$/, 'must be 日期格式 yyyyMMdd'),
    /** 对帐日中心流水号数量, 数字格式B: "包括收费和退费" (§4.6.1.2 说明 1) */
    daycount: z.string().regex(/^\d{1,10}$/, 'must be 数字格式B'),
    totalcuraccpay: amountA,
    totalhisaccpay: amountA,
    totalcashpay: amountA,
    totaltcpay: amountA,
    totaldffjpay: amountA,
    totalflzf: amountA,
    totalzfaccpay: amountA,
    totalfybjsfw: amountA,
  })
  .strict();
export type Sl01Input = z.infer<typeof sl01Input>;

/** SL01 出参 (§4.6.1.3; V1.0.6 leaves it as it was). resultcollate 可空: kept as sent. */
export const sl01Output = z
  .object({
    daycollate: z.string().nullish(),
    resultcollate: z.union([z.string(), z.number()]).nullish(),
  })
  .passthrough();
export type Sl01Output = z.output<typeof sl01Output>;

/** resultcollate's values and their meaning, §4.6.1.3 to the letter. */
export const RESULTCOLLATE: Record<string, string> = {
  '0': '金额不符，交易明细未生成',
  '1': '金额不符，交易明细已生成，可以下载',
  '2': '此次对帐通过',
  '3': '对帐已通过，不需再次对帐',
  '4': '改帐通过',
};

/**
 * How we read a resultcollate: balanced (2 此次对帐通过, 4 改帐通过), alreadyPassed (3: the day had passed before;
 * this submission was not compared, see docs), differences (0, 1), unknown (anything else, empty included:
 * kept and shown, never read as balanced).
 */
export type ResultcollateReading = 'balanced' | 'alreadyPassed' | 'differences' | 'unknown';

export function readResultcollate(raw: unknown): { resultcollate: string | null; meaning: string; reading: ResultcollateReading } {
  const code = raw === undefined || raw === null ? null : String(raw);
  const meaning = code !== null && RESULTCOLLATE[code] ? RESULTCOLLATE[code]! : `未知的对账结果 ${JSON.stringify(code)} (unknown result code)`;
  const reading: ResultcollateReading =
    code === '2' || code === '4' ? 'balanced' : code === '3' ? 'alreadyPassed' : code === '0' || code === '1' ? 'differences' : 'unknown';
  return { resultcollate: code, meaning, reading };
}

/** One settlement's share of each SL01 total, integer fen. */
export interface Sl01Parts {
  curacc: number;
  hisacc: number;
  cash: number;
  tc: number;
  dffj: number;
  flzf: number;
  zfacc: number;
  fybjsfw: number;
}

const fenOf = (v: unknown) => (v === undefined || v === null || v === '' ? 0 : toFen(v as string | number));
const sum = (x: Record<string, unknown>, keys: readonly string[]) => keys.reduce((a, k) => a + fenOf(x[k]), 0);

/** 历年帐户 parts within 医保结算范围 (SH02/SI12 §4.3.4.3; 起付段 of SI91/SI5x when present; 分类自负 of A.1). */
export const HIS_ACCOUNT_FIELDS = ['hisaccountpay', 'zfdlnzhzfs', 'qfdzhzfs', 'tcdzhzfs', 'fjdzhzfs', 'flzflnzhzfs'] as const;
/** 共济账户 parts within 医保结算范围 (V1.0.6 A.1 / A.5). */
export const MUTUAL_ACCOUNT_FIELDS = ['gjzhzfs', 'zfdgjzhzfs', 'qfdgjzhzfs', 'tcdgjzhzfs', 'fjdgjzhzfs', 'flzfgjzhzfs'] as const;
/** 医保结算范围内现金 (guide §5.14 【现金支付数】: 起付段(自负段) + 统筹段 + 附加段现金). */
export const SCOPE_CASH_FIELDS = ['zfdxjzfs', 'qfdxjzfs', 'tcdxjzfs', 'fjdxjzfs'] as const;

/**
 * A settlement's SL01 parts from its SH02/SI12 output (readings in docs/spec-readings.md "SL01"):
 * - totalcuraccpay: curaccountpay;
 * - totalhisaccpay (A.4 "医保结算范围内历年账户支付数+共济账户支付数"): every 历年 and 共济 part within 医保结算范围,
 *   the 分类自负 ones included (guide §5.14: ybjsfwfyze = inscp_scp_amt + preselfpay_amt, so 分类自负 is inside it);
 * - totalcashpay (现金自负总额): the in-scope cash;
 * - totaltcpay: tczfs; totaldffjpay: fjzfs;
 * - totalflzf (A.4 分类自负现金总额): 分类自负 (ybjsfwfyze − totalexpense, guide §5.14) less what the 分类自负 accounts paid;
 * - totalzfaccpay (A.4): zflnzhzfs + zfgjzhzfs;
 * - totalfybjsfw: fybjsfwfyze.
 * So cur + his + cash + tc + dffj + flzf = ybjsfwfyze: every fen of the in-scope part counts once.
 */
export function sl01PartsOf(xxnr: Record<string, unknown>): Sl01Parts {
  const classified = Math.max(0, fenOf(xxnr.ybjsfwfyze) - fenOf(xxnr.totalexpense));
  return {
    curacc: fenOf(xxnr.curaccountpay),
    hisacc: sum(xxnr, HIS_ACCOUNT_FIELDS) + sum(xxnr, MUTUAL_ACCOUNT_FIELDS),
    cash: sum(xxnr, SCOPE_CASH_FIELDS),
    tc: fenOf(xxnr.tczfs),
    dffj: fenOf(xxnr.fjzfs),
    flzf: Math.max(0, classified - fenOf(xxnr.flzflnzhzfs) - fenOf(xxnr.flzfgjzhzfs)),
    zfacc: fenOf(xxnr.zflnzhzfs) + fenOf(xxnr.zfgjzhzfs),
    fybjsfw: fenOf(xxnr.fybjsfwfyze),
  };
}

/** One of the day's 五期 transactions: a settlement, or the refund (SK01) of one, with the settlement's parts. */
export interface Sl01Entry {
  orderNo: string;
  kind: 'settlement' | 'refund';
  /** 中心流水号 of the settlement */
  lsh: string;
  parts: Sl01Parts;
}

/** Our side of SL01, in fen (the API shows it; sl01InputOf formats it). */
export interface Sl01Totals {
  date: string;
  daycount: number;
  settlements: number;
  refunds: number;
  totalcuraccpay: number;
  totalhisaccpay: number;
  totalcashpay: number;
  totaltcpay: number;
  totaldffjpay: number;
  totalflzf: number;
  totalzfaccpay: number;
  totalfybjsfw: number;
}

const TOTAL_OF: ReadonlyArray<readonly [keyof Sl01Parts, keyof Sl01Totals]> = [
  ['curacc', 'totalcuraccpay'],
  ['hisacc', 'totalhisaccpay'],
  ['cash', 'totalcashpay'],
  ['tc', 'totaltcpay'],
  ['dffj', 'totaldffjpay'],
  ['flzf', 'totalflzf'],
  ['zfacc', 'totalzfaccpay'],
  ['fybjsfw', 'totalfybjsfw'],
];

/**
 * The day's totals: a settlement adds its parts, a refund subtracts them (SK01 returns the whole settlement:
 * its input is the settlement's 中心流水号 and 交易费用总额, §4.4.1.2). daycount counts both (§4.6.1.2 说明 1).
 */
export function sl01Totals(date: string, entries: Sl01Entry[]): Sl01Totals {
  const t: Sl01Totals = {
    date,
    daycount: entries.length,
    settlements: 0,
    refunds: 0,
    totalcuraccpay: 0,
    totalhisaccpay: 0,
    totalcashpay: 0,
    totaltcpay: 0,
    totaldffjpay: 0,
    totalflzf: 0,
    totalzfaccpay: 0,
    totalfybjsfw: 0,
  };
  for (const e of entries) {
    const sign = e.kind === 'refund' ? -1 : 1;
    if (e.kind === 'refund') t.refunds += 1;
    else t.settlements += 1;
    for (const [part, total] of TOTAL_OF) (t[total] as number) += sign * e.parts[part];
  }
  return t;
}

/** The SL01 入参 for the totals (daycollate = the Shanghai day as yyyyMMdd). */
export function sl01InputOf(t: Sl01Totals): Sl01Input {
  const out = { daycollate: t.date.replace(/-/g, ''), daycount: String(t.daycount) } as Record<string, string>;
  for (const [, total] of TOTAL_OF) out[total] = formatYuan(t[total] as number);
  return sl01Input.parse(out);
}

/** The totals an SL01 input carries, in fen (the simulator compares them with its own). */
export function totalsOfInput(i: Sl01Input): Record<string, number> {
  const out: Record<string, number> = { daycount: Number(i.daycount) };
  for (const [, total] of TOTAL_OF) out[total] = toFen(i[total as keyof Sl01Input]);
  return out;
}

/** SL01's answer as the day close keeps it (routes/wuqi/day-close.ts): answered, or refused with the centre's code. */
export type Sl01Answer = { kind: 'answered'; msgid: string; resultcollate: unknown } | { kind: 'refused'; msgid: string; code: string; message: string };
