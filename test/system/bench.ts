import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../../common/config';
import { dataConverter } from '../../common/data-converter';
import { createLogger } from '../../common/logger';
import { startTemporalCluster } from '../../scripts/cluster';
import { TEMPORAL_SERVER_VERSION } from '../../scripts/cluster-build';
import { freePort } from '../../scripts/dev-server';
import { launchStack, ROOT, type TemporalSpec } from '../../scripts/launch-stack';
import { cliArgs, intFlag, usageExit } from '../../scripts/cli-args';
import { floors, round, settlements, type BenchContext } from './bench-phases';
import type { cpuPerWorkflow } from './bench-cpu';

/**
 * npm run bench -- [--orders 300] [--concurrency 50] [--memory | --cluster]
 * End-to-end settlements (POST → SE02 → SE03 push → SE04 confirm → PAID) against the dev server
 * (SQLite file), a push variant and a poll-only variant, plus a floor workflow with the same number
 * of activities and one signal. Prints a table and writes bench-results.json. The stack comes from
 * scripts/launch-stack.ts: the API and the simulator in this process, the worker (with the floor,
 * bench-floor/) in its own, so CPU per workflow can be told apart (bench-cpu.ts).
 */
const USAGE = `
usage: npm run bench -- [--orders N] [--concurrency N] [--memory | --cluster]
  --orders       settlements per variant (default 300)
  --concurrency  settlements in flight (default 50)
  --memory       the dev server without its SQLite file, to show what persistence costs
  --cluster      the same workload on \`npm run cluster\`'s Temporal (four services on PostgreSQL)
  --embedded     the API in the worker's process, as npm start runs them (its CPU counts as the worker's)
  --eager        with --embedded: EAGER_START=on (the API starts settlements eagerly on that worker)
`;
const flags = cliArgs(USAGE, {
  orders: { type: 'string' },
  concurrency: { type: 'string' },
  memory: { type: 'boolean' },
  cluster: { type: 'boolean' },
  embedded: { type: 'boolean' },
  eager: { type: 'boolean' },
});
const [ORDERS, CONCURRENCY] = (() => {
  try {
    return [intFlag('orders', flags.orders, 300, 1, 100_000), intFlag('concurrency', flags.concurrency, 50, 1, 1_000)];
  } catch (err) {
    return usageExit(USAGE, (err as Error).message);
  }
})();

if (flags.memory && flags.cluster) usageExit(USAGE, '--memory and --cluster exclude each other');
if (flags.eager && !flags.embedded) usageExit(USAGE, '--eager needs --embedded (eager start needs the worker in the API process)');

const TASK_QUEUE = 'shyb-bench';

async function temporalFor(dir: string): Promise<TemporalSpec> {
  // --cluster: the same workload on `npm run cluster`'s Temporal (four service processes on PostgreSQL)
  if (flags.cluster) {
    const c = await startTemporalCluster({ dataDir: dir, log: (l) => process.stderr.write(`[cluster] ${l}\n`) });
    return { address: c.address, stop: c.stop };
  }
  // --memory: the dev server without its SQLite file, to show what persistence costs
  return { devServer: { port: await freePort(), headless: true, ...(flags.memory ? {} : { dbFile: path.join(dir, 'temporal.db') }) } };
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shyb-bench-'));
  const log = createLogger('bench', 'silent');
  const embeddedPort = flags.embedded ? await freePort() : undefined;
  const embedded = embeddedPort
    ? { BENCH_API_PORT: String(embeddedPort), CALLBACK_BASE_URL: `http://127.0.0.1:${embeddedPort}/shyb`, EAGER_START: flags.eager ? 'on' : 'off' }
    : {};
  const stack = await launchStack({
    temporal: await temporalFor(dir),
    simulator: { inProcess: { log, settings: { settleDelayMs: 0, pushRetryMs: 1000 } }, prodPath: true },
    env: {
      TEMPORAL_TASK_QUEUE: TASK_QUEUE,
      DATA_DIR: dir,
      LOG_LEVEL: 'silent',
      SETTLEMENT_TIMING: JSON.stringify({ pollScheduleMs: [100, 200, 400], pollEveryMs: 500, deadlineMs: 300_000, refundWindowMs: 600_000 }),
      ...embedded,
    },
    // the floor is registered here only: the production bundle never has it
    bundle: { file: path.join(dir, 'workflow-bundle.js'), entry: 'test/system/bench-floor/workflows.ts' },
    workers: [{ name: 'bench-worker', script: 'test/system/bench-floor/worker.ts', restart: false }],
    apis: embeddedPort ? [] : { inProcess: { log, port: 0, host: '127.0.0.1' } },
  });
  if (embeddedPort) await waitForApi(`http://127.0.0.1:${embeddedPort}`);
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection, dataConverter: dataConverter(stack.config ?? loadConfig(stack.env)) });
  const ctx: BenchContext = {
    client,
    sim: stack.sim!,
    apiUrl: embeddedPort ? `http://127.0.0.1:${embeddedPort}` : stack.apiUrls[0]!,
    concurrency: CONCURRENCY,
    taskQueue: TASK_QUEUE,
    workerPid: () => stack.workers[0]!.pid!,
  };

  const results: Record<string, unknown> = {
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    orders: ORDERS,
    concurrency: CONCURRENCY,
    temporal: flags.cluster
      ? `Temporal ${TEMPORAL_SERVER_VERSION} cluster (frontend, history, matching, worker processes) on PostgreSQL`
      : flags.memory
        ? 'dev server, in-memory SQLite'
        : 'dev server, SQLite file (WAL, synchronous=NORMAL)',
    shape: flags.embedded ? `API in the worker's process${flags.eager ? ', EAGER_START=on' : ''}` : 'API and worker in their own processes',
  };
  try {
    // warm-up: the worker's first tasks load the bundle
    await settlements(ctx, 'warm-up', Math.min(20, ORDERS), 'on');
    const push = await settlements(ctx, 'push', ORDERS, 'on');
    results.push = push;
    results.pollOnly = await settlements(ctx, 'poll-only', ORDERS, 'off');
    const fl = await floors(ctx, 'floor', ORDERS);
    results.floor = fl;
    results.overheadVsFloor = {
      totalP50: round(push.totalMs.p50 / fl.totalMs.p50),
      totalP99: round(push.totalMs.p99 / fl.totalMs.p99),
      throughput: round(fl.perSecond / push.perSecond),
    };
    // ≥ 1.0: settlements are at least as fast as the floor workflow in the same run
    results.settlementVsFloorThroughput = Math.round((push.perSecond / fl.perSecond) * 100) / 100;
  } finally {
    await connection.close();
    await stack.stop();
  }
  fs.writeFileSync(path.join(ROOT, 'bench-results.json'), `${JSON.stringify(results, null, 2)}\n`);
  printTable(results);
  process.stdout.write('results written to bench-results.json\n');
}

