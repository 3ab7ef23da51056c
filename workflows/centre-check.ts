import * as wf from '@temporalio/workflow';
import { defineSearchAttributeKey, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { CentreCheckActivities } from '../activities/centre-check';
import { formatDate } from '../protocol/shanghai-time';
import {
  centreCheckWorkflowId,
  centreReconciliationWorkflowId,
  emptyCentreCheckResult,
  MAX_LISTED,
  previousShanghaiDay,
  type CentreCheckOptions,
  type CentreCheckResult,
} from '../common/centre-check';

// The daily check of our own orders against the centre (issue 18, 3). One workflow per task queue and
// Shanghai day (centreCheck): it lists the orders settled or refunded that day, then asks the centre about
// them in batches (one activity call each, paced inside at ratePerSecond, resuming from its heartbeat when
// retried), so the history holds one event group per batch. A centre that does not answer fails the batch,
// and Temporal retries it: the day stays `running` meanwhile. Batches still unanswered after the retries
// (BATCH_RETRY_FOR) become `unavailable` and the day `failed`. Big days continue as new runs. The Schedule
// (worker/centre-check-schedule.ts) starts scheduledCentreCheck, which starts the previous day's centreCheck.

export interface CentreCheckInput extends CentreCheckOptions {
  date: string;
  /** batches per run before continuing as new (default BATCHES_PER_RUN; tests make it small) */
  batchesPerRun?: number;
  /** carried into a continued run: the day's list, where the next batch starts, the result so far */
  carry?: { orderNos: string[]; next: number; result: CentreCheckResult; failed: boolean };
}

export const centreCheckResultQuery = wf.defineQuery<CentreCheckResult>('centreCheckResult');

/** Ten seconds' worth of queries per activity call, at most 100 orders. */
export const batchSizeFor = (ratePerSecond: number) => Math.min(100, Math.max(1, Math.floor(ratePerSecond)) * 10);
/** Batches per run before continuing as new (each is ~6 history events). */
export const BATCHES_PER_RUN = 200;
/** How long one batch is retried while the centre does not answer; then its orders are `unavailable`. */
export const BATCH_RETRY_FOR = '6 hours';

const listing = wf.proxyActivities<CentreCheckActivities>({
  startToCloseTimeout: '10 minutes',
  scheduleToCloseTimeout: '2 hours',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});
const asking = wf.proxyActivities<CentreCheckActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  scheduleToCloseTimeout: BATCH_RETRY_FOR,
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '2 minutes' },
});
const reporting = wf.proxyActivities<CentreCheckActivities>({ startToCloseTimeout: '30s', retry: { maximumAttempts: 3 } });

const causeOf = (err: unknown) => {
  const e = err as Error & { cause?: Error & { cause?: Error } };
  return (e.cause?.cause ?? e.cause ?? e).message;
};

export async function centreCheck(input: CentreCheckInput): Promise<CentreCheckResult> {
  const { date, ratePerSecond } = input;
  const result: CentreCheckResult = input.carry?.result ?? emptyCentreCheckResult(date, 'running', new Date(Date.now()).toISOString());
  wf.setHandler(centreCheckResultQuery, () => result);

  const orderNos = input.carry?.orderNos ?? (await listing.listCentreCheckDay({ date }));
  result.total = orderNos.length;
  const size = batchSizeFor(ratePerSecond);
  let next = input.carry?.next ?? 0;
  let failed = input.carry?.failed ?? false;
  for (let batches = 0; next < orderNos.length; batches++) {
    if (batches >= (input.batchesPerRun ?? BATCHES_PER_RUN) || wf.workflowInfo().continueAsNewSuggested) {
      await wf.continueAsNew<typeof centreCheck>({ ...input, carry: { orderNos, next, result, failed } });
    }
    const batch = orderNos.slice(next, next + size);
    try {
      const out = await asking.checkCentreBatch({ orderNos: batch, ratePerSecond });
      result.agreed += out.agreed;
      for (const d of out.differences) {
        if (result.differences.length < MAX_LISTED) result.differences.push(d);
        else result.differencesNotListed++;
      }
      result.unavailable.push(...out.unavailable.slice(0, Math.max(0, MAX_LISTED - result.unavailable.length)));
    } catch (err) {
      // the retries are spent: these orders are not compared, and the day did not finish
      failed = true;
      const reason = `no answer from the centre after ${BATCH_RETRY_FOR} of retries: ${causeOf(err)}`;
      result.unavailable.push(...batch.map((orderNo) => ({ orderNo, reason })).slice(0, Math.max(0, MAX_LISTED - result.unavailable.length)));
    }
    next += batch.length;
    result.checked = next;
  }

  result.status = failed ? 'failed' : 'finished';
  result.finishedAt = new Date(Date.now()).toISOString();
  // only a day that is over goes to the day close: SL01 keeps state (五期 §4.6.1, "3：对帐已通过，不需再次对帐"),
  // so part of today's totals sent now would pass the day at the centre unchecked
  const dayOver = formatDate(wf.workflowInfo().runStartTime.getTime()) > date; // from history: the same on replay
  if (input.reconciliation === 'send' && dayOver) {
    const workflowId = centreReconciliationWorkflowId(wf.workflowInfo().taskQueue, date);
    try {
      // the day close (another workflow, issue 18 item 4), by name: it outlives this run
      await wf.startChild('centreReconciliation', { workflowId, args: [{ date }], parentClosePolicy: wf.ParentClosePolicy.ABANDON });
      result.reconciliation = { workflowId };
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      result.reconciliation = { workflowId }; // already under way for the day
    }
  }
  await reporting
    .recordCentreCheck({ result: { status: result.status, differences: result.differences, differencesNotListed: result.differencesNotListed } })
    .catch(() => undefined);
  return result;
}

const SCHEDULED_START = defineSearchAttributeKey('TemporalScheduledStartTime', 'DATETIME');

/**
 * What the Schedule starts: the previous Shanghai day's centreCheck, as a child with the day's own workflow
 * ID (a Schedule appends its time to the IDs it starts). The day is taken from the scheduled time, so a
 * run caught up late still checks its own day. A check of that day already running is left to finish.
 */
export async function scheduledCentreCheck(options: CentreCheckOptions): Promise<{ date: string; workflowId: string; started: boolean }> {
  const info = wf.workflowInfo();
  const at = info.typedSearchAttributes.get(SCHEDULED_START) ?? info.startTime;
  const date = previousShanghaiDay(at.getTime());
  const workflowId = centreCheckWorkflowId(info.taskQueue, date);
  try {
    await wf.startChild(centreCheck, { workflowId, args: [{ ...options, date }], parentClosePolicy: wf.ParentClosePolicy.ABANDON });
    return { date, workflowId, started: true };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { date, workflowId, started: false };
    throw err;
  }
}
