import { formatYuan, formatYuanBig, toFen, toFenBig } from '../protocol/money';
import { formatDateTime, shanghaiDayRange } from '../protocol/shanghai-time';
import type { SettlementView } from '../workflows/messages';
import type { InboxPush } from '../workflows/push-inbox';
import type { SettlementQueries } from './service';

export interface ReconRow {
  type: 'SETTLEMENT' | 'REFUND';
  orderNo: string;
  at: string;
  status: string;
  setl_id: string;
  medfee_sumamt: string;
  fund_pay_sumamt: string;
  acct_pay: string;
  psn_cash_pay: string;
  channel: string;
  tradeNo: string;
  billTime: string;
  reason: string;
  /** 五期 rows: the 中心流水号 and 计算申请序号 (setl_id carries the lsh too) */
  lsh?: string;
  jssqxh?: string;
}

interface Sums {
  count: number;
  medfee_sumamt: string;
  fund_pay_sumamt: string;
  acct_pay: string;
  psn_cash_pay: string;
}

export interface ReconReport {
  /** the day, or for a range of days the ISO 8601 interval from/to (2026-11-01/2026-11-30) */
  date: string;
  /** the first and last Shanghai day the report covers (the same day for one day) */
  from: string;
  to: string;
  rows: ReconRow[];
  totals: { byChannel: Record<string, Sums>; byStatus: Record<string, Sums>; net: Sums };
  flags: {
    needsReview: Array<{ orderNo: string; reason: string }>;
    pushQueryMismatches: Array<{ orderNo: string; reason: string }>;
    /** with the inbox day each was kept in (its index counts within that day) */
    orphanPushes: Array<InboxPush & { date: string }>;
  };
}

const MONEY = ['medfee_sumamt', 'fund_pay_sumamt', 'acct_pay', 'psn_cash_pay'] as const;

/** The most days one report covers: each day's inbox is one query and every order of the range is read. */
export const MAX_RANGE_DAYS = 31;

