import * as path from 'node:path';
import { loadConfigOrExit, loadDotEnv } from '../common/config';
import { createLogger } from '../common/logger';
import { cainfoSettingsFrom } from '../routes/national/simulator/platform';
import { installRuntime } from '../worker/runtime';
import { launchStack, type LaunchedStack } from './launch-stack';
import type { ServiceEvent } from './supervise';
import { onStopSignals } from '../common/stop-signals';

// `npm start`: the whole stack on one machine. Temporal dev server (SQLite under DATA_DIR) unless
// TEMPORAL_ADDRESS is set, the worker, the API, and the platform simulator unless a real 前置机 is
// configured (PLATFORM_URL / WUQI_URL). The worker and the API run in this process.
async function main() {
  loadDotEnv(); // before the env is read below
  const externalTemporal = !!process.env.TEMPORAL_ADDRESS?.trim(); // empty counts as unset
  if (!externalTemporal) process.env.TEMPORAL_ADDRESS = `127.0.0.1:${process.env.TEMPORAL_DEV_PORT || 7233}`;
  const apiPort = Number(process.env.API_PORT || 3000);
  process.env.CALLBACK_BASE_URL ||= `http://127.0.0.1:${apiPort}/shyb`;
  const config = loadConfigOrExit();
  const log = createLogger('shyb-pay', config.LOG_LEVEL);
  const sdkMetricsPort = config.METRICS_SDK_PORT ?? 9464;
  installRuntime({ sdkMetricsPort, shutdownSignals: [], log });

  let stack: LaunchedStack | undefined;
  let stopping = false;
  const stop = async (code = 0) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('stopping...\n');
    await stack?.stop();
    process.stdout.write('stopped\n');
    process.exit(code);
  };

  // The dev server is ours to watch: its death is logged at once and it is restarted on the same
  // SQLite file (the worker and the API reconnect by themselves; the API answers 503 meanwhile).
  // Three deaths within five minutes end the stack with exit code 1.
  let restarting = false;
  const onEvent = (e: ServiceEvent) => {
    if (e.service !== 'temporal' || stopping) return;
    if (e.event === 'exited') {
      restarting = true;
      log.error({ code: e.code, signal: e.signal, devServerPid: e.pid, lastOutput: e.output?.slice(-1000) }, 'Temporal dev server exited; restarting it');
    } else if (e.event === 'started' && restarting) {
      restarting = false;
      log.warn({ devServerPid: e.pid }, 'Temporal dev server restarted');
    } else if (e.event === 'gave-up') {
      log.fatal({ err: e.error }, `Temporal dev server ${e.error}: stopping`);
      void stop(1);
    }
  };
  const uiPort = config.TEMPORAL_UI_PORT;
  const devServer = {
    port: Number(config.TEMPORAL_ADDRESS.split(':')[1]),
    uiPort,
    dbFile: path.join(config.dataDir, 'temporal.db'),
    logLevel: 'error',
    codecEndpoint: `http://127.0.0.1:${apiPort}/codec`,
  };
  stack = await launchStack({
    temporal: externalTemporal ? { address: config.TEMPORAL_ADDRESS } : { devServer, restart: { restartDelayMs: 0, giveUp: { deaths: 3, withinMs: 300_000 } } },
    simulator: config.useSimulator
      ? {
          inProcess: {
            port: config.SIMULATOR_PORT,
            log: createLogger('simulator', config.LOG_LEVEL),
            settings: { callbackBaseUrl: config.CALLBACK_BASE_URL, cainfo: cainfoSettingsFrom(config) },
          },
        }
      : undefined,
    env: process.env,
    workers: { inProcess: { log } },
    apis: { inProcess: { log } },
    onEvent,
  });
  const api = stack.api!;
  const sim = stack.sim;

  const lines = [
    'shyb-pay is running',
    `  API + callbacks  ${api.url}   (OpenAPI: ${api.url}/api/openapi.json, docs: ${api.url}/api/docs)`,
    `  finance console  ${api.url}/console${sim ? `   checkout demo: ${api.url}/demo` : ''}`,
    `  Temporal         ${config.TEMPORAL_ADDRESS}${stack.temporal ? `   UI: http://127.0.0.1:${uiPort}   (dev server pid ${stack.temporal.pid})` : ' (external)'}`,
    `  platform         ${config.platformUrl}${sim ? '   (embedded simulator)' : ''}`,
    `  五期              ${config.wuqiUrl}`,
    `  metrics          ${api.metricsUrl ?? `${api.url}/metrics`}   (Temporal SDK: http://127.0.0.1:${sdkMetricsPort}/metrics)`,
    `  data             ${config.dataDir}`,
    'Ctrl-C stops everything. Try: npm run demo',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  onStopSignals(() => stop());
  // a crash of this process takes its children with it (scripts/supervise.ts ties them to us)
  process.once('uncaughtException', (err) => {
    log.fatal({ err: err.message }, 'npm start crashed');
    void stop(1);
  });
  stack.worker!.running.catch((err) => {
    log.fatal({ err: (err as Error).message }, 'worker stopped unexpectedly');
    void stop(1);
  });
}

main().catch((err) => {
  process.stderr.write(`shyb-pay failed to start: ${(err as Error).message}\n`);
  process.exit(1);
});
