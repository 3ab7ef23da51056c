import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import got from 'got';
import { Connection } from '@temporalio/client';
import { centreCheckScheduleId } from '../../common/centre-check';
import { CLUSTER_NAMESPACE, startCluster, type Cluster } from '../../scripts/cluster';

/**
 * `npm run test:cluster`: settlements and refunds through both APIs of a fresh `npm run cluster`
 * while it SIGKILLs a shyb worker, SIGKILLs the Temporal history service (the supervisor restarts
 * it) and restarts PostgreSQL. Every order must reach its expected final state (PAID, or REFUNDED
 * when refunded), the simulator's ledger must show exactly one SE02 per order and no order we did
 * not start. Prints a summary table; exits 1 on any violation. The stack is scripts/cluster.ts's:
 * the Temporal cluster, then simulator, workers and APIs from scripts/launch-stack.ts, every process
 * a scripts/supervise.ts Service (what restarts the killed ones).
 */
const { values: args } = parseArgs({
  options: {
    orders: { type: 'string', default: '40' },
    concurrency: { type: 'string', default: '8' },
    keep: { type: 'boolean', default: false },
  },
});
const ORDERS = Number(args.orders);
const CONCURRENCY = Number(args.concurrency);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (l: string) => process.stdout.write(`${new Date().toISOString().slice(11, 23)} ${l}\n`);

interface Order {
  i: number;
  api: number;
  orderNo?: string;
  refund: boolean;
  startedAt: number;
  finalAt?: number;
  final?: string;
  retries: number;
}

const counters = { status503: 0, status5xx: 0, networkErrors: 0 };

/** One API call, retried through outages (503, connection refused) for up to 3 minutes. */
async function call(c: Cluster, apiIndex: number, method: 'GET' | 'POST', p: string, body?: unknown, headers: Record<string, string> = {}) {
  const deadline = Date.now() + 180_000;
  let retries = 0;
  for (;;) {
    // after a failure, try the other API too: a client behind a load balancer would
    const api = c.apiUrls[(apiIndex + retries) % c.apiUrls.length]!;
    try {
      const r = await got(`${api}${p}`, {
        method,
        ...(body !== undefined ? { json: body as Record<string, unknown> } : {}),
        headers: { authorization: `Bearer ${c.apiKey}`, ...headers },
        throwHttpErrors: false,
        responseType: 'json',
        retry: { limit: 0 },
        timeout: { request: 30_000 },
      });
      if (r.statusCode < 500) return { status: r.statusCode, body: r.body as any, retries };
      if (r.statusCode === 503) counters.status503++;
      else counters.status5xx++;
    } catch {
      counters.networkErrors++;
    }
    if (Date.now() > deadline) throw new Error(`${method} ${p} kept failing for 3 minutes`);
    retries++;
    await sleep(500);
  }
}

async function untilFinal(c: Cluster, o: Order, want: (s: string) => boolean, timeoutMs = 240_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await call(c, o.api, 'GET', `/api/settlements/${o.orderNo}`);
    if (r.status === 200 && want(r.body.status)) return r.body;
    if (r.status === 200 && ['FAILED', 'NEEDS_REVIEW', 'REFUND_FAILED'].includes(r.body.status)) return r.body;
    if (Date.now() > deadline) return r.body;
    await sleep(500);
  }
}

async function runOrder(c: Cluster, o: Order): Promise<void> {
  const ecToken = (await got.post(`${c.simulatorUrl}/__sim/tokens`, { json: { personId: 'employee' } }).json<{ ecToken: string }>()).ecToken;
  const payRequest = {
    psn_no: '801874939',
    mdtrt_id: `T${o.i}-${Date.now()}`,
    chrg_bchno: 'SF01',
    med_type: '11',
    medfee_sumamt: `${10 + o.i}.${String(o.i % 100).padStart(2, '0')}`,
    insutype: '310',
    acct_used_flag: '0',
    psn_setlway: '01',
  };
  // the same Idempotency-Key on every retry: a retried POST never starts a second settlement
  const start = await call(
    c,
    o.api,
    'POST',
    '/api/settlements',
    { ecToken, operator: { opter: 'T01', opter_name: 'torture', opter_type: '5' }, payRequest },
    { 'idempotency-key': randomUUID() },
  );
  o.retries += start.retries;
  if (start.status !== 202) throw new Error(`order ${o.i}: start answered ${start.status} ${JSON.stringify(start.body)}`);
  o.orderNo = start.body.orderNo;
  let v = await untilFinal(c, o, (s) => s === 'PAID');
  if (v.status === 'PAID' && o.refund) {
    const r = await call(c, o.api + 1, 'POST', `/api/settlements/${o.orderNo}/refund`, { operator: { opter: 'T01', opter_name: 'torture', opter_type: '5' } });
    o.retries += r.retries;
    // 409 after a retry: the first attempt got through
    if (r.status >= 300 && r.status !== 409) throw new Error(`order ${o.i}: refund answered ${r.status} ${JSON.stringify(r.body)}`);
    v = await untilFinal(c, o, (s) => s === 'REFUNDED');
  }
  o.final = v.status;
  o.finalAt = Date.now();
}

