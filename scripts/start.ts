import * as path from 'node:path';
import { startApi } from '../api/server';
import { loadConfigOrExit } from '../common/config';
import { createLogger } from '../common/logger';
import { signOutAll } from '../platform/sign-in';
import { startSimulator } from '../simulator/server';
import { createWorker } from '../worker/create-worker';
import { installRuntime } from '../worker/runtime';
import { startDevServer, type DevServer } from './dev-server';

// `npm start`: the whole stack on one machine. Temporal dev server (SQLite under DATA_DIR) unless
// TEMPORAL_ADDRESS is set, the worker, the API, and the platform simulator unless a real 前置机 is
// configured (PLATFORM_URL / WUQI_URL).
async function main() {
  const externalTemporal = process.env.TEMPORAL_ADDRESS !== undefined;
  if (!externalTemporal) process.env.TEMPORAL_ADDRESS = `127.0.0.1:${process.env.TEMPORAL_DEV_PORT ?? 7233}`;
  const apiPort = Number(process.env.API_PORT ?? 3000);
  process.env.CALLBACK_BASE_URL ??= `http://127.0.0.1:${apiPort}/shyb`;
  const config = loadConfigOrExit();
  const log = createLogger('shyb-pay', config.LOG_LEVEL);
  const sdkMetricsPort = config.METRICS_SDK_PORT ?? 9464;
  installRuntime({ sdkMetricsPort, shutdownSignals: [] });

  let temporal: DevServer | undefined;
  const uiPort = Number(process.env.TEMPORAL_UI_PORT ?? 8233);
  if (!externalTemporal) {
    const port = Number(config.TEMPORAL_ADDRESS.split(':')[1]);
    temporal = await startDevServer({ port, uiPort, dbFile: path.join(config.dataDir, 'temporal.db'), logLevel: 'error', codecEndpoint: `http://127.0.0.1:${apiPort}/codec` });
  }
  const sim = config.useSimulator
    ? await startSimulator({ port: config.SIMULATOR_PORT, log: createLogger('simulator', config.LOG_LEVEL), settings: { callbackBaseUrl: config.CALLBACK_BASE_URL } })
    : undefined;
  const { worker, connection } = await createWorker({ config, log });
  const running = worker.run();
  const api = await startApi(config, log);

  const lines = [
    'shyb-pay is running',
    `  API + callbacks  ${api.url}   (OpenAPI: ${api.url}/api/openapi.json)`,
    `  Temporal         ${config.TEMPORAL_ADDRESS}${temporal ? `   UI: http://127.0.0.1:${uiPort}` : ' (external)'}`,
    `  platform         ${config.platformUrl}${sim ? '   (embedded simulator)' : ''}`,
    `  五期              ${config.wuqiUrl}`,
    `  metrics          ${api.url}/metrics   (Temporal SDK: http://127.0.0.1:${sdkMetricsPort}/metrics)`,
    `  data             ${config.dataDir}`,
    'Ctrl-C stops everything. Try: npm run demo',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const stop = async () => {
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
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  running.catch((err) => {
    log.fatal({ err: (err as Error).message }, 'worker stopped unexpectedly');
    void stop();
  });
}

main().catch((err) => {
  process.stderr.write(`shyb-pay failed to start: ${(err as Error).message}\n`);
  process.exit(1);
});
