import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { temporal as proto } from '@temporalio/proto';
import got from 'got';
import { startApi } from '../api/server';
import { loadConfig } from '../common/config';
import { dataConverter } from '../common/data-converter';
import { createLogger } from '../common/logger';
import { startSimulator } from '../simulator/server';
import { floorSignal } from './bench-floor/floor';
import { awaitOutcomeUpdate } from '../workflows/messages';
import { startTemporalCluster } from './cluster';
import { TEMPORAL_SERVER_VERSION } from './cluster-build';
import { freePort, startDevServer } from './dev-server';
import { cliArgs, intFlag, usageExit } from './cli-args';
import { cpuPerWorkflow, sampleCpu } from './bench-cpu';

/**
 * npm run bench -- [--orders 300] [--concurrency 50] [--memory | --cluster]
 * End-to-end settlements (POST → SE02 → SE03 push → SE04 confirm → PAID) against the dev server
 * (SQLite file), a push variant and a poll-only variant, plus a floor workflow with the same number
 * of activities and one signal. Prints a table and writes bench-results.json.
 */
const ROOT = path.resolve(__dirname, '..');
const USAGE = `
usage: npm run bench -- [--orders N] [--concurrency N] [--memory | --cluster]
  --orders       settlements per variant (default 300)
  --concurrency  settlements in flight (default 50)
  --memory       the dev server without its SQLite file, to show what persistence costs
  --cluster      the same workload on \`npm run cluster\`'s Temporal (four services on PostgreSQL)
`;
const flags = cliArgs(USAGE, { orders: { type: 'string' }, concurrency: { type: 'string' }, memory: { type: 'boolean' }, cluster: { type: 'boolean' } });
const [ORDERS, CONCURRENCY] = (() => {
  try {
    return [intFlag('orders', flags.orders, 300, 1, 100_000), intFlag('concurrency', flags.concurrency, 50, 1, 1_000)];
  } catch (err) {
    return usageExit(USAGE, (err as Error).message);
  }
})();

if (flags.memory && flags.cluster) usageExit(USAGE, '--memory and --cluster exclude each other');

