import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import pLimit from 'p-limit';
import got from 'got';
import { loadConfig } from '../../common/config';
import { dataConverter } from '../../common/data-converter';
import { createLogger } from '../../common/logger';
import { sampleWuqiBill } from '../../routes/wuqi/simulator/samples';
import { formatDate } from '../../protocol/shanghai-time';
import type { SettlementStatus } from '../../workflows/status';
import { inboxWorkflowId, type InboxPush } from '../../workflows/push-inbox';
import { freePort } from '../../scripts/dev-server';
import { launchStack, type LaunchedStack } from '../../scripts/launch-stack';
import type { ServiceEvent } from '../../scripts/supervise';
import { cliArgs, intFlag, usageExit } from '../../scripts/cli-args';
import { FINAL, judge, refundCalls, type ChaosOrder } from './chaos-verdicts';

/**
 * The chaos suite: settlements and refunds through the whole stack (dev server, worker process,
 * API process, simulator; scripts/launch-stack.ts) while the simulator injects faults, the worker is
 * SIGKILLed every few seconds, the dev server restarts once, and the API dies between recording a
 * push and acking it (the supervisor restarts both). Every order is then checked against the
 * simulator's ledger (chaos-verdicts.ts). Exit code 1 on any violation.
 *
 *   npm run chaos                    # 60 orders
 *   npm run chaos -- --orders 20 --short
 */

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

const TIMING = {
  pollScheduleMs: [500, 1000, 1500],
  pollEveryMs: 1500,
  deadlineMs: 120_000,
  tokenValidMs: 300_000,
  submitTimeoutMs: 5_000,
  queryTimeoutMs: 4_000,
  refund: { pollScheduleMs: [500, 1000, 1500], pollEveryMs: 1500, deadlineMs: 120_000 },
};

/** One chaos run. Whatever happens, its processes and servers are stopped before it returns or throws. */
export async function runChaos(opts: ChaosOptions): Promise<ChaosResult> {
  const log = opts.log ?? ((l: string) => process.stdout.write(`${l}\n`));
  const stack = await startChaosStack(log);
  try {
    return await chaosRun(opts, stack, log);
  } finally {
    await stack.stop();
  }
}

async function startChaosStack(log: (l: string) => void): Promise<LaunchedStack> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shyb-chaos-'));
  const apiPort = await freePort();
  // a crash that is not one of our SIGKILLs is worth a line (the supervisor restarts either way)
  const onEvent = (e: ServiceEvent) => {
    if (e.event === 'exited' && e.service !== 'temporal' && e.signal !== 'SIGKILL' && e.code !== 0)
      log(`${e.service} exited ${e.code ?? e.signal}: ${(e.output ?? '').split('\n').slice(-2).join(' | ')}`);
  };
  const restartable = { restartDelayMs: 300, keepOutput: true };
  return launchStack({
    temporal: { devServer: { port: await freePort(), headless: true, dbFile: path.join(dir, 'temporal.db') } },
    simulator: {
      inProcess: { log: createLogger('chaos-sim', 'silent'), settings: { pushRetryMs: 400, settleDelayMs: 150, refundProcessingMs: 400 } },
      prodPath: true,
    },
    env: {
      TEMPORAL_TASK_QUEUE: 'shyb-chaos',
      DATA_DIR: dir,
      LOG_LEVEL: 'error',
      SETTLEMENT_TIMING: JSON.stringify(TIMING),
      PLATFORM_TIMEOUT_SE02_MS: '1500',
      PLATFORM_TIMEOUT_SE04_MS: '1000',
      PLATFORM_TIMEOUT_SE06_MS: '1000',
      PLATFORM_TIMEOUT_SE07_MS: '1500',
      PLATFORM_TIMEOUT_2208_MS: '1500',
      PLATFORM_TIMEOUT_SE01_MS: '1000',
      PLATFORM_TIMEOUT_SM01_MS: '1000',
    },
    bundle: { file: path.join(dir, 'workflow-bundle.js') },
    workers: [{ name: 'worker', script: 'worker/main.ts', ...restartable }],
    apis: [{ name: 'api', script: 'api/main.ts', port: apiPort, readyPath: '/healthz', env: { CHAOS_KILL_BEFORE_ACK: '0.05' }, ...restartable }],
    onEvent,
  });
}