interface Fault {
  name: string;
  at: number;
  inFlight: number;
  recoveredAt?: number;
  detail: string;
}

async function waitHealthy(c: Cluster, f: Fault) {
  // recovered = both APIs ready (Temporal answers) and both workers polling again
  for (;;) {
    const ok = await Promise.all(
      [...c.apiUrls, ...c.workerMetricsUrls].map((u) =>
        fetch(`${u}/readyz`, { signal: AbortSignal.timeout(2_000) }).then(
          (r) => r.ok,
          () => false,
        ),
      ),
    );
    if (ok.every(Boolean)) break;
    await sleep(250);
  }
  f.recoveredAt = Date.now();
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shyb-cluster-torture-'));
  const t0 = Date.now();
  log(`starting a fresh cluster under ${dataDir}`);
  const c = await startCluster({
    dataDir,
    logLevel: 'warn',
    ui: false,
    log: (l) => log(`[cluster] ${l}`),
    settlementTiming: JSON.stringify({ pollScheduleMs: [1000, 2000], pollEveryMs: 2000, deadlineMs: 600_000, refundWindowMs: 3_600_000 }),
  });
  const startupS = (Date.now() - t0) / 1000;
  log(
    `cluster up in ${startupS.toFixed(0)} s; at least ${ORDERS} orders, ${CONCURRENCY} at a time, through ${c.apiUrls.length} APIs, a third of them refunded`,
  );
  // the simulator starts with sample settlements of its own: only what appears after this counts
  const before = new Set(Object.keys(((await got.get(`${c.simulatorUrl}/__sim/ledger`).json()) as { se02ByOrderNo: Record<string, number> }).se02ByOrderNo));
  // at least ORDERS orders, and new ones keep coming until the last fault is over: every fault
  // hits orders in flight
  const orders: Order[] = [];
  let chaosDone = false;
  const inFlight = () => orders.filter((o) => o.startedAt && !o.finalAt).length;
  const faults: Fault[] = [];
  const errors: string[] = [];
  const w0 = Date.now();
  const workers = Array.from({ length: CONCURRENCY }, async () => {
    while (!chaosDone || orders.length < ORDERS) {
      const i = orders.length;
      const o: Order = { i, api: i % 2, refund: i % 3 === 0, startedAt: Date.now(), retries: 0 };
      orders.push(o);
      await runOrder(c, o).catch((err) => errors.push((err as Error).message));
      await sleep(200); // spread the orders over the faults
    }
  });

  const svc = (n: string) => c.services.get(n)!;
  const chaos = (async () => {
    await sleep(4_000);
    let f: Fault = { name: 'SIGKILL shyb-worker-0', at: Date.now(), inFlight: inFlight(), detail: `pid ${svc('shyb-worker-0').pid}` };
    faults.push(f);
    log(`FAULT ${f.name} (${f.detail})`);
    svc('shyb-worker-0').kill('SIGKILL');
    await sleep(1_500);
    await waitHealthy(c, f);
    await sleep(4_000);
    f = { name: 'SIGKILL history, supervisor restarts it', at: Date.now(), inFlight: inFlight(), detail: `pid ${svc('history').pid}` };
    faults.push(f);
    log(`FAULT ${f.name} (${f.detail})`);
    svc('history').kill('SIGKILL');
    await sleep(1_500);
    await waitHealthy(c, f);
    await sleep(4_000);
    f = { name: 'restart PostgreSQL (fast shutdown)', at: Date.now(), inFlight: inFlight(), detail: `pid ${svc('postgres').pid}` };
    faults.push(f);
    log(`FAULT ${f.name} (${f.detail})`);
    await svc('postgres').restart(30_000);
    await waitHealthy(c, f);
    await sleep(3_000);
    chaosDone = true;
  })();

  await Promise.all([...workers, chaos]);
  const workloadS = (Date.now() - w0) / 1000;

  // the ledger: exactly one SE02 per order, and no settlement we did not start
  const ledger = (await got.get(`${c.simulatorUrl}/__sim/ledger`).json()) as {
    se02ByOrderNo: Record<string, number>;
    settlements: Array<{ orderNo: string; status: string }>;
  };
  const ours = new Set(orders.map((o) => o.orderNo).filter(Boolean) as string[]);
  const violations: string[] = [...errors];
  for (const o of orders) {
    const want = o.refund ? 'REFUNDED' : 'PAID';
    if (!o.orderNo) continue; // reported in errors
    if (o.final !== want) violations.push(`order ${o.i} (${o.orderNo}) ended ${o.final}, expected ${want}`);
    const n = ledger.se02ByOrderNo[o.orderNo] ?? 0;
    if (n !== 1) violations.push(`order ${o.i} (${o.orderNo}): SE02 sent ${n} times`);
  }
  for (const orderNo of Object.keys(ledger.se02ByOrderNo))
    if (!ours.has(orderNo) && !before.has(orderNo)) violations.push(`the platform has a settlement we never started: ${orderNo}`);
  // the daily centre check (issue 18) is a Schedule on the cluster too: every worker creates or updates it
  // (read raw: the Schedule's action carries payloads the codec encrypted, which this client has no key for)
  const connection = await Connection.connect({ address: c.address });
  try {
    const scheduleId = centreCheckScheduleId('shyb-pay');
    const d = await connection.workflowService.describeSchedule({ namespace: CLUSTER_NAMESPACE, scheduleId }).catch((err: Error) => err);
    if (d instanceof Error) violations.push(`no ${scheduleId} Schedule on the cluster: ${d.message}`);
    else log(`Schedule ${scheduleId}: starts ${d.schedule?.action?.startWorkflow?.workflowType?.name}, paused ${d.schedule?.state?.paused ?? false}`);
  } finally {
    await connection.close();
  }
  // both APIs tell the same story
  for (const o of orders.filter((x) => x.orderNo)) {
    for (const i of [0, 1]) {
      const r = await call(c, i, 'GET', `/api/settlements/${o.orderNo}`);
      if (r.body.status !== o.final) violations.push(`order ${o.orderNo}: API ${i} says ${r.body.status}, the run saw ${o.final}`);
    }
  }

  const took = orders
    .filter((o) => o.finalAt)
    .map((o) => o.finalAt! - o.startedAt)
    .sort((a, b) => a - b);
  const pct = (p: number) => (took.length ? Math.round(took[Math.min(took.length - 1, Math.ceil((p / 100) * took.length) - 1)]! / 100) / 10 : NaN);
  const restarts = Object.fromEntries([...c.services].filter(([, s]) => s.restarts > 0).map(([n, s]) => [n, s.restarts]));
  process.stdout.write('\nFaults\n');
  console.table(
    faults.map((f) => ({
      fault: f.name,
      'at (s into workload)': ((f.at - w0) / 1000).toFixed(1),
      'orders in flight': f.inFlight,
      'back to ready (s)': f.recoveredAt ? ((f.recoveredAt - f.at) / 1000).toFixed(1) : 'never',
    })),
  );
  process.stdout.write('Summary\n');
  console.table({
    'orders started': ours.size,
    'PAID (not refunded)': orders.filter((o) => !o.refund && o.final === 'PAID').length,
    REFUNDED: orders.filter((o) => o.refund && o.final === 'REFUNDED').length,
    'wrong or no final state': orders.filter((o) => o.final !== (o.refund ? 'REFUNDED' : 'PAID')).length,
    'SE02 exactly once': orders.filter((o) => o.orderNo && ledger.se02ByOrderNo[o.orderNo] === 1).length,
    'client retries (503 / other 5xx / network)': `${counters.status503} / ${counters.status5xx} / ${counters.networkErrors}`,
    'order time p50 / p95 / max (s)': `${pct(50)} / ${pct(95)} / ${pct(100)}`,
    'process restarts': JSON.stringify(restarts),
    'cluster start (s)': startupS.toFixed(0),
    'workload (s)': workloadS.toFixed(0),
    violations: violations.length,
  });
  for (const v of violations.slice(0, 30)) process.stdout.write(`VIOLATION: ${v}\n`);
  await c.stop();
  if (!args.keep) fs.rmSync(dataDir, { recursive: true, force: true });
  else log(`kept ${dataDir}`);
  process.stdout.write(
    violations.length
      ? `cluster torture FAILED: ${violations.length} violations\n`
      : 'cluster torture passed: every order final and right, SE02 exactly once, nothing lost\n',
  );
  process.exit(violations.length ? 1 : 0);
}

main().catch((err) => {
  process.stderr.write(`test:cluster: ${(err as Error).stack}\n`);
  process.exit(1);
});