/** A calendar date as YYYY-MM-DD (2026-02-30 is not one). */
export const isCalendarDate = (d: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(Date.parse(d)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);

/**
 * The Shanghai days from..to, both included, or why they are not a range: [field, message] for a 400
 * (a bad date, to before from, more than MAX_RANGE_DAYS days).
 */
export function rangeDays(from: string, to: string): string[] | { field: 'from' | 'to'; message: string } {
  if (!isCalendarDate(from)) return { field: 'from', message: 'must be a date as YYYY-MM-DD' };
  if (!isCalendarDate(to)) return { field: 'to', message: 'must be a date as YYYY-MM-DD' };
  const days: string[] = [];
  for (let t = Date.parse(from); t <= Date.parse(to); t += 86_400_000) {
    if (days.length === MAX_RANGE_DAYS) return { field: 'to', message: `a range covers at most ${MAX_RANGE_DAYS} days` };
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days.length > 0 ? days : { field: 'to', message: 'must not be before from' };
}

/** The day's settlements and refunds (Shanghai time), totalled to the fen. */
export async function reconcile(service: Pick<SettlementQueries, 'viewsActiveBetween' | 'inbox'>, date: string): Promise<ReconReport> {
  return reconcileDays(service, [date]);
}

/** The settlements and refunds of consecutive Shanghai days (rangeDays), in one report totalled to the fen. */
export async function reconcileDays(service: Pick<SettlementQueries, 'viewsActiveBetween' | 'inbox'>, days: string[]): Promise<ReconReport> {
  const first = days[0]!;
  const last = days[days.length - 1]!;
  const from = shanghaiDayRange(first).from;
  const to = shanghaiDayRange(last).to;
  const inDay = (iso?: string) => iso !== undefined && Date.parse(iso) >= from && Date.parse(iso) < to;
  const rows: ReconRow[] = [];
  const needsReview: ReconReport['flags']['needsReview'] = [];
  const mismatches: ReconReport['flags']['pushQueryMismatches'] = [];

  const views = await service.viewsActiveBetween(new Date(from), new Date(to));
  for (const v of views) {
    const s = (v.setlinfo ?? wuqiAsSetlinfo(v)) as Record<string, string | number> | undefined;
    const money = (k: (typeof MONEY)[number]) => (s ? formatYuanBig(toFenBig(s[k] as string)) : '0.00');
    const base = {
      orderNo: v.orderNo,
      setl_id: String(s?.setl_id ?? ''),
      channel: v.channel ?? '',
      tradeNo: v.tradeNo ?? '',
      billTime: v.billTime ?? '',
      ...(v.wuqi ? { lsh: v.wuqi.lsh, jssqxh: v.wuqi.jssqxh } : {}),
    };
    const startedInDay = v.events.length > 0 && inDay(v.events[0]!.at);
    if (inDay(v.settledAt) || (!v.settledAt && startedInDay)) {
      const status = v.settledAt ? (v.status === 'NEEDS_REVIEW' && v.refund ? 'NEEDS_REVIEW' : settlementOutcome(v)) : v.status;
      rows.push({
        type: 'SETTLEMENT',
        at: v.settledAt ?? v.events[0]!.at,
        status,
        reason: settlementReason(v),
        ...base,
        ...Object.fromEntries(MONEY.map((k) => [k, money(k)])),
      } as ReconRow);
    }
    if (v.refund && inDay(v.refund.refundedAt ?? v.refund.insuranceRefundedAt)) {
      const cashRefunded = v.refund.status === 'REFUNDED';
      const back = refundedAmounts(v);
      const fallback = back ? undefined : s && ((k: (typeof MONEY)[number]) => -Math.abs(toFen(s[k] as string)));
      const amount = (k: (typeof MONEY)[number]) => formatYuan(back ? back[k] : fallback ? fallback(k) : 0);
      rows.push({
        type: 'REFUND',
        at: (v.refund.refundedAt ?? v.refund.insuranceRefundedAt)!,
        status: v.refund.status,
        reason: [v.refund.reason, back ? '' : 'INSURANCE_OUTPUT_MISSING: amounts from the settlement'].filter(Boolean).join('; '),
        ...base,
        medfee_sumamt: amount('medfee_sumamt'),
        fund_pay_sumamt: amount('fund_pay_sumamt'),
        acct_pay: amount('acct_pay'),
        psn_cash_pay: cashRefunded ? amount('psn_cash_pay') : '0.00',
      });
    }
    if (v.status === 'NEEDS_REVIEW') needsReview.push({ orderNo: v.orderNo, reason: v.reason ?? '' });
    const mismatch = [v.reason, v.refund?.reason].find((r) => r?.includes('MISMATCH'));
    if (mismatch) mismatches.push({ orderNo: v.orderNo, reason: mismatch });
  }
  rows.sort((a, b) => a.at.localeCompare(b.at) || a.orderNo.localeCompare(b.orderNo));

  const orphanPushes: ReconReport['flags']['orphanPushes'] = [];
  for (const day of days) {
    for (const i of await service.inbox(day)) if (!i.matchedOrderNo || i.why === 'ORDER_CLOSED') orphanPushes.push({ ...i, date: day });
  }
  return {
    date: first === last ? first : `${first}/${last}`,
    from: first,
    to: last,
    rows,
    totals: dayTotals(rows),
    flags: { needsReview, pushQueryMismatches: mismatches, orphanPushes },
  };
}

/** Sums of the rows' amounts, exact at any size: bigint fen (a day may pass Number.MAX_SAFE_INTEGER fen). */
export function sumRows(list: Array<Pick<ReconRow, (typeof MONEY)[number]>>): Sums {
  const sums = Object.fromEntries(MONEY.map((k) => [k, formatYuanBig(list.reduce((a, r) => a + toFenBig(r[k]), 0n))])) as Record<
    (typeof MONEY)[number],
    string
  >;
  return { count: list.length, ...sums };
}

/** The day's totals: money counts what moved (paid settlements and refunds); byStatus counts every row. */
export function dayTotals(rows: ReconRow[]): ReconReport['totals'] {
  const moved = rows.filter((r) => (r.type === 'SETTLEMENT' && r.status === 'PAID') || r.type === 'REFUND');
  const group = (list: ReconRow[], key: (r: ReconRow) => string) => {
    const out: Record<string, ReconRow[]> = {};
    for (const r of list) (out[key(r)] ??= []).push(r);
    return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, sumRows(v)]));
  };
  return { byChannel: group(moved, (r) => r.channel || 'none'), byStatus: group(rows, (r) => `${r.type}:${r.status}`), net: sumRows(moved) };
}

/**
 * The settlement's own reason ("by push", "resolved by …", a review code): once a refund is requested the
 * view's reason follows the refund, so it is the last status change before the first REFUND_REQUESTED.
 * Empty when the order's capped event list no longer holds it (never the refund's reason in its place).
 */
export function settlementReason(v: Pick<SettlementView, 'reason' | 'refund' | 'events'>): string {
  if (!v.refund) return v.reason ?? '';
  const asked = v.events.findIndex((e) => e.type === 'REFUND_REQUESTED');
  const before = asked < 0 ? [] : v.events.slice(0, asked);
  const last = before.reverse().find((e) => e.type.startsWith('STATUS_'));
  return last?.detail ?? '';
}

/** A settlement row shows how the settlement itself ended, even if it was refunded later. */
function settlementOutcome(v: SettlementView): string {
  return v.setlinfo || v.wuqi ? 'PAID' : v.status;
}