async function chaosRun(opts: ChaosOptions, stack: LaunchedStack, log: (l: string) => void): Promise<ChaosResult> {
  const sim = stack.sim!;
  const temporal = stack.temporal!;
  const [worker, api] = [stack.workers[0]!, stack.apis[0]!];
  const f = sim.platform.faults;
  f.add({ kind: 'dropPush', rate: 0.1 });
  f.add({ kind: 'duplicatePush', rate: 0.1, copies: 2 });
  f.add({ kind: 'forgedPush', rate: 0.05 });
  f.add({ kind: 'wrongAmountPush', rate: 0.05 });
  f.add({ kind: 'http5xx', rate: 0.03 });
  f.add({ kind: 'http5xx', rate: 0.02, afterProcessing: true });
  f.add({ kind: 'hang', rate: 0.02, afterProcessing: true });

  const config = loadConfig({ ...process.env, ...stack.env }); // what the worker and the API read
  let connection = await Connection.connect({ address: stack.temporalAddress });
  let client = new Client({ connection, dataConverter: dataConverter(config) });
  const base = stack.apiUrls[0]!;
  try {
    // HTTP with retries: the API dies now and then; a checkout retries with the same idempotency key.
    // A 503 (Retry-After: Temporal or a worker not ready) is an answer the API may give; any other 5xx is a violation.
    const fiveHundreds = new Set<string>();
    const http = async (method: 'GET' | 'POST', url: string, json?: object, headers: Record<string, string> = {}) => {
      let last = '';
      for (let attempt = 0; ; attempt++) {
        try {
          const r = await got(`${base}${url}`, {
            method,
            json,
            headers,
            throwHttpErrors: false,
            retry: { limit: 0 },
            timeout: { request: 10_000 },
            responseType: 'json',
          });
          if (r.statusCode < 500) return { status: r.statusCode, body: r.body as any };
          last = `${r.statusCode} ${JSON.stringify(r.body).slice(0, 300)}`;
          if (r.statusCode !== 503) fiveHundreds.add(`${method} ${url}: ${last}`);
        } catch (err) {
          last = (err as Error).message; // connection refused while the API restarts
        }
        if (attempt > 1200) throw new Error(`${method} ${url} kept failing for 5 min: ${last}`); // a checkout retries a while too
        await sleep(250);
      }
    };

    const observed = new Map<string, SettlementStatus[]>();
    const orders: ChaosOrder[] = [];
    const started = Date.now();

    // chaos loop: the supervisor restarts the worker after each SIGKILL
    let chaosOn = true;
    let kills = 0;
    const killer = (async () => {
      while (chaosOn) {
        await sleep(opts.short ? 3_000 + Math.random() * 2_000 : 4_000 + Math.random() * 4_000);
        if (!chaosOn) break;
        kills += 1;
        worker.kill('SIGKILL');
      }
    })();

    log(
      `chaos: ${opts.orders} orders; worker SIGKILL every few seconds; API dies before 5% of acks; faults: ${f
        .list()
        .map((r) => `${r.kind}${r.afterProcessing ? '(after)' : ''}@${r.rate}`)
        .join(', ')}`,
    );
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
          payRequest: {
            psn_no: person.psnNo,
            mdtrt_id: `C${i}`,
            chrg_bchno: 'SF01',
            med_type: '11',
            medfee_sumamt: medfee,
            insutype: '310',
            acct_used_flag: '0',
            psn_setlway: '01',
          },
          ...('wuqi' in person ? { wuqiPayRequest: sampleWuqiBill(person.wuqi, medfee) } : {}),
        };
        const r = await http('POST', '/api/settlements', body, { 'idempotency-key': `chaos-${started}-${i}` });
        if (r.status !== 202) throw new Error(`start ${i}: ${r.status} ${JSON.stringify(r.body)}`);
        // a third of the orders are refunded, 五期 ones too (SK01 with the settlement's lsh)
        orders.push({ orderNo: r.body.orderNo, ...('wuqi' in person ? { wuqi: person.wuqi } : {}), refund: i % 3 === 0 });
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
        await temporal.start().ready;
        await connection.close().catch(() => undefined);
        connection = await Connection.connect({ address: stack.temporalAddress });
        client = new Client({ connection, dataConverter: dataConverter(config) });
      }
    }
    await Promise.all(inflight);

    // follow every order to a final state, recording each status seen, at a bounded rate as an HIS would:
    // at most 16 reads in flight, each order read at most once a second (1,000 orders read every 400 ms
    // would be 2,500 workflow queries a second on a 2-core machine)
    const reads = pLimit(16);
    const follow = async (orderNo: string, want: (s: SettlementStatus) => boolean, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const r = await reads(() => http('GET', `/api/settlements/${orderNo}`));
        if (r.status === 200) {
          const seen = observed.get(orderNo) ?? [];
          if (seen.at(-1) !== r.body.status) seen.push(r.body.status);
          observed.set(orderNo, seen);
          if (want(r.body.status)) return r.body;
        }
        if (Date.now() > deadline) return r.body;
        await sleep(1_000);
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
    // the verdicts read each order's events, which only the workflow's own answer carries: a read the API
    // answered from the status memo (`source: visibility`, no events; a worker still catching up) is asked again
    const finalView = async (orderNo: string) => {
      for (let i = 0; ; i++) {
        const r = await http('GET', `/api/settlements/${orderNo}`);
        if (r.body?.source !== 'visibility' || i >= 300) return r.body;
        await sleep(1_000);
      }
    };
    for (const o of orders) finals.set(o.orderNo, await finalView(o.orderNo));

    // pushes for closed orders are recorded in the push inbox: recorded, not lost
    const inboxTokens = new Set<string>();
    for (const day of new Set([formatDate(started), formatDate(Date.now())])) {
      const items = await client.workflow
        .getHandle(inboxWorkflowId('shyb-chaos', day))
        .query<InboxPush[]>('inbox')
        .catch(() => [] as InboxPush[]);
      for (const i of items) inboxTokens.add(`${i.kind}:${i.ecToken}`);
    }
    const ledger = sim.platform.ledger();
    const judged = await judge({ orders, finals, observed, ledger, inboxTokens, client });
    const v = { ...judged, violations: [...judged.violations, ...[...fiveHundreds].map((f) => `5xx: ${f}`)] };
    const calls = await refundCalls(client, refunding);

    const summary = {
      orders: orders.length,
      seconds: ((Date.now() - started) / 1000).toFixed(1),
      ...Object.fromEntries(Object.entries(v.counts).map(([k, n]) => [`final ${k}`, n])),
      'NEEDS_REVIEW reasons':
        Object.entries(v.reviews)
          .map(([k, n]) => `${k}:${n}`)
          .join(' ') || '-',
      'FAILED reasons':
        Object.entries(v.failures)
          .map(([k, n]) => `${k}:${n}`)
          .join(' ') || '-',
      'refunds requested': refunding.length,
      'worker SIGKILLs': kills,
      'API crashes before ack': Math.max(0, api.restarts),
      'Temporal restarts': temporalRestarted ? 1 : 0,
      'pushes acked / attempts': `${ledger.pushes.acked} / ${ledger.pushes.attempts}`,
      'pushes dropped by fault': ledger.pushes.dropped,
      'SE07 calls / 2601 冲正': `${ledger.nationalCalls.SE07 ?? 0} / ${ledger.nationalCalls['2601'] ?? 0}`,
      'faults fired': f
        .list()
        .map((r) => `${r.kind}${r.afterProcessing ? '(after)' : ''}:${r.fired}`)
        .join(' '),
      'SE02 not exactly once': v.se02NotOnce,
      'forged PAIDs': v.forgedPaid,
      'status regressions': v.regressions,
      'lost pushes': v.lostPushes,
      'refund mismatches': v.refundMismatches,
      'SE07 remedies sent': calls.se07Calls,
      '2601 reversals sent': calls.reversals,
      violations: v.violations.length,
    };
    return { ok: v.violations.length === 0, violations: v.violations, summary };
  } finally {
    await connection.close().catch(() => undefined);
  }
}

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
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
