import { loadConfigOrExit } from '../common/config';
import * as http from 'node:http';
import { createLogger } from '../common/logger';
import { registry } from '../common/metrics';
import type { Worker } from '@temporalio/worker';
import { signInHealth, signOutAll } from '../platform/sign-in';
import { createWorker } from './create-worker';
import { installRuntime } from './runtime';

// One worker process. Scale out by starting more, each with its own MSGID_INSTANCE (0-9).
async function main() {
  const config = loadConfigOrExit();
  const log = createLogger('worker', config.LOG_LEVEL);
  installRuntime({ sdkMetricsPort: config.METRICS_SDK_PORT, metricsHost: config.METRICS_HOST, shutdownSignals: ['SIGINT', 'SIGTERM', 'SIGQUIT'], log });
  const { worker, connection } = await createWorker({ config, log });
  const metrics = config.WORKER_METRICS_PORT ? serveMetrics(config.WORKER_METRICS_PORT, config.METRICS_HOST, worker) : undefined;
  log.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, temporal: config.TEMPORAL_ADDRESS, platform: config.platformUrl, wuqi: config.wuqiUrl }, 'worker started');
  try {
    await worker.run(); // returns after SIGINT/SIGTERM once in-flight tasks drained
  } finally {
    await signOutAll(); // 9002 on clean shutdown (national §5.8.1.2)
    metrics?.close();
    await connection.close();
    log.info('worker stopped');
  }
}

/**
 * The worker's own HTTP endpoint: /metrics (the outcome, poll and SE02 metrics are counted in this
 * process), /livez (the process answers) and /readyz (the worker is polling its task queue).
 */
function serveMetrics(port: number, host: string, worker: Worker) {
  return http
    .createServer((req, res) => {
      if (req.url === '/livez') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      if (req.url === '/readyz') {
        const state = worker.getState();
        return void res.writeHead(state === 'RUNNING' ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ state }));
      }
      // the worker's 9001 sign-in state (REFUSED = national calls go out with sign_no "")
      if (req.url === '/healthz') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ signIn: signInHealth() }));
      if (req.url !== '/metrics') return void res.writeHead(404).end();
      void registry.metrics().then((body) => res.writeHead(200, { 'content-type': registry.contentType }).end(body));
    })
    .listen(port, host);
}

main().catch((err) => {
  process.stderr.write(`worker: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
