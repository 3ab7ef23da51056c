import { loadConfigOrExit } from '../../../common/config';
import { createLogger } from '../../../common/logger';
import { signOutAll } from '../../../platform/sign-in';
import { startApi } from '../../../api/server';
import { createWorker } from '../../../worker/create-worker';
import { installRuntime } from '../../../worker/runtime';
import { floorActivities } from './activities';

// The bench's worker process: the production worker plus the floor's activity. Its bundle is built
// from ./workflows.ts (WORKFLOW_BUNDLE_PATH), so the floor never ships in the production bundle.
async function main() {
  const config = loadConfigOrExit();
  const log = createLogger('bench-worker', config.LOG_LEVEL);
  installRuntime({ metricsHost: config.METRICS_HOST, shutdownSignals: ['SIGINT', 'SIGTERM'], log });
  const { worker, connection } = await createWorker({ config, log, extraActivities: floorActivities });
  // npm run bench -- --embedded: the API in this process too, as npm start runs it (with EAGER_START, on the worker's connection)
  const port = process.env.BENCH_API_PORT;
  const api = port ? await startApi(config, log, { port: Number(port), host: '127.0.0.1', workerConnection: connection }) : undefined;
  try {
    await worker.run();
  } finally {
    await api?.close();
    await signOutAll();
    await connection.close();
  }
}

main().catch((err) => {
  process.stderr.write(`bench worker: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
