import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLogger } from '../../common/logger';
import { registry } from '../../common/metrics';
import { launchStack, type LaunchedStack } from '../../scripts/launch-stack';
import { apiClient } from '../helpers/api-client';
import { FAST_TIMING, quietRuntime } from '../helpers/stack';

// EAGER_START=on in npm start's shape (scripts/launch-stack.ts: the worker and the API in one process): the API's
// client shares the worker's connection, Temporal hands each settlement's first task straight back to that
// worker, and the order settles as any other. shyb_settlement_starts_total{eager} says which starts were eager.

let stack: LaunchedStack;
const starts = async (eager: 'true' | 'false') =>
  (await registry.getSingleMetric('shyb_settlement_starts_total')!.get()).values.find((v) => v.labels.eager === eager)?.value ?? 0;

beforeAll(async () => {
  quietRuntime();
  const log = createLogger('test', 'silent');
  stack = await launchStack({
    temporal: { address: process.env.TEMPORAL_TEST_ADDRESS! },
    simulator: { inProcess: { log, settings: { pushRetryMs: 200, settleDelayMs: 100 } }, prodPath: true },
    env: {
      TEMPORAL_TASK_QUEUE: `shyb-test-${Math.random().toString(36).slice(2)}`,
      DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'shyb-eager-')),
      LOG_LEVEL: 'silent',
      SETTLEMENT_TIMING: JSON.stringify(FAST_TIMING),
      CENTRE_CHECK_ENABLED: 'false',
      EAGER_START: 'on',
    },
    workers: { inProcess: { log } },
    apis: { inProcess: { log, port: 0, host: '127.0.0.1' } },
  });
}, 120_000);
afterAll(() => stack?.stop());

test('EAGER_START=on with the worker in the API process: the settlement starts eagerly and settles PAID', async () => {
  const api = apiClient(stack.apiUrls[0]!);
  const [eagerBefore, lazyBefore] = [await starts('true'), await starts('false')];
  const orderNo = await api.settle(stack.sim!.platform.issueToken('employee'), '801874939', '120.00');
  const view = await api.until(orderNo, (v) => v.status === 'PAID');
  expect(view).toMatchObject({ status: 'PAID', medfeeSumamt: '120.00' });
  expect(await starts('true')).toBe(eagerBefore + 1);
  expect(await starts('false')).toBe(lazyBefore);
}, 60_000);
