import { loadConfigOrExit } from '../../../common/config';
import { createLogger } from '../../../common/logger';
import { signOutAll } from '../../../platform/sign-in';
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
  try {
    await worker.run();
  } finally {
    await signOutAll();
    await connection.close();
  }
}

main().catch((err) => {
  process.stderr.write(`bench worker: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