function pct(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}
const stats = (xs: number[]) => ({ p50: round(pct(xs, 50)), p95: round(pct(xs, 95)), p99: round(pct(xs, 99)), max: round(Math.max(...xs)) });
const round = (x: number) => Math.round(x * 10) / 10;

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

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shyb-bench-'));
  // --memory: the dev server without its SQLite file, to show what persistence costs
  const memory = flags.memory === true;
  // --cluster: the same workload on `npm run cluster`'s Temporal (four service processes on PostgreSQL)
  const cluster = flags.cluster === true;
  const temporal = cluster
    ? await startTemporalCluster({ dataDir: dir, log: (l) => process.stderr.write(`[cluster] ${l}
`) })
    : await startDevServer({ port: await freePort(), headless: true, ...(memory ? {} : { dbFile: path.join(dir, 'temporal.db') }) });
  const log = createLogger('bench', 'silent');
  const sim = await startSimulator({ log, settings: { settleDelayMs: 0, pushRetryMs: 1000 } });
  const env: Record<string, string> = {
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: 'shyb-bench',
    // the prod path: the test path never pushes (V13 §3.2)
    PLATFORM_URL: `${sim.url}/gjptqzyy-prod/api/v1/route`,
    WUQI_URL: `${sim.url}/wuqi`,
    DATA_DIR: dir,
    LOG_LEVEL: 'silent',
    SETTLEMENT_TIMING: JSON.stringify({ pollScheduleMs: [100, 200, 400], pollEveryMs: 500, deadlineMs: 300_000, refundWindowMs: 600_000 }),
  };
  const config = loadConfig(env);
  const api = await startApi(config, log, { port: 0, host: '127.0.0.1' });
  sim.platform.settings.callbackBaseUrl = `${api.url}/shyb`;
  const bundle = path.join(dir, 'workflow-bundle.js');
  await run(['scripts/build-workflow-bundle.ts', bundle, 'scripts/bench-floor/workflows.ts'], { ...process.env, ...env });
  const worker: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench-floor/worker.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env, WORKFLOW_BUNDLE_PATH: bundle },
    stdio: 'ignore',
  });
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection, dataConverter: dataConverter(config) });

  const results: Record<string, unknown> = {
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    orders: ORDERS,
    concurrency: CONCURRENCY,
    temporal: cluster ? `Temporal ${TEMPORAL_SERVER_VERSION} cluster (frontend, history, matching, worker processes) on PostgreSQL` : memory ? 'dev server, in-memory SQLite' : 'dev server, SQLite file (WAL, synchronous=NORMAL)',
  };
  try {
    // warm-up: the worker's first tasks load the bundle
    await settlements('warm-up', Math.min(20, ORDERS), 'on');
    results.push = await settlements('push', ORDERS, 'on');
    results.pollOnly = await settlements('poll-only', ORDERS, 'off');
    results.floor = await floors('floor', ORDERS);
    const push = results.push as Awaited<ReturnType<typeof settlements>>;
    const fl = results.floor as Awaited<ReturnType<typeof floors>>;
    results.overheadVsFloor = {
      totalP50: round(push.totalMs.p50 / fl.totalMs.p50),
      totalP99: round(push.totalMs.p99 / fl.totalMs.p99),
      throughput: round(fl.perSecond / push.perSecond),
    };
    // ≥ 1.0: settlements are at least as fast as the floor workflow in the same run
    results.settlementVsFloorThroughput = Math.round((push.perSecond / fl.perSecond) * 100) / 100;
  } finally {
    worker.kill('SIGTERM');
    await connection.close();
    await api.close();
    await sim.close();
    await temporal.stop();
  }
  fs.writeFileSync(path.join(ROOT, 'bench-results.json'), `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${results.temporal}; ${ORDERS} orders, concurrency ${CONCURRENCY}; ${os.cpus().length} cores\n`);
  const p = results.push as any;
  const q = results.pollOnly as any;
  const f = results.floor as any;
  console.table({
    'push: settlements/s': p.perSecond,
    'push: start latency p50/p95/p99 ms': `${p.startMs.p50} / ${p.startMs.p95} / ${p.startMs.p99}`,
    'push: push→final p50/p95/p99 ms': `${p.pushToFinalMs.p50} / ${p.pushToFinalMs.p95} / ${p.pushToFinalMs.p99}`,
    'push: total p50/p95/p99 ms': `${p.totalMs.p50} / ${p.totalMs.p95} / ${p.totalMs.p99}`,
    'poll-only: settlements/s': q.perSecond,
    'poll-only: total p50/p95/p99 ms': `${q.totalMs.p50} / ${q.totalMs.p95} / ${q.totalMs.p99}`,
    'floor: workflows/s': f.perSecond,
    'floor: total p50/p95/p99 ms': `${f.totalMs.p50} / ${f.totalMs.p95} / ${f.totalMs.p99}`,
    'overhead vs floor (total p50, throughput)': `${(results.overheadVsFloor as any).totalP50}x, ${(results.overheadVsFloor as any).throughput}x`,
    'settlement/floor throughput': results.settlementVsFloorThroughput,
    'push: events / WF tasks / activity tasks / local activities': costLine(p.temporalCost),
    'floor: events / WF tasks / activity tasks / local activities': costLine(f.temporalCost),
    'push: CPU ms per settlement (Temporal / worker / API+sim+driver = total)': cpuLine(p.cpuMsPer),
    'floor: CPU ms per workflow (Temporal / worker / driver = total)': cpuLine(f.cpuMsPer),
  });
  process.stdout.write('results written to bench-results.json\n');

  async function settlements(label: string, n: number, pushMode: 'on' | 'off') {
    sim.platform.settings.pushMode = pushMode;
    const cpu0 = sampleCpu(worker.pid!);
    const t0 = Date.now();
    let done = 0;
    const starts = await pool(
      n,
      CONCURRENCY,
      async (i) => {
        const ecToken = sim.platform.issueToken('employee');
        const began = Date.now();
        const r = await got
          .post(`${api.url}/api/settlements`, {
            json: {
              ecToken,
              operator: { opter: 'BENCH', opter_name: 'bench', opter_type: '5' },
              payRequest: { psn_no: '801874939', mdtrt_id: `B${label}${i}`, chrg_bchno: 'SF01', med_type: '11', medfee_sumamt: '100.00', insutype: '310', acct_used_flag: '0', psn_setlway: '01' },
            },
          })
          .json<{ orderNo: string }>();
        const startMs = Date.now() - began;
        // each slot holds one settlement until it is decided, like the floor's slots
        const view = await client.workflow.getHandle(r.orderNo).executeUpdate(awaitOutcomeUpdate);
        return { orderNo: r.orderNo, began, startMs, view };
      },
      () => progress(label, ++done, n),
    );
    const cpuMsPer = cpuPerWorkflow(cpu0, sampleCpu(worker.pid!), n);
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
      temporalCost: await temporalCost(paid.slice(0, 20).map((s) => s.orderNo)),
      cpuMsPer,
    };
  }

  async function floors(label: string, n: number) {
    const cpu0 = sampleCpu(worker.pid!);
    const t0 = Date.now();
    let done = 0;
    const totals = await pool(
      n,
      CONCURRENCY,
      async (i) => {
        const began = Date.now();
        const h = await client.workflow.start('floor', { taskQueue: 'shyb-bench', workflowId: `floor-${t0}-${i}` });
        await h.signal(floorSignal);
        await h.result();
        return Date.now() - began;
      },
      () => progress(label, ++done, n),
    );
    const cpuMsPer = cpuPerWorkflow(cpu0, sampleCpu(worker.pid!), n);
    const ids = Array.from({ length: Math.min(20, n) }, (_, i) => `floor-${t0}-${i}`);
    return { seconds: round((Date.now() - t0) / 1000), perSecond: round(n / ((Date.now() - t0) / 1000)), totalMs: stats(totals), temporalCost: await temporalCost(ids), cpuMsPer };
  }

  /**
   * What one workflow costs Temporal, averaged over a sample: history events, workflow tasks, activity
   * tasks (round trips through the matching service) and local activities (markers, no round trip).
   * A settlement is counted up to its decision (it then waits for refunds with one timer).
   */
  async function temporalCost(workflowIds: string[]) {
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
}

function costLine(c: { eventsPer: number; workflowTasksPer: number; activityTasksPer: number; localActivitiesPer: number }): string {
  return `${c.eventsPer} / ${c.workflowTasksPer} / ${c.activityTasksPer} / ${c.localActivitiesPer}`;
}

function cpuLine(c: ReturnType<typeof cpuPerWorkflow>): string {
  return c ? `${c.temporal} / ${c.worker} / ${c.apiSimulatorDriver} = ${c.total}` : 'n/a (no /proc)';
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env, stdio: 'ignore' });
    c.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${args[0]} exited ${code}`))));
  });
}

main().catch((err) => {
  process.stderr.write(`bench: ${(err as Error).stack}\n`);
  process.exit(1);
});
