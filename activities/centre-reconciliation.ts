import { ApplicationFailure } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import { EcTokenIndex } from '../api/service/ectoken-index';
import { SettlementQueries } from '../api/service/queries';
import { centreDayOf, type CentreDay } from '../common/centre-day';
import type { Config } from '../common/config';
import { maskPersonal } from '../common/logger';
import { centreReconciliationRuns } from '../common/metrics';
import type { PlatformClient } from '../platform/client';
import { sl01InputOf, sl01Output, type Sl01Totals } from '../protocol/recon-wuqi';
import { shanghaiDayRange } from '../protocol/shanghai-time';
import { wuqiOperator } from './wuqi-activities';

// The day close's own activities (workflows/centre-reconciliation.ts): our day (the API's export reads the same,
// common/centre-day.ts), 五期 SL01 (§4.6.1, V1.0.6 A.4), and the run's end in the metrics. 3201/3202 per
// national group are activities/recon-national.ts's.

export type Sl01Answer = { kind: 'answered'; msgid: string; resultcollate: unknown } | { kind: 'refused'; msgid: string; code: string; message: string };

export interface CentreReconciliationActivities {
  /** our settlements and refunds of the Shanghai day, in the 3201/3202 and SL01 shapes */
  listCentreReconDay(a: { date: string }): Promise<CentreDay>;
  /** SL01 with the day's totals; no answer throws (retried), a refusal is an answer */
  sendSl01(a: { totals: Sl01Totals }): Promise<Sl01Answer>;
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

export function createCentreReconciliationActivities(deps: {
  config: Config;
  platform: PlatformClient;
  temporal: () => Promise<Client>;
}): CentreReconciliationActivities {
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

    async sendSl01({ totals }) {
      const xxnr = sl01InputOf(totals);
      const r = await deps.platform.wuqi({ xxlxm: 'SL01', xxnr, operator: wuqiOperator(deps.platform.signIn.operator), outputSchema: sl01Output });
      // SL01 changes the centre's state for the day: a resend after no answer may get "3 对帐已通过" (shown as such)
      if (r.kind === 'unknown')
        throw ApplicationFailure.retryable(`the centre gave no answer to SL01 (msgid ${r.msgid}): ${maskPersonal(r.reason)}`, 'CentreUnavailable');
      if (r.kind === 'business') return { kind: 'refused', msgid: r.msgid, code: r.code, message: maskPersonal(r.message) };
      return { kind: 'answered', msgid: r.msgid, resultcollate: r.output.resultcollate ?? null };
    },

    async recordCentreReconciliation({ outcomes }) {
      for (const [route, result] of Object.entries(outcomes)) if (result) centreReconciliationRuns.inc({ route, result });
    },
  };
}
