import { loadConfigOrExit } from '../common/config';
import { createLogger } from '../common/logger';
import { createWorker } from './create-worker';
import { installRuntime } from './runtime';

// One worker process. Scale out by starting more, each with its own MSGID_INSTANCE (0-9).
async function main() {
  const config = loadConfigOrExit();
  const log = createLogger('worker', config.LOG_LEVEL);
  installRuntime({ sdkMetricsPort: config.METRICS_SDK_PORT, shutdownSignals: ['SIGINT', 'SIGTERM', 'SIGQUIT'] });
  const { worker, connection } = await createWorker({ config, log });
  log.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, temporal: config.TEMPORAL_ADDRESS, platform: config.platformUrl, wuqi: config.wuqiUrl }, 'worker started');
  try {
    await worker.run(); // returns after SIGINT/SIGTERM once in-flight tasks drained
  } finally {
    await connection.close();
    log.info('worker stopped');
  }
}

main().catch((err) => {
  process.stderr.write(`worker: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
