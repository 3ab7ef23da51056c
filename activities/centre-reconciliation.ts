import type { SettlementQueries } from '../api/service/queries';
import { centreDayOf, type CentreDay } from '../common/centre-day';
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

export function createCentreReconciliationActivities(deps: { queries: Pick<SettlementQueries, 'viewsActiveBetween'> }): CentreReconciliationActivities {
  return {
    async listCentreReconDay({ date }) {
      return readCentreDay(deps.queries, date);
    },

    async recordCentreReconciliation({ outcomes }) {
      for (const [route, result] of Object.entries(outcomes)) if (result) centreReconciliationRuns.inc({ route, result });
    },
  };
}
