import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bundleWorkflowCode, DefaultLogger, Runtime, type Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { startApi, type ApiServer } from '../../api/server';
import { loadConfig, type Config } from '../../common/config';
import { createLogger, type Logger } from '../../common/logger';
import { startSimulator, type Simulator } from '../../simulator/server';
import { createWorker, WORKFLOW_INTERCEPTOR_MODULES, WORKFLOWS_PATH } from '../../worker/create-worker';
import { simulatorEnv } from '../../scripts/launch-stack';

export const FAST_TIMING = {
  pollScheduleMs: [300, 300, 500],
  pollEveryMs: 500,
  deadlineMs: 8_000,
  tokenValidMs: 60_000,
  refundWindowMs: 10 * 60_000,
  refund: { pollScheduleMs: [300, 300, 500], pollEveryMs: 500, deadlineMs: 8_000, cashGraceMs: 1_000 },
};

let runtimeInstalled = false;
let bundle: WorkflowBundleWithSourceMap | undefined;

export function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    // already installed in this module registry
  }
}

export async function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
    logger: new DefaultLogger('ERROR'),
  });
  return bundle;
}

export interface Stack {
  config: Config;
  sim: Simulator;
  api: ApiServer;
  worker: Worker;
  stopWorker(): Promise<void>;
  startWorker(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Simulator + API (with callback receiver) + worker, all real, on the suite's dev server, in the
 * test's own process (fast; a test stops and starts the worker). Stacks of processes (npm start,
 * chaos, bench, the cluster torture) come from scripts/launch-stack.ts.
 */
export async function startStack(env: Record<string, string> = {}, opts: { log?: Logger } = {}): Promise<Stack> {
  quietRuntime();
  // a test that reads our log lines passes its own logger (the API's and the worker's; the simulator plays the platform)
  const log = opts.log ?? createLogger('test', 'silent');
  const sim = await startSimulator({ log: createLogger('test', 'silent'), settings: { pushRetryMs: 200, settleDelayMs: 100, refundProcessingMs: 300 } });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shyb-'));
  const config = loadConfig({
    TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS!,
    TEMPORAL_TASK_QUEUE: `shyb-test-${Math.random().toString(36).slice(2)}`,
    ...simulatorEnv(sim.url),
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    SETTLEMENT_TIMING: JSON.stringify(FAST_TIMING),
    PLATFORM_TIMEOUT_SE02_MS: '1500',
    PLATFORM_TIMEOUT_SE04_MS: '1500',
    PLATFORM_TIMEOUT_SE06_MS: '1500',
    PLATFORM_TIMEOUT_SE07_MS: '1500',
    PLATFORM_TIMEOUT_2208_MS: '1500',
    // the daily centre check's Schedule only where a test asks for it (test/integration/centre-check.test.ts)
    CENTRE_CHECK_ENABLED: 'false',
    ...env,
  });
  const api = await startApi(config, log, { port: 0, host: '127.0.0.1', simulatorUrl: sim.url });
  sim.platform.settings.callbackBaseUrl = `${api.url}/shyb`;
  const workflowBundleCode = await workflowBundle();
  let current: { worker: Worker; running: Promise<void>; close: () => Promise<void> } | undefined;
  const stack: Stack = {
    config,
    sim,
    api,
    worker: undefined as unknown as Worker,
    async startWorker() {
      const { worker, connection } = await createWorker({ config, log, workflowBundle: workflowBundleCode, extra: { shutdownGraceTime: '1s' } });
      const running = worker.run();
      current = { worker, running, close: () => connection.close() };
      stack.worker = worker;
    },
    async stopWorker() {
      if (!current) return;
      const c = current;
      current = undefined;
      c.worker.shutdown();
      await c.running;
      await c.close();
    },
    async close() {
      await sim.close(); // no more pushes first
      await stack.stopWorker();
      await api.close();
    },
  };
  await stack.startWorker();
  return stack;
}
