import { pushToFinal, settlementsFinal } from '../common/metrics';

/** Local activities: the workflow tells the worker's metrics what happened. */
export const reportActivities = {
  async reportOutcome(a: { status: string; route: string; pushReceivedAt?: number; finalAt: number }): Promise<void> {
    settlementsFinal.inc({ status: a.status, route: a.route });
    if (a.pushReceivedAt !== undefined) pushToFinal.observe(Math.max(0, a.finalAt - a.pushReceivedAt) / 1000);
  },
};
export type ReportActivities = typeof reportActivities;