/**
 * What the refund gave back, in fen and negative, from the platform's own answer: the 2208 output's
 * setlinfo (the reversal; its sign is not relied on) or the SK01 output's 退回数 (§4.4.1.3 and V1.0.6 A.3:
 * fund = tc + dffj, account = the 帐户, 共济 and 自费账户 退回数 (zflnzhzfs + zfgjzhzfs)). The 五期 cash is what
 * the patient paid (the verified channel amount, view.wuqi.cash): SK01's zfcash + tccash + dffjcash are the
 * in-scope cash only, and the self-pay cash is refunded by the platform too (docs/spec-readings.md "五期 route", 五期 cash part); it is
 * the in-scope cash for a view kept before that reading. Undefined when no output was kept (an insurance
 * refund confirmed after an unknown answer).
 */
export function refundedAmounts(v: Pick<SettlementView, 'refund' | 'wuqi'>): Record<(typeof MONEY)[number], number> | undefined {
  const out = v.refund?.insuranceOutput;
  if (!out) return undefined;
  const f = (o: Record<string, unknown>, k: string) => (o[k] === undefined || o[k] === null || o[k] === '' ? 0 : Math.abs(toFen(o[k] as string | number)));
  try {
    if (v.wuqi) {
      const cash = v.wuqi.selfPay !== undefined ? toFen(v.wuqi.cash) : f(out, 'zfcash') + f(out, 'tccash') + f(out, 'dffjcash');
      const fund = f(out, 'tc') + f(out, 'dffj');
      const account = ['curaccount', 'hisaccount', 'tchisaccount', 'dffjhisaccount', 'gjaccount', 'zflnzhzfs', 'zfgjzhzfs'].reduce((a, k) => a + f(out, k), 0);
      return { medfee_sumamt: -(cash + fund + account), fund_pay_sumamt: -fund, acct_pay: -account, psn_cash_pay: -cash };
    }
    const s = out.setlinfo as Record<string, unknown> | undefined;
    if (!s) return undefined;
    return {
      medfee_sumamt: -f(s, 'medfee_sumamt'),
      fund_pay_sumamt: -f(s, 'fund_pay_sumamt'),
      acct_pay: -f(s, 'acct_pay'),
      psn_cash_pay: -f(s, 'psn_cash_pay'),
    };
  } catch {
    return undefined;
  }
}

/**
 * A 五期 settlement in the row's columns, setl_id = lsh: medfee = the whole bill (totalexpense, the insured part, +
 * fybjsfwfyze), fund (tczfs + fjzfs), account = the in-scope 帐户/共济 parts + what the 自费 accounts paid, cash =
 * what the patient paid (the verified channel amount). Views kept before the self-pay reading have no selfPay (0).
 */
function wuqiAsSetlinfo(v: SettlementView) {
  const w = v.wuqi;
  if (!w) return undefined;
  const fen = (x?: string) => (x ? toFen(x) : 0);
  return {
    setl_id: w.lsh,
    medfee_sumamt: formatYuan(toFen(w.totalexpense) + fen(w.selfPay)),
    fund_pay_sumamt: w.fund,
    acct_pay: formatYuan(toFen(w.account) + fen(w.selfPayAccount)),
    psn_cash_pay: w.cash,
  };
}

/** UTF-8 with a BOM: without it Excel reads the file as the local code page and garbles 中文. */
export const CSV_BOM = '\uFEFF';

/** The CSV's columns and their Chinese headers (the default; `?lang=en` gives the field names, as before). */
export const CSV_COLUMNS: ReadonlyArray<readonly [keyof ReconRow, string]> = [
  ['type', '类型'],
  ['orderNo', '订单号'],
  ['at', '时间（北京时间）'],
  ['status', '状态'],
  ['setl_id', '结算ID'],
  ['medfee_sumamt', '医疗费总额'],
  ['fund_pay_sumamt', '基金支付总额'],
  ['acct_pay', '个人账户支付'],
  ['psn_cash_pay', '个人现金支付'],
  ['channel', '支付渠道'],
  ['tradeNo', '交易流水号'],
  ['billTime', '账单时间'],
  ['reason', '原因'],
];

export type CsvLang = 'zh' | 'en';

/**
 * The report as CSV. zh: Chinese headers and `at` in Shanghai time (yyyy-MM-dd HH:mm:ss, what a clerk
 * compares with the platform's 对账单); en: the field names and `at` as stored (ISO, UTC). Values are
 * otherwise the same codes and amounts in both, so a program can read either.
 */
export function toCsv(report: ReconReport, lang: CsvLang = 'en'): string {
  const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const value = (r: ReconRow, c: keyof ReconRow) => (lang === 'zh' && c === 'at' ? formatDateTime(Date.parse(r.at)) : String(r[c]));
  const header = CSV_COLUMNS.map(([c, zh]) => (lang === 'zh' ? zh : c)).join(',');
  return CSV_BOM + [header, ...report.rows.map((r) => CSV_COLUMNS.map(([c]) => cell(value(r, c))).join(','))].join('\n') + '\n';
}