/** The embedded API answers once its worker has started (it starts after the worker). */
async function waitForApi(url: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (
      await fetch(`${url}/livez`).then(
        (r) => r.status < 500,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the embedded API at ${url} did not answer within 60 s`);
}

function printTable(results: Record<string, any>) {
  process.stdout.write(`${results.temporal}; ${results.shape}; ${ORDERS} orders, concurrency ${CONCURRENCY}; ${os.cpus().length} cores\n`);
  const { push: p, pollOnly: q, floor: f } = results;
  console.table({
    'push: settlements/s': p.perSecond,
    'push: start latency p50/p95/p99 ms': `${p.startMs.p50} / ${p.startMs.p95} / ${p.startMs.p99}`,
    'push: push→final p50/p95/p99 ms': `${p.pushToFinalMs.p50} / ${p.pushToFinalMs.p95} / ${p.pushToFinalMs.p99}`,
    'push: total p50/p95/p99 ms': `${p.totalMs.p50} / ${p.totalMs.p95} / ${p.totalMs.p99}`,
    'poll-only: settlements/s': q.perSecond,
    'poll-only: total p50/p95/p99 ms': `${q.totalMs.p50} / ${q.totalMs.p95} / ${q.totalMs.p99}`,
    'floor: workflows/s': f.perSecond,
    'floor: total p50/p95/p99 ms': `${f.totalMs.p50} / ${f.totalMs.p95} / ${f.totalMs.p99}`,
    'overhead vs floor (total p50, throughput)': `${results.overheadVsFloor.totalP50}x, ${results.overheadVsFloor.throughput}x`,
    'settlement/floor throughput': results.settlementVsFloorThroughput,
    'push: events / WF tasks / activity tasks / local activities': costLine(p.temporalCost),
    'floor: events / WF tasks / activity tasks / local activities': costLine(f.temporalCost),
    'push: CPU ms per settlement (Temporal / worker / API+sim+driver = total)': cpuLine(p.cpuMsPer),
    'floor: CPU ms per workflow (Temporal / worker / driver = total)': cpuLine(f.cpuMsPer),
  });
}

function costLine(c: { eventsPer: number; workflowTasksPer: number; activityTasksPer: number; localActivitiesPer: number }): string {
  return `${c.eventsPer} / ${c.workflowTasksPer} / ${c.activityTasksPer} / ${c.localActivitiesPer}`;
}

function cpuLine(c: ReturnType<typeof cpuPerWorkflow>): string {
  return c ? `${c.temporal} / ${c.worker} / ${c.apiSimulatorDriver} = ${c.total}` : 'n/a (no /proc)';
}

main().catch((err) => {
  process.stderr.write(`bench: ${(err as Error).stack}\n`);
  process.exit(1);
});
