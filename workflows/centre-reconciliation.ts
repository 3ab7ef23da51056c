import { proxyActivities } from '@temporalio/workflow';
import type { CentreReconciliationActivities } from '../activities/centre-reconciliation';
import { assembleResult, DAY_CLOSE_RETRY, FAILED_OUTCOMES, routeOutcomes, type CentreReconciliationResult } from '../protocol/centre-reconciliation';
import { allRoutes } from '../routes';
import type { DayCloseParts } from '../routes/route-adapter';

// The hospital's day close in `send` mode (issue 18, 4; CENTRE_RECONCILIATION=send): one workflow per Shanghai
// day (ID centre-reconciliation-<task queue>-<date>), started by the daily centre check or by
// POST /api/reconciliations/centre. Our day is read once; then each route, in registration order and one after
// the other, sends its own day close (routes/<route>/day-close-rules.ts says which activity, with what, and reads
// its answer) when it had settlements or refunds that day. The result names the order behind each difference
// and lists the centre's rows outside shyb-pay.

const local = proxyActivities<CentreReconciliationActivities>({ startToCloseTimeout: '5 minutes', retry: DAY_CLOSE_RETRY });

type DayCloseCall = (input: unknown) => Promise<unknown>;

export async function centreReconciliation(input: { date: string }): Promise<CentreReconciliationResult> {
  const { date } = input;
  const startedAt = new Date().toISOString();
  try {
    const day = await local.listCentreReconDay({ date });
    const parts: Partial<DayCloseParts> = {};
    for (const { dayClose } of allRoutes()) {
      const call = dayClose.inputOf(day);
      const answer = call === undefined ? undefined : await proxyActivities<Record<string, DayCloseCall>>(dayClose.options)[dayClose.activity]!(call);
      Object.assign(parts, dayClose.partOf(day, answer));
    }
    const result = assembleResult({ date, ...(parts as DayCloseParts), incomplete: day.incomplete, startedAt, finishedAt: new Date().toISOString() });
    await local.recordCentreReconciliation({ outcomes: routeOutcomes(result) });
    return result;
  } catch (err) {
    await local.recordCentreReconciliation({ outcomes: FAILED_OUTCOMES });
    throw err;
  }
}
