import type { InjectedSinks } from '@temporalio/worker';
import type { Sinks } from '@temporalio/workflow';
import { pushToFinal, settlementsFinal } from '../common/metrics';

/** What a workflow tells the worker's metrics when an order reaches a state. */
export interface Outcome {
  status: string;
  route: string;
  pushReceivedAt?: number;
  finalAt: number;
}

function count(a: Outcome): void {
  settlementsFinal.inc({ status: a.status, route: a.route });
  if (a.pushReceivedAt !== undefined) pushToFinal.observe(Math.max(0, a.finalAt - a.pushReceivedAt) / 1000);
}

/**
 * The outcome goes out through a sink: no local activity, so no marker in history and no extra
 * activation per report. A sink is not called while a history is replayed, so a worker that takes
 * over an order does not count its outcome again.
 */
export interface OutcomeSinks extends Sinks {
  outcome: { report(a: Outcome): void };
}

export const outcomeSinks: InjectedSinks<OutcomeSinks> = {
  outcome: { report: { fn: (_info, a) => count(a), callDuringReplay: false } },
};

/**
 * The local activity the report used to be. Histories recorded before the sink (patch
 * `outcome-sink` in workflows/settlement-steps.ts) replay it from their markers; it stays registered.
 */
export const reportActivities = {
  async reportOutcome(a: Outcome): Promise<void> {
    count(a);
  },
};
export type ReportActivities = typeof reportActivities;
