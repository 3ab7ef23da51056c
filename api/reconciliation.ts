import { formatYuan, formatYuanBig, toFen, toFenBig } from '../protocol/money';
import { shanghaiDayRange } from '../protocol/shanghai-time';
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
  date: string;
  rows: ReconRow[];
  totals: { byChannel: Record<string, Sums>; byStatus: Record<string, Sums>; net: Sums };
  flags: {
    needsReview: Array<{ orderNo: string; reason: string }>;
    pushQueryMismatches: Array<{ orderNo: string; reason: string }>;
    orphanPushes: InboxPush[];
  };
}

const MONEY = ['medfee_sumamt', 'fund_pay_sumamt', 'acct_pay', 'psn_cash_pay'] as const;

/** The day's settlements and refunds (Shanghai time), totalled to the fen. */
export async function reconcile(service: Pick<SettlementQueries, 'viewsActiveBetween' | 'inbox'>, date: string): Promise<ReconReport> {
  const { from, to } = shanghaiDayRange(date);
  const inDay = (iso?: string) => iso !== undefined && Date.parse(iso) >= from && Date.parse(iso) < to;
  const rows: ReconRow[] = [];
  const needsReview: ReconReport['flags']['needsReview'] = [];
  const mismatches: ReconReport['flags']['pushQueryMismatches'] = [];

  const views = await service.viewsActiveBetween(new Date(from), new Date(to));
  for (const v of views) {
    const s = (v.setlinfo ?? wuqiAsSetlinfo(v)) as Record<string, string | number> | undefined;
    const money = (k: (typeof MONEY)[number]) => (s ? formatYuanBig(toFenBig(s[k] as string)) : '0.00');
    const base = { orderNo: v.orderNo, setl_id: String(s?.setl_id ?? ''), channel: v.channel ?? '', tradeNo: v.tradeNo ?? '', billTime: v.billTime ?? '', ...(v.wuqi ? { lsh: v.wuqi.lsh, jssqxh: v.wuqi.jssqxh } : {}) };
    const startedInDay = v.events.length > 0 && inDay(v.events[0]!.at);
    if (inDay(v.settledAt) || (!v.settledAt && startedInDay)) {
      const status = v.settledAt ? (v.status === 'NEEDS_REVIEW' && v.refund ? 'NEEDS_REVIEW' : settlementOutcome(v)) : v.status;
      rows.push({ type: 'SETTLEMENT', at: v.settledAt ?? v.events[0]!.at, status, reason: v.reason ?? '', ...base, ...Object.fromEntries(MONEY.map((k) => [k, money(k)])) } as ReconRow);
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

  return {
    date,
    rows,
    totals: dayTotals(rows),
    flags: { needsReview, pushQueryMismatches: mismatches, orphanPushes: (await service.inbox(date)).filter((i) => !i.matchedOrderNo || i.why === 'ORDER_CLOSED') },
  };
}

/** Sums of the rows' amounts, exact at any size: bigint fen (a day may pass Number.MAX_SAFE_INTEGER fen). */
export function sumRows(list: Array<Pick<ReconRow, (typeof MONEY)[number]>>): Sums {
  const sums = Object.fromEntries(MONEY.map((k) => [k, formatYuanBig(list.reduce((a, r) => a + toFenBig(r[k]), 0n))])) as Record<(typeof MONEY)[number], string>;
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

/** A settlement row shows how the settlement itself ended, even if it was refunded later. */
function settlementOutcome(v: SettlementView): string {
  return v.setlinfo || v.wuqi ? 'PAID' : v.status;
}

/**
 * What the refund gave back, in fen and negative, from the platform's own answer: the 2208 output's
 * setlinfo (the reversal; its sign is not relied on) or the SK01 output's 退回数 (§4.4.1.3 and V1.0.6 A.3:
 * fund = tc + dffj, account = the 帐户, 共济 and 自费账户 退回数 (zflnzhzfs + zfgjzhzfs)). The 五期 cash is what
 * the patient paid (the verified channel amount, view.wuqi.cash): SK01's zfcash + tccash + dffjcash are the
 * in-scope cash only, and the self-pay cash is refunded by the platform too (README "五期 cash part"); it is
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
    return { medfee_sumamt: -f(s, 'medfee_sumamt'), fund_pay_sumamt: -f(s, 'fund_pay_sumamt'), acct_pay: -f(s, 'acct_pay'), psn_cash_pay: -f(s, 'psn_cash_pay') };
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

export function toCsv(report: ReconReport): string {
  const cols: Array<keyof ReconRow> = ['type', 'orderNo', 'at', 'status', 'setl_id', 'medfee_sumamt', 'fund_pay_sumamt', 'acct_pay', 'psn_cash_pay', 'channel', 'tradeNo', 'billTime', 'reason'];
  const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return CSV_BOM + [cols.join(','), ...report.rows.map((r) => cols.map((c) => cell(String(r[c]))).join(','))].join('\n') + '\n';
}
