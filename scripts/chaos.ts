import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import got from 'got';
import { loadConfig } from '../common/config';
import { dataConverter } from '../common/data-converter';
import { createLogger } from '../common/logger';
import { toFen } from '../protocol/money';
import { startSimulator } from '../simulator/server';
import { canMove, type SettlementStatus } from '../workflows/status';
import { refundStatusQuery, refundWorkflowId } from '../workflows/messages';
import { sampleWuqiBill } from '../simulator/wuqi-samples';
import { formatDate } from '../protocol/shanghai-time';
import { inboxWorkflowId, type InboxPush } from '../workflows/push-inbox';
import { freePort, startDevServer, type DevServer } from './dev-server';
import { spawnTied } from './supervise';
import { cliArgs, intFlag, usageExit } from './cli-args';

/**
 * The chaos suite: settlements and refunds through the whole stack (dev server, worker process,
 * API process, simulator) while the simulator injects faults, the worker is SIGKILLed every few
 * seconds, the dev server restarts once, and the API dies between recording a push and acking it.
 * Every order is then checked against the simulator's ledger. Exit code 1 on any violation.
 *
 *   npm run chaos                    # 60 orders
 *   npm run chaos -- --orders 20 --short
 */

const ROOT = path.resolve(__dirname, '..');
// node with tsx's loader, not the tsx wrapper: a SIGKILL must hit the real process, not a parent.
const NODE_TS = [process.execPath, ['--import', 'tsx']] as const;
const FINAL = new Set<SettlementStatus>(['PAID', 'FAILED', 'NEEDS_REVIEW', 'REFUNDED', 'REFUND_FAILED']);

export interface ChaosOptions {
  orders: number;
  short: boolean;
  log?: (line: string) => void;
}

export interface ChaosResult {
  ok: boolean;
  violations: string[];
  summary: Record<string, number | string>;
}

const PERSONS = [
  { id: 'employee', psnNo: '801874939', weight: 5 },
  { id: 'resident', psnNo: '801874942', weight: 2 },
  { id: 'no-cash', psnNo: '801874943', weight: 2 },
  { id: 'pay-fails', psnNo: '801874944', weight: 1 },
  // 五期 persons (互助帮困 SI12, 干保 SH02, 民政帮困兼居民保险 SI12: outpatient bills only, V13 §1.1)
  { id: 'mutual-aid', psnNo: '801874940', weight: 1, wuqi: 'SI12' },
  { id: 'cadre', psnNo: '801874941', weight: 1, wuqi: 'SH02' },
  { id: 'civil-aid-resident', psnNo: '801874946', weight: 1, wuqi: 'SI12' },
] as const;

function pickPerson(i: number) {
  const bag = PERSONS.flatMap((p) => Array.from({ length: p.weight }, () => p));
  return bag[i % bag.length]!;
}

class Supervised {
  child?: ChildProcess;
  restarts = 0;
  kills = 0;
  private stopped = false;

  constructor(
    private readonly name: string,
    private readonly script: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly log: (l: string) => void,
  ) {}

  start() {
    // tied to us: a chaos run that crashes or is killed leaves no worker or API behind
    const child = spawnTied(NODE_TS[0], [...NODE_TS[1], this.script], { cwd: ROOT, env: this.env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d) => (err = (err + d).slice(-2000)));
    child.once('exit', (code, signal) => {
      if (this.stopped) return;
      if (signal !== 'SIGKILL' && code !== 0) this.log(`${this.name} exited ${code ?? signal}: ${err.trim().split('\n').slice(-2).join(' | ')}`);
      this.restarts += 1;
      setTimeout(() => !this.stopped && this.start(), 300);
    });
    this.child = child;
  }

  kill() {
    this.kills += 1;
    this.child?.kill('SIGKILL');
  }

  async stop() {
    this.stopped = true;
    const c = this.child;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((r) => {
      c.once('exit', () => r());
      c.kill('SIGTERM');
      setTimeout(() => c.kill('SIGKILL'), 8_000).unref();
    });
  }
}

