import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

// One registry per process: the API's /metrics (and in `npm start`, the worker's too).
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'shyb_process_' });

export const settlementsFinal = new Counter({
  name: 'shyb_settlements_final_total',
  help: 'Settlements reaching a status: PAID, FAILED, NEEDS_REVIEW, REFUNDED, REFUND_FAILED',
  labelNames: ['status', 'route'] as const,
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
