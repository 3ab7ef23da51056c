import { formatDate } from '../../protocol/shanghai-time';
import { ApplicationFailure } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { BatchOutcome, CentreCheckActivities } from '../../activities/centre-check';
import type { CentreCheckResult } from '../../common/centre-check';
import { quietRuntime, workflowBundle } from '../helpers/stack';
import { TEST_SERVER } from './env';

// The day's centreCheck workflow on the time-skipping server, with scripted activities: a centre that never
// answers is retried for BATCH_RETRY_FOR (6 h, skipped) and the day ends `failed` naming the orders; a big day
// continues as new and keeps its counts; in send mode the day close is started as a child by name.

const QUEUE = 'centre-check-ts';
let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
const script: { down: boolean; attempts: number; batches: string[][]; metrics: Array<{ status: string }> } = {
  down: false,
  attempts: 0,
  batches: [],
  metrics: [],
};
const orders = (n: number) => Array.from({ length: n }, (_, i) => `H31011000005320261204000000${String(i).padStart(7, '0')}`);
let day: string[] = [];

const activities: CentreCheckActivities = {
  async listCentreCheckDay() {
    return day;
  },
  async checkCentreBatch({ orderNos }): Promise<BatchOutcome> {
    script.attempts++;
    if (script.down) throw ApplicationFailure.retryable('the centre gave no answer to 5203', 'CentreUnavailable');
    script.batches.push(orderNos);
    const first = orderNos[0]!;
    // the first order of the day differs on medfee; the rest agree
    const differs = first === day[0];
    return {
      agreed: orderNos.length - (differs ? 1 : 0),
      differences: differs
        ? [
            {
              orderNo: first,
              route: 'NATIONAL',
              kind: 'amount',
              asked: { query: '5203', msgid: 'm1' },
              differences: [{ field: 'medfee', ours: 100, centre: 200 }],
            },
          ]
        : [],
      unavailable: [],
    };
  },
  async recordCentreCheck({ result }) {
    script.metrics.push({ status: result.status });
  },
};

beforeAll(async () => {
  quietRuntime();
  env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: TEST_SERVER } } });
  worker = await Worker.create({ connection: env.nativeConnection, taskQueue: QUEUE, workflowBundle: await workflowBundle(), activities });
  running = worker.run();
}, 120_000);
afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});
beforeEach(() => {
  Object.assign(script, { down: false, attempts: 0, batches: [], metrics: [] });
});

const run = (args: Record<string, unknown>, workflowId: string) =>
  env.client.workflow.execute<(a: unknown) => Promise<CentreCheckResult>>('centreCheck', {
    taskQueue: QUEUE,
    workflowId,
    args: [{ ratePerSecond: 1, reconciliation: 'export', ...args }],
  });

test('a centre that never answers: the batch is retried for 6 hours, then the day is failed and its orders unavailable', async () => {
  day = orders(3);
  script.down = true;
  const r = await run({ date: '2026-12-03' }, 'cc-down');
  expect(r).toMatchObject({ date: '2026-12-03', status: 'failed', total: 3, checked: 3, agreed: 0, differences: [] });
  expect(r.unavailable.map((u) => u.orderNo)).toEqual(day);
  expect(r.unavailable[0]!.reason).toMatch(/no answer from the centre after 6 hours of retries: the centre gave no answer to 5203/);
  expect(script.attempts).toBeGreaterThan(5); // retried with backoff, not once
  expect(script.metrics).toEqual([{ status: 'failed' }]);
}, 60_000);

test('a big day continues as new: batches of ten seconds at the rate, the counts and differences carried over', async () => {
  day = orders(25); // rate 1/s: batches of 10; one batch per run
  const h = await env.client.workflow.start('centreCheck', {
    taskQueue: QUEUE,
    workflowId: 'cc-big',
    args: [{ date: '2026-12-03', ratePerSecond: 1, reconciliation: 'export', batchesPerRun: 1 }],
  });
  const r = (await h.result()) as CentreCheckResult;
  expect(r).toMatchObject({ status: 'finished', total: 25, checked: 25, agreed: 24, differences: [{ orderNo: day[0], kind: 'amount' }] });
  expect(script.batches.map((b) => b.length)).toEqual([10, 10, 5]);
  // the first run continued as new (one batch per run here): the history of each run stays bounded
  expect((await env.client.workflow.getHandle('cc-big', h.firstExecutionRunId).describe()).status.name).toBe('CONTINUED_AS_NEW');
  expect(script.metrics).toEqual([{ status: 'finished' }]);
}, 60_000);

test('send mode: after the check, the day close is started by name as an abandoned child, centre-reconciliation-<taskQueue>-<date>', async () => {
  day = orders(2);
  const r = await run({ date: '2026-12-02', reconciliation: 'send' }, 'cc-send');
  const workflowId = `centre-reconciliation-${QUEUE}-2026-12-02`;
  expect(r).toMatchObject({ status: 'finished', reconciliation: { workflowId } });
  const child = await env.client.workflow.getHandle(workflowId).describe();
  expect(child.type).toBe('centreReconciliation');
  await env.client.workflow.getHandle(workflowId).terminate('not under test here'); // its activities are not registered on this worker
  // export mode starts none
  const e = await run({ date: '2026-12-01' }, 'cc-export');
  expect(e.reconciliation).toBeUndefined();
}, 60_000);

test('send mode: a check of a day that is not over (today) starts no day close, since SL01 would pass the day on part of its totals', async () => {
  day = orders(1);
  const today = formatDate(await env.currentTimeMs()); // the test server's clock, moved on by the earlier tests
  const r = await run({ date: today, reconciliation: 'send' }, 'cc-send-today');
  expect(r.status).toBe('finished');
  expect(r.reconciliation).toBeUndefined();
  await expect(env.client.workflow.getHandle(`centre-reconciliation-${QUEUE}-${today}`).describe()).rejects.toThrow(/not found/i);
}, 60_000);