/** One chaos run. Whatever happens, its processes and servers are stopped before it returns or throws. */
export async function runChaos(opts: ChaosOptions): Promise<ChaosResult> {
  const cleanups: Array<() => Promise<unknown>> = [];
  try {
    return await chaosRun(opts, cleanups);
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  }
}

async function chaosRun(opts: ChaosOptions, cleanups: Array<() => Promise<unknown>>): Promise<ChaosResult> {
  const log = opts.log ?? ((l: string) => process.stdout.write(`${l}\n`));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shyb-chaos-'));
  const temporalPort = await freePort();
  const dbFile = path.join(dir, 'temporal.db');
  let temporal: DevServer = await startDevServer({ port: temporalPort, headless: true, dbFile });
  cleanups.push(() => temporal.stop());
  const apiPort = await freePort();
  const sim = await startSimulator({
    log: createLogger('chaos-sim', 'silent'),
    settings: { callbackBaseUrl: `http://127.0.0.1:${apiPort}/shyb`, pushRetryMs: 400, settleDelayMs: 150, refundProcessingMs: 400 },
  });
  cleanups.push(() => sim.close());
  const f = sim.platform.faults;
  f.add({ kind: 'dropPush', rate: 0.1 });
  f.add({ kind: 'duplicatePush', rate: 0.1, copies: 2 });
  f.add({ kind: 'forgedPush', rate: 0.05 });
  f.add({ kind: 'wrongAmountPush', rate: 0.05 });
  f.add({ kind: 'http5xx', rate: 0.03 });
  f.add({ kind: 'http5xx', rate: 0.02, afterProcessing: true });
  f.add({ kind: 'hang', rate: 0.02, afterProcessing: true });

  const timing = {
    pollScheduleMs: [500, 1000, 1500],
    pollEveryMs: 1500,
    deadlineMs: 120_000,
    tokenValidMs: 300_000,
    submitTimeoutMs: 5_000,
    queryTimeoutMs: 4_000,
    refund: { pollScheduleMs: [500, 1000, 1500], pollEveryMs: 1500, deadlineMs: 120_000 },
  };
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: 'shyb-chaos',
    PLATFORM_URL: `${sim.url}/gjptqzyy-prod/api/v1/route`, // the prod path pushes; the test path never does (V13 §3.2)
    WUQI_URL: `${sim.url}/wuqi`,
    API_PORT: String(apiPort),
    DATA_DIR: dir,
    LOG_LEVEL: 'error',
    SETTLEMENT_TIMING: JSON.stringify(timing),
    PLATFORM_TIMEOUT_SE02_MS: '1500',
    PLATFORM_TIMEOUT_SE04_MS: '1000',
    PLATFORM_TIMEOUT_SE06_MS: '1000',
    PLATFORM_TIMEOUT_SE07_MS: '1500',
    PLATFORM_TIMEOUT_2208_MS: '1500',
    PLATFORM_TIMEOUT_SE01_MS: '1000',
    PLATFORM_TIMEOUT_SM01_MS: '1000',
  };
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  await runOnce(['scripts/build-workflow-bundle.ts', bundlePath], env);
  const worker = new Supervised('worker', 'worker/main.ts', { ...env, WORKFLOW_BUNDLE_PATH: bundlePath }, log);
  const api = new Supervised('api', 'api/main.ts', { ...env, CHAOS_KILL_BEFORE_ACK: '0.05' }, log);
  cleanups.push(() => worker.stop(), () => api.stop());
  worker.start();
  api.start();
  const base = `http://127.0.0.1:${apiPort}`;
  await waitUntil(async () => (await got.get(`${base}/healthz`, { throwHttpErrors: false, retry: { limit: 0 } }).catch(() => undefined))?.statusCode === 200, 60_000);

  const config = loadConfig({ ...env } as Record<string, string>);
  let connection = await Connection.connect({ address: temporal.address });
  let client = new Client({ connection, dataConverter: dataConverter(config) });
  cleanups.push(() => connection.close());

  // HTTP with retries: the API dies now and then; a checkout retries with the same idempotency key.
  const http = async (method: 'GET' | 'POST', url: string, json?: object, headers: Record<string, string> = {}) => {
    let last = '';
    for (let attempt = 0; ; attempt++) {
      try {
        const r = await got(`${base}${url}`, { method, json, headers, throwHttpErrors: false, retry: { limit: 0 }, timeout: { request: 10_000 }, responseType: 'json' });
        if (r.statusCode < 500) return { status: r.statusCode, body: r.body as any };
        last = `${r.statusCode} ${JSON.stringify(r.body).slice(0, 300)}`;
      } catch (err) {
        last = (err as Error).message; // connection refused while the API restarts
      }
      if (attempt > 240) throw new Error(`${method} ${url} kept failing for 60 s: ${last}`); // a checkout retries a while too
      await sleep(250);
    }
  };

  const observed = new Map<string, SettlementStatus[]>();
  const orders: Array<{ orderNo: string; person: (typeof PERSONS)[number]; medfee: string; refund: boolean }> = [];
  const started = Date.now();

  // chaos loops
  let chaosOn = true;
  const killer = (async () => {
    while (chaosOn) {
      await sleep(opts.short ? 3_000 + Math.random() * 2_000 : 4_000 + Math.random() * 4_000);
      if (!chaosOn) break;
      worker.kill();
    }
  })();

  log(`chaos: ${opts.orders} orders; worker SIGKILL every few seconds; API dies before 5% of acks; faults: ${f.list().map((r) => `${r.kind}${r.afterProcessing ? '(after)' : ''}@${r.rate}`).join(', ')}`);
  let temporalRestarted = false;
  const inflight = new Set<Promise<void>>();
  for (let i = 0; i < opts.orders; i++) {
    const person = pickPerson(i);
    const medfee = `${10 + ((i * 37) % 290)}.${String((i * 13) % 100).padStart(2, '0')}`;
    const task = (async () => {
      const ecToken = sim.platform.issueToken(person.id);
      const body = {
        ecToken,
        operator: { opter: 'CHAOS', opter_name: 'chaos', opter_type: '5' },
        payRequest: { psn_no: person.psnNo, mdtrt_id: `C${i}`, chrg_bchno: 'SF01', med_type: '11', medfee_sumamt: medfee, insutype: '310', acct_used_flag: '0', psn_setlway: '01' },
        ...('wuqi' in person ? { wuqiPayRequest: sampleWuqiBill(person.wuqi, medfee) } : {}),
      };
      const r = await http('POST', '/api/settlements', body, { 'idempotency-key': `chaos-${started}-${i}` });
      if (r.status !== 202) throw new Error(`start ${i}: ${r.status} ${JSON.stringify(r.body)}`);
      // a third of the orders are refunded, 五期 ones too (SK01 with the settlement's lsh)
      orders.push({ orderNo: r.body.orderNo, person, medfee, refund: i % 3 === 0 });
    })();
    inflight.add(task);
    void task.finally(() => inflight.delete(task));
    if (inflight.size >= 6) await Promise.race(inflight);
    if (!temporalRestarted && i === Math.floor(opts.orders / 2)) {
      temporalRestarted = true;
      await Promise.all(inflight);
      log('chaos: restarting the Temporal dev server (same SQLite file)');
      await temporal.stop();
      await sleep(1_000);
      temporal = await startDevServer({ port: temporalPort, headless: true, dbFile });
      await connection.close().catch(() => undefined);
      connection = await Connection.connect({ address: temporal.address });
      client = new Client({ connection, dataConverter: dataConverter(config) });
    }
  }
  await Promise.all(inflight);

  // follow every order to a final state, recording each status seen
  const follow = async (orderNo: string, want: (s: SettlementStatus) => boolean, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = await http('GET', `/api/settlements/${orderNo}`);
      if (r.status === 200) {
        const seen = observed.get(orderNo) ?? [];
        if (seen.at(-1) !== r.body.status) seen.push(r.body.status);
        observed.set(orderNo, seen);
        if (want(r.body.status)) return r.body;
      }
      if (Date.now() > deadline) return r.body;
      await sleep(400);
    }
  };
  const settled = await Promise.all(orders.map((o) => follow(o.orderNo, (s) => FINAL.has(s), 240_000)));
  // refunds for a third of the PAID orders
  const refunding = orders.filter((o, i) => o.refund && settled[i]?.status === 'PAID');
  for (const o of refunding) {
    const r = await http('POST', `/api/settlements/${o.orderNo}/refund`, { operator: { opter: 'CHAOS', opter_name: 'chaos', opter_type: '5' } });
    if (r.status !== 202) log(`refund ${o.orderNo}: ${r.status} ${JSON.stringify(r.body)}`);
  }
  await Promise.all(refunding.map((o) => follow(o.orderNo, (s) => s === 'REFUNDED' || s === 'REFUND_FAILED' || s === 'NEEDS_REVIEW', 240_000)));
  chaosOn = false;
  await killer;
  // let pushes still in flight land before judging
  await sleep(2_000);
  const finals = new Map<string, any>();
  for (const o of orders) finals.set(o.orderNo, (await http('GET', `/api/settlements/${o.orderNo}`)).body);

  // ---- verdicts ----
  const violations: string[] = [];
  // pushes for closed orders are recorded in the push inbox: recorded, not lost
  const inboxTokens = new Set<string>();
  for (const day of new Set([formatDate(started), formatDate(Date.now())])) {
    const items = await client.workflow.getHandle(inboxWorkflowId('shyb-chaos', day)).query<InboxPush[]>('inbox').catch(() => [] as InboxPush[]);
    for (const i of items) inboxTokens.add(`${i.kind}:${i.ecToken}`);
  }
  const ledger = sim.platform.ledger();
  const ledgerBy = new Map<string, any>(ledger.settlements.map((s: any) => [s.orderNo, s]));
  const counts: Record<string, number> = {};
  const reviews: Record<string, number> = {};
  let forgedPaid = 0;
  let regressions = 0;
  let lostPushes = 0;
  let refundMismatches = 0;
  let se02NotOnce = 0;
  for (const o of orders) {
    const v = finals.get(o.orderNo);
    counts[v.status] = (counts[v.status] ?? 0) + 1;
    // why an order waits for a person: its reason code (the text before the first colon)
    if (v.status === 'NEEDS_REVIEW') reviews[reasonCode(v.reason)] = (reviews[reasonCode(v.reason)] ?? 0) + 1;
    const key = 'wuqi' in o.person ? o.orderNo.slice(1) : o.orderNo;
    const led = ledgerBy.get(key);
    const se02 = ledger.se02ByOrderNo[key];
    if (!FINAL.has(v.status)) violations.push(`${o.orderNo}: not final (${v.status})`);
    if (se02 !== undefined && se02 !== 1) {
      se02NotOnce += 1;
      violations.push(`${o.orderNo}: SE02 reached the platform ${se02} times`);
    }
    if (se02 === undefined && v.status !== 'FAILED' && v.status !== 'NEEDS_REVIEW') violations.push(`${o.orderNo}: ${v.status} without an SE02 at the platform`);
    if (v.status === 'PAID' || v.status === 'REFUNDED' || v.status === 'REFUNDING' || v.status === 'REFUND_FAILED') {
      const s = v.setlinfo;
      // 五期 orders keep no setlinfo: view.wuqi has the insured totalexpense and the self-pay part beside it
      // (the ledger's medfee is the whole bill), and the cash the patient paid.
      const paid = 'wuqi' in o.person ? v.wuqi && { totalFen: toFen(v.wuqi.totalexpense) + toFen(v.wuqi.selfPay ?? '0'), cash: v.wuqi.cash } : s && { totalFen: toFen(s.medfee_sumamt), cash: s.psn_cash_pay };
      const honest = led && led.status === 'PAID' && paid && paid.totalFen === toFen(led.medfee) && toFen(paid.cash) === toFen(led.cash) && (v.channel ?? null) === led.channel;
      if (!honest) {
        forgedPaid += 1;
        const ours = paid ? `${paid.totalFen} fen, cash ${paid.cash}, ${v.channel ?? '-'}` : 'no result';
        violations.push(`${o.orderNo}: ${v.status} does not match the platform ledger (ours ${ours}; ledger ${led ? `${led.status} ${toFen(led.medfee)} fen, cash ${led.cash}, ${led.channel}` : 'none'})`);
      }
    }
    if (v.status === 'FAILED' && led?.status === 'PAID' && !v.resolution) violations.push(`${o.orderNo}: FAILED but the platform settled it`);
    const seen = observed.get(o.orderNo) ?? [];
    for (let i = 1; i < seen.length; i++) {
      if (!reachable(seen[i - 1]!, seen[i]!)) {
        regressions += 1;
        violations.push(`${o.orderNo}: status went ${seen[i - 1]} -> ${seen[i]}`);
      }
    }
    const acked = ledger.pushes.byToken[`SE03:${led?.ecToken}`]?.acked ?? 0;
    if (acked > 0 && !inboxTokens.has(`SE03:${led?.ecToken}`) && !v.events.some((e: any) => ['PUSH_RECEIVED', 'LATE_PUSH', 'DUPLICATE_PUSH'].includes(e.type))) {
      lostPushes += 1;
      violations.push(`${o.orderNo}: an acknowledged SE03 push is not in the workflow`);
    }
    if (v.status === 'REFUNDED') {
      const cashPaid = led ? toFen(led.cash) : -1;
      const cashBack = led?.cashRefund?.status === '1' ? toFen(led.cashRefund.amount) : 0;
      if (!led?.insuranceRefunded || cashBack !== cashPaid) {
        refundMismatches += 1;
        violations.push(`${o.orderNo}: REFUNDED but the ledger has insurance=${led?.insuranceRefunded} cash ${cashBack}/${cashPaid}`);
      }
      const refundAcked = ledger.pushes.byToken[`SE05:${led?.ecToken}`]?.acked ?? 0;
      if (refundAcked > 0 && !inboxTokens.has(`SE05:${led?.ecToken}`)) {
        const rv = await client.workflow.getHandle(refundWorkflowId(o.orderNo)).query(refundStatusQuery).catch(() => undefined);
        if (rv && !rv.events.some((e) => e.type === 'PUSH_RECEIVED' || e.type === 'LATE_PUSH')) {
          lostPushes += 1;
          violations.push(`${o.orderNo}: an acknowledged SE05 push is not in the refund workflow`);
        }
      }
    } else if (led?.insuranceRefunded && v.status !== 'REFUND_FAILED' && v.status !== 'NEEDS_REVIEW') {
      refundMismatches += 1;
      violations.push(`${o.orderNo}: the platform refunded it but we say ${v.status}`);
    }
  }

  // money-moving refund calls as the refund workflows recorded them: SE07 only as the remedy, 2601 only after an unknown 2208
  let se07Calls = 0;
  let reversals = 0;
  for (const o of refunding) {
    const rv = await client.workflow.getHandle(refundWorkflowId(o.orderNo)).query(refundStatusQuery).catch(() => undefined);
    se07Calls += rv?.events.filter((e) => e.type === 'SE07_REMEDY').length ?? 0;
    reversals += rv?.events.filter((e) => e.type === 'REVERSAL_SENT').length ?? 0;
  }

  const summary = {
    orders: orders.length,
    seconds: ((Date.now() - started) / 1000).toFixed(1),
    ...Object.fromEntries(Object.entries(counts).map(([k, v]) => [`final ${k}`, v])),
    'NEEDS_REVIEW reasons': Object.entries(reviews).map(([k, n]) => `${k}:${n}`).join(' ') || '-',
    'refunds requested': refunding.length,
    'worker SIGKILLs': worker.kills,
    'API crashes before ack': Math.max(0, api.restarts),
    'Temporal restarts': temporalRestarted ? 1 : 0,
    'pushes acked / attempts': `${ledger.pushes.acked} / ${ledger.pushes.attempts}`,
    'pushes dropped by fault': ledger.pushes.dropped,
    'SE07 calls / 2601 冲正': `${ledger.nationalCalls.SE07 ?? 0} / ${ledger.nationalCalls['2601'] ?? 0}`,
    'faults fired': f.list().map((r) => `${r.kind}${r.afterProcessing ? '(after)' : ''}:${r.fired}`).join(' '),
    'SE02 not exactly once': se02NotOnce,
    'forged PAIDs': forgedPaid,
    'status regressions': regressions,
    'lost pushes': lostPushes,
    'refund mismatches': refundMismatches,
    'SE07 remedies sent': se07Calls,
    '2601 reversals sent': reversals,
    violations: violations.length,
  };
  return { ok: violations.length === 0, violations, summary };
}

