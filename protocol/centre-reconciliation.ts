import type { NationalDetail, NationalReconResult, ReconOrder } from './recon-national';
import { readResultcollate, type ResultcollateReading, type Sl01Entry, type Sl01Totals } from './recon-wuqi';

// The hospital's day close in `send` mode (issue 18, 4): what each part answered, put together into one
// result. Pure and workflow-safe. Unknown result codes are kept and shown, and never read as balanced.

/** Our side of one Shanghai day, in each route's shape (common/centre-day.ts centreDayOf reads it from the views). */
export interface CentreDay {
  date: string;
  national: ReconOrder[];
  wuqi: Sl01Entry[];
  /** Orders of the day that cannot be put into the totals (no stored settlement details): shown, never guessed. */
  incomplete: Array<{ orderNo: string; reason: string }>;
}

/** How a route's day-close call is retried: a centre that does not answer keeps the run going (the console shows the day unfinished) until it does. */
export const DAY_CLOSE_RETRY = { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' } as const;

/** A run that failed, per route, for shyb_centre_reconciliation_runs_total. */
export const FAILED_OUTCOMES = { national: 'failed', wuqi: 'failed' } as const;

/** Our totals of a 3201 group, in fen. */
export interface OursTotals {
  count: number;
  medfee: number;
  fund: number;
  account: number;
  cash: number;
}

/** One 表201 row not 平, matched to our order or outside shyb-pay (protocol/recon-national.ts matchTable201). */
export type DetailRow = NationalDetail;

/** One group's 3201 answer, and 3202's rows when it was not 平 (routes/national/day-close.ts). */
export type NationalGroupResult = NationalReconResult;

export interface WuqiResult {
  ours: Sl01Totals;
  /** as the centre answered it (null: not sent, or empty) */
  resultcollate: string | null;
  meaning: string;
  reading: ResultcollateReading | 'notSent';
  msgid?: string;
  /** what the clerk does next (a mismatch's detail file has no download interface) */
  note?: string;
}

export interface Discrepancy {
  route: 'NATIONAL' | 'WUQI';
  /** the 3201 group (national) */
  group?: { insutype: string; clr_type: string; setl_optins: string };
  /** the order behind it, when 表201 names one of ours */
  orderNo?: string;
  kind?: 'settlement' | 'refund';
  /** stmt_rslt (national) or resultcollate (五期), as answered */
  code: string | null;
  meaning: string;
  ours?: DetailRow['ours'] | OursTotals | Sl01Totals;
  centre?: DetailRow['centre'];
  setlId?: string;
  msgid?: string;
  memo?: string;
}

export type ReconciliationOutcome = 'balanced' | 'differences';

export interface CentreReconciliationResult {
  date: string;
  mode: 'send';
  outcome: ReconciliationOutcome;
  national: NationalGroupResult[];
  wuqi: WuqiResult;
  discrepancies: Discrepancy[];
  /** 表201 rows that match none of our orders: "outside shyb-pay" */
  outside: DetailRow[];
  /** our orders of the day that could not be put into the totals (shown, never guessed) */
  incomplete: Array<{ orderNo: string; reason: string }>;
  startedAt: string;
  finishedAt: string;
}

/** Only stmt_rslt 0 (平) is balanced: every other code, unknown ones and an empty one included, is not. */
export const nationalBalanced = (g: Pick<NationalGroupResult, 'stmt_rslt'>) => g.stmt_rslt === '0';
/** 2 此次对帐通过, 4 改帐通过, 3 对帐已通过 (an earlier SL01 passed the day), or nothing to send. */
export const wuqiBalanced = (w: Pick<WuqiResult, 'reading'>) => w.reading === 'balanced' || w.reading === 'alreadyPassed' || w.reading === 'notSent';

/** What the clerk does when SL01 does not pass (national-files-and-queries-extract.md §6.1 and "未找到的内容"). */
export const SL01_MISMATCH_NOTE =
  "SL01 金额不符: the spec gives no interface to download the centre's detail file (YYYYMMDD.TXT, §6.1). The day's centre check (GET /api/centre-checks?date=) names the 五期 orders whose SI91 record differs; for the rest, get the file from the centre (区医保中心), compare it by 中心流水号 with our day (GET /api/reconciliation?date=, lsh), correct our side, and apply in writing to the district centre for a change on theirs (改帐); then run SL01 again.";

/** The 五期 part from SL01's answer (or its absence). */
export function wuqiResultOf(ours: Sl01Totals, answer: { msgid: string; resultcollate: unknown } | undefined): WuqiResult {
  if (!answer) return { ours, resultcollate: null, meaning: 'no 五期 settlement or refund that day: SL01 not sent', reading: 'notSent' };
  const r = readResultcollate(answer.resultcollate);
  const note =
    r.reading === 'differences' || r.reading === 'unknown'
      ? SL01_MISMATCH_NOTE
      : r.reading === 'alreadyPassed'
        ? "the day had passed an earlier SL01 (ours, or the HIS's own close): these totals were not compared"
        : undefined;
  return { ours, resultcollate: r.resultcollate, meaning: r.meaning, reading: r.reading, msgid: answer.msgid, ...(note ? { note } : {}) };
}

/** A group's difference in words: the centre's description, a refusal (3201/9101/3202/9102), or an unreadable 表201. */
function groupMeaning(g: NationalGroupResult): string {
  const parts = [
    g.stmt_rslt_dscr,
    g.notSent ?? '',
    g.refused ? `${g.refused.infno} refused: ${g.refused.code} ${g.refused.message}`.trim() : '',
    g.detailsProblem ? `表201 not readable: ${g.detailsProblem}` : '',
  ];
  return parts.filter(Boolean).join('; ');
}

const groupOf = (g: NationalGroupResult) => ({ insutype: g.insutype, clr_type: g.clr_type, setl_optins: g.setl_optins });

/**
 * Discrepancies and outside rows: a national group that is not 平 gives one discrepancy per 表201 row of ours
 * that is not 平 (the order behind it), or, without such rows, one for the group itself; every 表201 row
 * outside shyb-pay is listed in `outside` (and counts as a discrepancy of its group). 五期: SL01 not passed.
 */
export function assembleResult(a: {
  date: string;
  national: NationalGroupResult[];
  wuqi: WuqiResult;
  incomplete: CentreReconciliationResult['incomplete'];
  startedAt: string;
  finishedAt: string;
}): CentreReconciliationResult {
  const discrepancies: Discrepancy[] = [];
  const outside: DetailRow[] = [];
  for (const g of a.national) {
    const rows = g.details ?? [];
    const out = rows.filter((r) => r.outside);
    outside.push(...out.map((r) => ({ ...r, group: groupOf(g) })));
    if (nationalBalanced(g)) continue;
    const ours = rows.filter((r) => !r.outside && r.stmt_rslt !== '0');
    for (const r of ours) {
      discrepancies.push({
        route: 'NATIONAL',
        group: groupOf(g),
        orderNo: r.orderNo,
        kind: r.kind,
        code: r.stmt_rslt,
        meaning: r.stmt_rslt_dscr ?? '',
        ours: r.ours,
        centre: r.centre,
        setlId: r.setlId,
        msgid: r.msgid,
        memo: r.memo,
      });
    }
    for (const r of out)
      discrepancies.push({
        route: 'NATIONAL',
        group: groupOf(g),
        code: r.stmt_rslt,
        meaning: `${r.stmt_rslt_dscr ?? ''} (outside shyb-pay)`.trim(),
        centre: r.centre,
        setlId: r.setlId,
        msgid: r.msgid,
        memo: r.memo,
      });
    if (ours.length === 0 && out.length === 0)
      discrepancies.push({ route: 'NATIONAL', group: groupOf(g), code: g.stmt_rslt, meaning: groupMeaning(g), ours: g.ours });
  }
  if (!wuqiBalanced(a.wuqi)) discrepancies.push({ route: 'WUQI', code: a.wuqi.resultcollate, meaning: a.wuqi.meaning, ours: a.wuqi.ours });
  const outcome: ReconciliationOutcome = discrepancies.length === 0 && a.national.every(nationalBalanced) && wuqiBalanced(a.wuqi) ? 'balanced' : 'differences';
  return {
    date: a.date,
    mode: 'send',
    outcome,
    national: a.national,
    wuqi: a.wuqi,
    discrepancies,
    outside,
    incomplete: a.incomplete,
    startedAt: a.startedAt,
    finishedAt: a.finishedAt,
  };
}

/** Per route, for shyb_centre_reconciliation_runs_total. */
export function routeOutcomes(r: Pick<CentreReconciliationResult, 'national' | 'wuqi'>): { national?: ReconciliationOutcome; wuqi?: ReconciliationOutcome } {
  return {
    ...(r.national.length > 0 ? { national: r.national.every(nationalBalanced) ? 'balanced' : 'differences' } : {}),
    ...(r.wuqi.reading !== 'notSent' ? { wuqi: wuqiBalanced(r.wuqi) ? 'balanced' : 'differences' } : {}),
  };
}
