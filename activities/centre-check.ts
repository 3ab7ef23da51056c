import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { SettlementQueries } from '../api/service/queries';
import { belongsToDay, differenceKind, type CentreCheckDifference, type CentreCheckResult, type CentreCheckUnavailable } from '../common/centre-check';
import { maskPersonal } from '../common/logger';
import { centreCheckDifferences, centreCheckRuns } from '../common/metrics';
import type { PlatformClient } from '../platform/client';
import { centreQueryFor, compareRecords, ourRecord } from '../protocol/centre-record';
import { shanghaiDayRange } from '../protocol/shanghai-time';
import { centreFacts } from '../workflows/centre-review';
import { askCentre } from './centre-record';

// The daily centre check's activities (workflows/centre-check.ts): the day's orders, read from Temporal as
// GET /api/reconciliation reads them (SettlementQueries.viewsActiveBetween), and one batch of them compared
// with the centre's record (the same query as GET /api/settlements/{orderNo}/centre), paced.

export interface BatchOutcome {
  agreed: number;
  differences: CentreCheckDifference[];
  unavailable: CentreCheckUnavailable[];
}

export interface CentreCheckActivities {
  /** orderNos of the orders settled or refunded on the Shanghai day, oldest first */
  listCentreCheckDay(a: { date: string }): Promise<string[]>;
  /** each order asked and compared, at most ratePerSecond queries a second; no answer at all throws (retried) */
  checkCentreBatch(a: { orderNos: string[]; ratePerSecond: number }): Promise<BatchOutcome>;
  /** the run's end, in this process's metrics */
  recordCentreCheck(a: { result: Pick<CentreCheckResult, 'status' | 'differences' | 'differencesNotListed'> }): Promise<void>;
}

const queryName = (a: { infno?: string; xxlxm?: string }) => a.xxlxm ?? a.infno ?? '5203';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Asks one order's centre record and compares; unknown (no answer) throws a retryable CentreUnavailable. */
async function checkOne(
  queries: Pick<SettlementQueries, 'status'>,
  platform: PlatformClient,
  orderNo: string,
): Promise<{ agreed: true } | { difference: CentreCheckDifference } | { unavailable: CentreCheckUnavailable }> {
  const view = await queries.status(orderNo);
  const route = view.route ?? 'NATIONAL';
  const facts = centreFacts(view);
  const q = centreQueryFor(facts);
  const ours = ourRecord(facts);
  if ('none' in q || !ours) return { unavailable: { orderNo, route, reason: 'none' in q ? q.none : 'we hold no settlement to compare' } };
  const answer = await askCentre(platform, q, platform.signIn.operator);
  const asked = { query: queryName(answer.asked), msgid: answer.asked.msgid };
  if (answer.kind === 'unknown')
    throw ApplicationFailure.retryable(
      `the centre gave no answer to ${asked.query} for ${orderNo} (msgid ${asked.msgid}): ${maskPersonal(answer.reason)}`,
      'CentreUnavailable',
    );
  if (answer.kind === 'refused')
    return { unavailable: { orderNo, route, reason: `${asked.query} refused (msgid ${asked.msgid}): ${maskPersonal(answer.message)}` } };
  const differences = compareRecords(ours, answer.record ?? undefined);
  if (differences.length === 0) return { agreed: true };
  return { difference: { orderNo, route, kind: differenceKind(differences), asked, differences } };
}

export function createCentreCheckActivities(deps: {
  platform: PlatformClient;
  queries: Pick<SettlementQueries, 'viewsActiveBetween' | 'status'>;
}): CentreCheckActivities {
  return {
    async listCentreCheckDay({ date }) {
      const { from, to } = shanghaiDayRange(date);
      // a refund may come up to the refund window after the settlement: every order still running, or closed since the day began
      const views = await deps.queries.viewsActiveBetween(new Date(from), new Date(to));
      return views
        .filter((v) =>
          belongsToDay(
            { settledAt: v.settledAt, startedAt: v.events[0]?.at, holdsSettlement: ourRecord(centreFacts(v)) !== undefined, refund: v.refund },
            date,
          ),
        )
        .map((v) => v.orderNo)
        .sort();
    },

    async checkCentreBatch({ orderNos, ratePerSecond }) {
      const ctx = Context.current();
      // a retry after the centre went down resumes where the last attempt stood (its heartbeat)
      const done = (ctx.info.heartbeatDetails as (BatchOutcome & { next: number }) | undefined) ?? { next: 0, agreed: 0, differences: [], unavailable: [] };
      const out: BatchOutcome & { next: number } = { ...done, differences: [...done.differences], unavailable: [...done.unavailable] };
      const gapMs = Math.ceil(1000 / Math.max(1, ratePerSecond));
      for (; out.next < orderNos.length; out.next++) {
        const began = Date.now();
        const orderNo = orderNos[out.next]!;
        const r = await checkOne(deps.queries, deps.platform, orderNo);
        if ('agreed' in r) out.agreed++;
        else if ('difference' in r) out.differences.push(r.difference);
        else out.unavailable.push(r.unavailable);
        ctx.heartbeat({ ...out, next: out.next + 1 });
        // the pace: one query per gap at most (the centre's own limits are not published)
        if (out.next + 1 < orderNos.length) await sleep(Math.max(0, gapMs - (Date.now() - began)));
      }
      return { agreed: out.agreed, differences: out.differences, unavailable: out.unavailable };
    },

    async recordCentreCheck({ result }) {
      const listed = result.differences.length + result.differencesNotListed;
      centreCheckRuns.inc({ result: result.status === 'failed' ? 'failed' : listed > 0 ? 'differences' : 'clean' });
      centreCheckDifferences.set(listed);
    },
  };
}
