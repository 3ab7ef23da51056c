import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import pkg from '../package.json';

// One registry per process: the API's /metrics (and in `npm start`, the worker's too).
// Default metrics keep their standard names (process_cpu_seconds_total, nodejs_heap_size_used_bytes…)
// so stock Node.js dashboards work unchanged.
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

/** Which build is running: 1, with its version labels (the Prometheus build_info convention). */
export const buildInfo = new Gauge({
  name: 'shyb_build_info',
  help: 'shyb-pay build: version, git commit (BUILD_COMMIT), Node.js and Temporal SDK versions',
  labelNames: ['version', 'commit', 'nodejs_version', 'temporal_sdk'] as const,
  registers: [registry],
});
buildInfo.set({ version: pkg.version, commit: process.env.BUILD_COMMIT ?? 'unknown', nodejs_version: process.version, temporal_sdk: sdkVersion() }, 1);

function sdkVersion(): string {
  return pkg.dependencies['@temporalio/client'];
}

/** HTTP requests by route template (never the raw path: orderNos would explode the label set). */
export const httpRequestDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP requests served by the API, by method, route template and status code',
  labelNames: ['method', 'route', 'status_code'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});

export const settlementsFinal = new Counter({
  name: 'shyb_settlements_final_total',
  help: 'Settlements reaching a status: PAID, FAILED, NEEDS_REVIEW, REFUNDED, REFUND_FAILED',
  labelNames: ['status', 'route'] as const,
  registers: [registry],
});

export const settlementStarts = new Counter({
  name: 'shyb_settlement_starts_total',
  help: "Settlement workflows the API started, by eager: true when Temporal handed the first task straight to this process's worker (EAGER_START)",
  labelNames: ['eager'] as const,
  registers: [registry],
});

export const pushesTotal = new Counter({
  name: 'shyb_pushes_total',
  help: 'Platform pushes by kind and outcome: received (signalled), duplicate, rejected (bad body), orphan (inbox), unrecorded (Temporal unavailable)',
  labelNames: ['kind', 'outcome'] as const,
  registers: [registry],
});

export const pollsTotal = new Counter({
  name: 'shyb_polls_total',
  help: 'SE04/SE06 queries by outcome',
  labelNames: ['infno', 'outcome'] as const,
  registers: [registry],
});

export const se02Latency = new Histogram({
  name: 'shyb_se02_latency_seconds',
  help: 'SE02 submit round trip',
  labelNames: ['route', 'outcome'] as const,
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});

export const pushToFinal = new Histogram({
  name: 'shyb_push_to_final_seconds',
  help: 'From receiving the deciding push to the final status',
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

/** Webhook attempts to the HIS (activities/webhook-activities.ts), counted by the worker that sends them. */
export const webhookDeliveries = new Counter({
  name: 'shyb_webhook_deliveries_total',
  help: 'Webhook delivery attempts by event type and outcome: delivered (2xx), refused (non-2xx), unreachable (timeout, connection), unconfigured',
  labelNames: ['type', 'outcome'] as const,
  registers: [registry],
});

// Gauges read when Prometheus scrapes, from a source the process registers (the API counts the review
// queue in Temporal visibility; every process reports its platform clients' 9001 sign-ins).
let reviewBacklogSource: (() => Promise<number>) | undefined;
let signInSource: (() => Array<{ opterNo: string; state: string }>) | undefined;

export const reviewBacklog = new Gauge({
  name: 'shyb_review_backlog',
  help: 'Settlements in NEEDS_REVIEW now (Temporal visibility count, read at scrape by the API)',
  registers: [registry],
  async collect() {
    // a failed count leaves the last value: a scrape must not fail because Temporal is slow
    if (reviewBacklogSource)
      await reviewBacklogSource().then(
        (n) => this.set(n),
        () => undefined,
      );
  },
});

/** The API registers how to count the review queue (its client and task queue). */
export function countReviewBacklogWith(source: () => Promise<number>): void {
  reviewBacklogSource = source;
}

export const signInState = new Gauge({
  name: 'shyb_sign_in_state',
  help: "9001 sign-in of this process's platform clients: 1 for the current state (SIGNED_IN, REFUSED, NOT_SIGNED_IN, SIGNED_OUT) by opter_no",
  labelNames: ['opter_no', 'state'] as const,
  registers: [registry],
  collect() {
    if (!signInSource) return;
    this.reset();
    for (const s of signInSource()) this.set({ opter_no: s.opterNo, state: s.state }, 1);
  },
});

/** platform/sign-in.ts registers its clients' states. */
export function reportSignInWith(source: () => Array<{ opterNo: string; state: string }>): void {
  signInSource = source;
}

/** The daily centre check (workflows/centre-check.ts), counted by the worker that ran the day's last step. */
export const centreCheckRuns = new Counter({
  name: 'shyb_centre_check_runs_total',
  help: 'Daily centre checks ended, by result: clean (the centre agrees on every order), differences, failed (some orders could not be asked after the retries)',
  labelNames: ['result'] as const,
  registers: [registry],
});

let centreCheckSource: (() => Promise<number | undefined>) | undefined;

export const centreCheckDifferences = new Gauge({
  name: 'shyb_centre_check_differences',
  help: "Orders whose record differs from the centre's in the last centre check: read at scrape by the API (the previous Shanghai day's check), set by the worker that ended a run",
  registers: [registry],
  async collect() {
    // as the review backlog: a failed read (or no check of that day yet) leaves the last value
    if (centreCheckSource)
      await centreCheckSource().then(
        (n) => n !== undefined && this.set(n),
        () => undefined,
      );
  },
});

/** The API registers how to read the last check's differences (its client and task queue). */
export function readCentreCheckWith(source: () => Promise<number | undefined>): void {
  centreCheckSource = source;
}

/** The hospital's day close in send mode (workflows/centre-reconciliation.ts): 3201 (national) and SL01 (五期) runs. */
export const centreReconciliationRuns = new Counter({
  name: 'shyb_centre_reconciliation_runs_total',
  help: 'Day closes sent to the centre, by route (national 3201/3202, wuqi SL01) and result: balanced, differences (an unknown result code included), failed (the run did not finish)',
  labelNames: ['route', 'result'] as const,
  registers: [registry],
});