/** "PUSH_UNCONFIRMED: …" → PUSH_UNCONFIRMED; a refund's "refund: INSURANCE_REFUND_UNKNOWN: …" → refund/INSURANCE_REFUND_UNKNOWN. */
const reasonCode = (reason: unknown) => {
  if (typeof reason !== 'string' || !reason) return 'no reason';
  const code = /[A-Z][A-Z0-9_]{3,}/.exec(reason)?.[0] ?? reason.split(':')[0]!.trim();
  return reason.startsWith('refund:') ? `refund/${code}` : code;
};

/** b can follow a (directly or through states in between). */
function reachable(a: SettlementStatus, b: SettlementStatus): boolean {
  const seen = new Set<SettlementStatus>([a]);
  const queue: SettlementStatus[] = [a];
  const all: SettlementStatus[] = ['PROCESSING', 'PAID', 'FAILED', 'NEEDS_REVIEW', 'REFUNDING', 'REFUNDED', 'REFUND_FAILED'];
  while (queue.length) {
    const x = queue.shift()!;
    for (const y of all) {
      if (!seen.has(y) && canMove(x, y)) {
        if (y === b) return true;
        seen.add(y);
        queue.push(y);
      }
    }
  }
  return false;
}

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}

async function waitUntil(fn: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the stack');
    await sleep(250);
  }
}

