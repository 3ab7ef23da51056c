import { proxyActivities } from '@temporalio/workflow';
import type { CentreReconciliationActivities } from '../activities/centre-reconciliation';
import type { ReconNationalActivities } from '../activities/recon-national';
import { assembleResult, routeOutcomes, wuqiResultOf, type CentreReconciliationResult, type NationalGroupResult } from '../protocol/centre-reconciliation';
import { sl01Totals } from '../protocol/recon-wuqi';

// The hospital's day close in `send` mode (issue 18, 4; CENTRE_RECONCILIATION=send): one workflow per Shanghai
// day (ID centre-reconciliation-<task queue>-<date>), started by the daily centre check or by
// POST /api/reconciliations/centre. National: 3201 per (insutype, clr_type, setl_optins), and 3202 via 9101/9102
// when a group is not 平. 五期: SL01 with the V1.0.6 totals. The result names the
// order behind each national difference and lists the centre's rows outside shyb-pay.
// 3201/3202 are activities/recon-national.ts's (reconcileNationalDay).

/** A centre that does not answer keeps the run going (the console shows the day unfinished) until it does. */
const retry = { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' } as const;

const local = proxyActivities<CentreReconciliationActivities>({ startToCloseTimeout: '5 minutes', retry });
// 3202's file goes up (9101), is compared, and comes down (9102): minutes, not seconds
// our own input failing its schema (InvalidRequestError): nothing was sent, and a retry would not change that
const national = proxyActivities<Pick<ReconNationalActivities, 'reconcileNationalDay'>>({
  startToCloseTimeout: '15 minutes',
  retry: { ...retry, nonRetryableErrorTypes: ['InvalidRequestError'] },
});

export async function centreReconciliation(input: { date: string }): Promise<CentreReconciliationResult> {
  const { date } = input;
  const startedAt = new Date().toISOString();
  try {
    const day = await local.listCentreReconDay({ date });
    // 3201 per group, then 3202 once per (setl_optins, clr_type) scope with a group that is not 平; no orders, no calls
    const groups: NationalGroupResult[] = day.national.length > 0 ? await national.reconcileNationalDay({ date, orders: day.national }) : [];
    const totals = sl01Totals(date, day.wuqi);
    const sl01 = day.wuqi.length > 0 ? await local.sendSl01({ totals }) : undefined;
    const wuqi =
      sl01?.kind === 'refused'
        ? { ...wuqiResultOf(totals, { msgid: sl01.msgid, resultcollate: null }), meaning: `SL01 refused: ${sl01.code} ${sl01.message}`.trim() }
        : wuqiResultOf(totals, sl01);
    const result = assembleResult({ date, national: groups, wuqi, incomplete: day.incomplete, startedAt, finishedAt: new Date().toISOString() });
    await local.recordCentreReconciliation({ outcomes: routeOutcomes(result) });
    return result;
  } catch (err) {
    await local.recordCentreReconciliation({ outcomes: { national: 'failed', wuqi: 'failed' } });
    throw err;
  }
}
