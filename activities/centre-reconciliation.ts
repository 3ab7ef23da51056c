import type { Client } from '@temporalio/client';
import { EcTokenIndex } from '../api/service/ectoken-index';
import { SettlementQueries } from '../api/service/queries';
import { centreDayOf, type CentreDay } from '../common/centre-day';
import type { Config } from '../common/config';
import { centreReconciliationRuns } from '../common/metrics';
import { shanghaiDayRange } from '../protocol/shanghai-time';

// The day close's route-neutral activities (workflows/centre-reconciliation.ts): our day (the API's export reads
// the same, common/centre-day.ts) and the run's end in the metrics. Each route's own call (national 3201/3202,
// 五期 SL01) is in its folder (routes/<route>/day-close.ts), registered by routes/activities.ts.

export interface CentreReconciliationActivities {
  /** our settlements and refunds of the Shanghai day, in the 3201/3202 and SL01 shapes */
  listCentreReconDay(a: { date: string }): Promise<CentreDay>;
  /** the run's end, per route, in this process's metrics */
  recordCentreReconciliation(a: { outcomes: { national?: string; wuqi?: string } }): Promise<void>;
}

/** Orders whose setl_time falls just inside the day may have been decided by us just outside it. */
const MARGIN_MS = 60 * 60_000;

/** The day's views read as GET /api/reconciliation reads them, then sorted into the close's shapes. */
export async function readCentreDay(queries: Pick<SettlementQueries, 'viewsActiveBetween'>, date: string): Promise<CentreDay> {
  const { from, to } = shanghaiDayRange(date);
  return centreDayOf(await queries.viewsActiveBetween(new Date(from - MARGIN_MS), new Date(to + MARGIN_MS)), date);
}

export function createCentreReconciliationActivities(deps: { config: Config; temporal: () => Promise<Client> }): CentreReconciliationActivities {
  let queries: SettlementQueries | undefined;
  const reader = async () => {
    if (queries) return queries;
    const client = await deps.temporal();
    return (queries = new SettlementQueries(client, deps.config, new EcTokenIndex(client, deps.config.TEMPORAL_TASK_QUEUE)));
  };
  return {
    async listCentreReconDay({ date }) {
      return readCentreDay(await reader(), date);
    },

    async recordCentreReconciliation({ outcomes }) {
      for (const [route, result] of Object.entries(outcomes)) if (result) centreReconciliationRuns.inc({ route, result });
    },
  };
}