function runOnce(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const c = spawnTied(NODE_TS[0], [...NODE_TS[1], ...args], { cwd: ROOT, env, stdio: 'ignore' });
    c.once('exit', (code: number | null) => (code === 0 ? resolve() : reject(new Error(`${args[0]} exited ${code}`))));
  });
}

const USAGE = `
usage: npm run chaos -- [--orders N] [--short]
  Settles orders while killing and restarting the worker, the API and the platform's pushes, then checks
  that no payment was lost or doubled.
  --orders  how many orders (default 60, or 16 with --short)
  --short   the short run CI uses
`;

if (require.main === module) {
  const flags = cliArgs(USAGE, { orders: { type: 'string' }, short: { type: 'boolean' } });
  const short = flags.short === true;
  let orders: number;
  try {
    orders = intFlag('orders', flags.orders, short ? 16 : 60, 1, 10_000);
  } catch (err) {
    usageExit(USAGE, (err as Error).message);
  }
  runChaos({ orders, short })
    .then((r) => {
      console.table(Object.entries(r.summary).map(([check, value]) => ({ check, value })));
      for (const v of r.violations) process.stdout.write(`VIOLATION ${v}\n`);
      process.stdout.write(r.ok ? 'chaos: all checks passed\n' : 'chaos: FAILED\n');
      process.exit(r.ok ? 0 : 1);
    })
    .catch((err) => {
      process.stderr.write(`chaos: ${(err as Error).stack}\n`);
      process.exit(1);
    });
}
