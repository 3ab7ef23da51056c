import * as path from 'node:path';
import { startApi } from '../api/server';
import { loadConfigOrExit, loadDotEnv } from '../common/config';
import { createLogger } from '../common/logger';
import { signOutAll } from '../platform/sign-in';
import { cainfoSettingsFrom } from '../simulator/national';
import { startSimulator } from '../simulator/server';
import { createWorker } from '../worker/create-worker';
import { installRuntime } from '../worker/runtime';
import { startDevServer, type DevServer } from './dev-server';
import { onStopSignals } from '../common/stop-signals';

// `npm start`: the whole stack on one machine. Temporal dev server (SQLite under DATA_DIR) unless
// TEMPORAL_ADDRESS is set, the worker, the API, and the platform simulator unless a real 前置机 is
// configured (PLATFORM_URL / WUQI_URL).
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

  let temporal: DevServer | undefined;
  const uiPort = config.TEMPORAL_UI_PORT;
  const devOptions = { port: Number(config.TEMPORAL_ADDRESS.split(':')[1]), uiPort, dbFile: path.join(config.dataDir, 'temporal.db'), logLevel: 'error', codecEndpoint: `http://127.0.0.1:${apiPort}/codec` };
  if (!externalTemporal) temporal = await startDevServer(devOptions);
  const sim = config.useSimulator
    ? await startSimulator({ port: config.SIMULATOR_PORT, log: createLogger('simulator', config.LOG_LEVEL), settings: { callbackBaseUrl: config.CALLBACK_BASE_URL, cainfo: cainfoSettingsFrom(config) } })
    : undefined;
  const { worker, connection } = await createWorker({ config, log });
  const running = worker.run();
  const api = await startApi(config, log);

  const lines = [
    'shyb-pay is running',
    `  API + callbacks  ${api.url}   (OpenAPI: ${api.url}/api/openapi.json, docs: ${api.url}/api/docs)`,
    `  finance console  ${api.url}/console${sim ? `   checkout demo: ${api.url}/demo` : ''}`,
    `  Temporal         ${config.TEMPORAL_ADDRESS}${temporal ? `   UI: http://127.0.0.1:${uiPort}   (dev server pid ${temporal.process.pid})` : ' (external)'}`,
    `  platform         ${config.platformUrl}${sim ? '   (embedded simulator)' : ''}`,
    `  五期              ${config.wuqiUrl}`,
    `  metrics          ${api.metricsUrl ?? `${api.url}/metrics`}   (Temporal SDK: http://127.0.0.1:${sdkMetricsPort}/metrics)`,
    `  data             ${config.dataDir}`,
    'Ctrl-C stops everything. Try: npm run demo',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const stop = async (code = 0) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('stopping...\n');
    worker.shutdown();
    await running.catch(() => undefined);
    await connection.close();
    await api.close();
    await signOutAll(); // 9002 before the simulator goes

    await sim?.close();
    await temporal?.stop();
    process.stdout.write('stopped\n');
    process.exit(code);
  };

  // The dev server is ours to watch: its death is logged at once and it is restarted on the same
  // SQLite file (the worker and the API reconnect by themselves; the API answers 503 meanwhile).
  // Three deaths within five minutes end the stack with exit code 1.
  const deaths: number[] = [];
  const watch = (server: DevServer) =>
    server.process.once('exit', (code, signal) => {
      if (stopping) return;
      log.error({ code, signal, devServerPid: server.process.pid, lastOutput: server.output().slice(-1000) }, 'Temporal dev server exited; restarting it');
      deaths.push(Date.now());
      if (deaths.filter((t) => Date.now() - t < 300_000).length >= 3) {
        log.fatal('Temporal dev server died 3 times within 5 minutes: stopping');
        return void stop(1);
      }
      startDevServer(devOptions).then(
        (next) => {
          temporal = next;
          log.warn({ devServerPid: next.process.pid }, 'Temporal dev server restarted');
          watch(next);
        },
        (err) => {
          log.fatal({ err: (err as Error).message }, 'Temporal dev server could not be restarted: stopping');
          void stop(1);
        },
      );
    });
  if (temporal) watch(temporal);
  onStopSignals(() => stop());
  // a crash of this process takes its children with it (scripts/supervise.ts ties them to us)
  process.once('uncaughtException', (err) => {
    log.fatal({ err: err.message }, 'npm start crashed');
    void stop(1);
  });
  running.catch((err) => {
    log.fatal({ err: (err as Error).message }, 'worker stopped unexpectedly');
    void stop(1);
  });
}

main().catch((err) => {
  process.stderr.write(`shyb-pay failed to start: ${(err as Error).message}\n`);
  process.exit(1);
});
