import type { Config } from './config';
import type { Difference } from '../protocol/centre-record';
import { formatDate, shanghaiDayRange } from '../protocol/shanghai-time';

// The daily check of our own orders against the centre (issue 18, 3): names, the result's shape and the
// pure rules, shared by the workflow (deterministic: nothing here reads a clock or does I/O), its
// activities, the worker's Schedule and the API.

const DAY_MS = 24 * 60 * 60_000;

/** One Schedule per deployment (task queue), like the push inbox and the webhook event log. */
export const centreCheckScheduleId = (taskQueue: string) => `centre-check-${taskQueue}`;
/** One workflow per task queue and Shanghai day: its own history and retries. */
export const centreCheckWorkflowId = (taskQueue: string, date: string) => `centre-check-${taskQueue}-${date}`;
/** The day close (issue 18, 4) started after the check in `send` mode; another workflow's, started by name. */
export const centreReconciliationWorkflowId = (taskQueue: string, date: string) => `centre-reconciliation-${taskQueue}-${date}`;

export interface CentreCheckOptions {
  /** CENTRE_CHECK_RATE_PER_SECOND */
  ratePerSecond: number;
  /** CENTRE_RECONCILIATION: 'send' starts the day close (centreReconciliation) after the check */
  reconciliation: 'export' | 'send';
}

/** What every run of the day's check is started with: the same from the Schedule and from the API. */
export const centreCheckOptions = (config: Config): CentreCheckOptions => ({
  ratePerSecond: config.CENTRE_CHECK_RATE_PER_SECOND,
  reconciliation: config.CENTRE_RECONCILIATION,
});

/** What one order's difference is about, for the reader: the centre has no record, reversed it, differs on money, or on ids. */
export type DifferenceKind = 'missing' | 'reversed' | 'amount' | 'other';

export interface CentreCheckDifference {
  orderNo: string;
  route: 'NATIONAL' | 'WUQI';
  kind: DifferenceKind;
  /** the query that was asked (5203, 5203A, SI91) and its msgid */
  asked: { query: string; msgid: string };
  differences: Difference[];
}

export interface CentreCheckUnavailable {
  orderNo: string;
  route?: 'NATIONAL' | 'WUQI';
  /** why it could not be compared: nothing to ask, the centre refused, no answer after the retries */
  reason: string;
}

export interface CentreCheckResult {
  date: string;
  /** running: not every order is compared yet (also while the centre is down and a batch retries) */
  status: 'running' | 'finished' | 'failed';
  /** the orders settled or refunded that day */
  total: number;
  checked: number;
  agreed: number;
  differences: CentreCheckDifference[];
  /** differences beyond MAX_LISTED: counted, not listed */
  differencesNotListed: number;
  unavailable: CentreCheckUnavailable[];
  startedAt: string;
  finishedAt?: string;
  /** send mode: the day close started after the check */
  reconciliation?: { workflowId: string };
}

/** A day's result before any order is counted. */
export const emptyCentreCheckResult = (date: string, status: CentreCheckResult['status'], startedAt: string): CentreCheckResult => ({
  date,
  status,
  total: 0,
  checked: 0,
  agreed: 0,
  differences: [],
  differencesNotListed: 0,
  unavailable: [],
  startedAt,
});

/** A day's result lists at most this many differences and unavailable orders (the history stays bounded). */
export const MAX_LISTED = 1_000;

const MONEY_FIELDS = new Set(['medfee', 'fund', 'account', 'cash']);

/**
 * The kind a reader sees first: no record at the centre (found), a settlement the centre reversed or holds as
 * refunded where we do not (paid / refunded), an amount, else an id or time (setlId, mdtrtId, setlTime).
 */
export function differenceKind(ds: Difference[]): DifferenceKind {
  if (ds.some((d) => d.field === 'found')) return 'missing';
  if (ds.some((d) => (d.field === 'paid' && d.centre === false) || (d.field === 'refunded' && d.centre === true))) return 'reversed';
  if (ds.some((d) => MONEY_FIELDS.has(d.field))) return 'amount';
  return 'other';
}

/** The Shanghai day before the one `epochMs` falls in: what a run scheduled at that time checks. */
export function previousShanghaiDay(epochMs: number): string {
  return formatDate(shanghaiDayRange(formatDate(epochMs)).from - DAY_MS);
}

/** HH:mm (CENTRE_CHECK_AT) as the Schedule's calendar fields. */
export function scheduleTime(at: string): { hour: number; minute: number } {
  const [hour, minute] = at.split(':').map(Number) as [number, number];
  return { hour, minute };
}

/**
 * Why a day cannot be checked, or undefined: a future day has nothing settled yet; a day older than the
 * retention is past the refund window, and its orders may have left Temporal's visibility. Today is allowed
 * (the part of the day so far).
 */
export function dateRefusal(date: string, now: number, retentionDays: number): string | undefined {
  const today = formatDate(now);
  if (date > today) return `${date} is in the future (today is ${today}, Asia/Shanghai)`;
  const oldest = formatDate(shanghaiDayRange(today).from - retentionDays * DAY_MS);
  if (date < oldest)
    return `${date} is beyond the ${retentionDays}-day retention (CENTRE_CHECK_RETENTION_DAYS): the oldest day that can be checked is ${oldest}`;
  return undefined;
}

/** What of a status view decides whether the order belongs to a day. */
export interface DayFacts {
  settledAt?: string;
  /** when the order began (its first event): for a settlement under review, which has no settledAt */
  startedAt?: string;
  /** we hold a verified result (setlinfo with setl_id, or a 五期 settlement): something to compare */
  holdsSettlement: boolean;
  refund?: { refundedAt?: string; insuranceRefundedAt?: string };
}

/**
 * The orders settled or refunded on the Shanghai day, as GET /api/reconciliation places its rows: settledAt
 * (PAID) within the day; for an order holding a result but no settledAt (under review), the day it began;
 * or the refund's time (the cash refund's, else the insurance part's) within the day. An order settled one
 * day and refunded another belongs to both. An order without a result of ours (FAILED, unknown outcome) has
 * nothing to compare and belongs to no day's check.
 */
export function belongsToDay(v: DayFacts, date: string): boolean {
  if (!v.holdsSettlement) return false;
  const { from, to } = shanghaiDayRange(date);
  const inDay = (iso?: string) => iso !== undefined && Date.parse(iso) >= from && Date.parse(iso) < to;
  return inDay(v.settledAt) || (!v.settledAt && inDay(v.startedAt)) || inDay(v.refund?.refundedAt ?? v.refund?.insuranceRefundedAt);
}
