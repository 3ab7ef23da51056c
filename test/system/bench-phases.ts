import type { Client } from '@temporalio/client';
import { temporal as proto } from '@temporalio/proto';
import got from 'got';
import type { Simulator } from '../../simulator/server';
import { awaitOutcomeUpdate } from '../../workflows/messages';
import { floorSignal } from './bench-floor/floor';
import { cpuPerWorkflow, sampleCpu } from './bench-cpu';

// The bench's phases: settlements through the API (push or poll-only) and the floor workflow, each
// with its latency percentiles, what a workflow costs Temporal and CPU per workflow.

export interface BenchContext {
  client: Client;
  sim: Simulator;
  apiUrl: string;
  concurrency: number;
  taskQueue: string;
  /** The bench worker's pid now (read per phase). */
  workerPid: () => number;
}

export const round = (x: number) => Math.round(x * 10) / 10;

function pct(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}
const stats = (xs: number[]) => ({ p50: round(pct(xs, 50)), p95: round(pct(xs, 95)), p99: round(pct(xs, 99)), max: round(Math.max(...xs)) });

function progress(label: string, done: number, total: number) {
  const width = 30;
  if (done !== total && done % Math.max(1, Math.floor(total / 20)) !== 0) return;
  const filled = Math.round((done / total) * width);
  process.stderr.write(`\r${label.padEnd(10)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
  if (done === total) process.stderr.write('\n');
}

async function pool<T>(n: number, concurrency: number, fn: (i: number) => Promise<T>, onDone: () => void): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await fn(i);
        onDone();
      }
    }),
  );
  return out;
}

export async function settlements(ctx: BenchContext, label: string, n: number, pushMode: 'on' | 'off') {
  ctx.sim.platform.settings.pushMode = pushMode;
  const cpu0 = sampleCpu(ctx.workerPid());
  const t0 = Date.now();
  let done = 0;
  const starts = await pool(
    n,
    ctx.concurrency,
    async (i) => {
      const ecToken = ctx.sim.platform.issueToken('employee');
      const began = Date.now();
      const r = await got
        .post(`${ctx.apiUrl}/api/settlements`, {
          json: {
            ecToken,
            operator: { opter: 'BENCH', opter_name: 'bench', opter_type: '5' },
            payRequest: {
              psn_no: '801874939',
              mdtrt_id: `B${label}${i}`,
              chrg_bchno: 'SF01',
              med_type: '11',
              medfee_sumamt: '100.00',
              insutype: '310',
              acct_used_flag: '0',
              psn_setlway: '01',
            },
          },
        })
        .json<{ orderNo: string }>();
      const startMs = Date.now() - began;
      // each slot holds one settlement until it is decided, like the floor's slots
      const view = await ctx.client.workflow.getHandle(r.orderNo).executeUpdate(awaitOutcomeUpdate);
      return { orderNo: r.orderNo, began, startMs, view };
    },
    () => progress(label, ++done, n),
  );
  const cpuMsPer = cpuPerWorkflow(cpu0, sampleCpu(ctx.workerPid()), n);
  const paid = starts.filter((s) => s.view.status === 'PAID');
  const finals = paid.map((s) => Date.parse(s.view.settledAt!));
  const total = paid.map((s) => Date.parse(s.view.settledAt!) - s.began);
  const pushToFinal = paid.filter((s) => s.view.decidingPushReceivedAt).map((s) => Date.parse(s.view.settledAt!) - s.view.decidingPushReceivedAt!);
  return {
    paid: paid.length,
    notPaid: n - paid.length,
    seconds: round((Math.max(...finals) - t0) / 1000),
    perSecond: round(paid.length / ((Math.max(...finals) - t0) / 1000)),
    startMs: stats(starts.map((s) => s.startMs)),
    pushToFinalMs: pushToFinal.length ? stats(pushToFinal) : null,
    totalMs: stats(total),
    temporalCost: await temporalCost(
      ctx.client,
      paid.slice(0, 20).map((s) => s.orderNo),
    ),
    cpuMsPer,
  };
}

export async function floors(ctx: BenchContext, label: string, n: number) {
  const cpu0 = sampleCpu(ctx.workerPid());
  const t0 = Date.now();
  let done = 0;
  const totals = await pool(
    n,
    ctx.concurrency,
    async (i) => {
      const began = Date.now();
      const h = await ctx.client.workflow.start('floor', { taskQueue: ctx.taskQueue, workflowId: `floor-${t0}-${i}` });
      await h.signal(floorSignal);
      await h.result();
      return Date.now() - began;
    },
    () => progress(label, ++done, n),
  );
  const cpuMsPer = cpuPerWorkflow(cpu0, sampleCpu(ctx.workerPid()), n);
  const ids = Array.from({ length: Math.min(20, n) }, (_, i) => `floor-${t0}-${i}`);
  return {
    seconds: round((Date.now() - t0) / 1000),
    perSecond: round(n / ((Date.now() - t0) / 1000)),
    totalMs: stats(totals),
    temporalCost: await temporalCost(ctx.client, ids),
    cpuMsPer,
  };
}

/**
 * What one workflow costs Temporal, averaged over a sample: history events, workflow tasks, activity
 * tasks (round trips through the matching service) and local activities (markers, no round trip).
 * A settlement is counted up to its decision (it then waits for refunds with one timer).
 */
async function temporalCost(client: Client, workflowIds: string[]) {
  const E = proto.api.enums.v1.EventType;
  const sum = { events: 0, workflowTasks: 0, activityTasks: 0, localActivities: 0, searchAttributeUpserts: 0 };
  for (const id of workflowIds) {
    const h = await client.workflow.getHandle(id).fetchHistory();
    for (const e of h.events ?? []) {
      sum.events += 1;
      if (e.eventType === E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) sum.workflowTasks += 1;
      if (e.eventType === E.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) sum.activityTasks += 1;
      // a patch also records a marker (core_patch); only core_local_activity markers are local activities
      if (e.eventType === E.EVENT_TYPE_MARKER_RECORDED && e.markerRecordedEventAttributes?.markerName === 'core_local_activity') sum.localActivities += 1;
      if (e.eventType === E.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES) sum.searchAttributeUpserts += 1;
    }
  }
  const per = (x: number) => round(x / Math.max(1, workflowIds.length));
  return {
    sampled: workflowIds.length,
    eventsPer: per(sum.events),
    workflowTasksPer: per(sum.workflowTasks),
    activityTasksPer: per(sum.activityTasks),
    localActivitiesPer: per(sum.localActivities),
    searchAttributeUpsertsPer: per(sum.searchAttributeUpserts),
  };
}
