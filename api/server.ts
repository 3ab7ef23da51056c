import { createServer, type Server } from 'node:http';
import { temporalConnectionOptions } from '../common/temporal-connection';
import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import express from 'express';
import type { Config } from '../common/config';
import { dataConverter } from '../common/data-converter';
import { listen } from '../common/listen';
import type { Logger } from '../common/logger';
import { RequestIdClientInterceptor } from '../common/request-id';
import { createApp, metricsHandler } from './app';
import { TemporalProbe } from './health';
import { sharedPlatformClient } from '../platform/shared';
import { createSettlementService, type SettlementService } from './service';
import { countReviewBacklogWith, readCentreCheckWith } from '../common/metrics';
import { CentreChecks } from './centre-checks';
import { requireClaimNamespace } from '../activities/claim-activities';

export interface ApiServer {
  url: string;
  port: number;
  /** Set when /metrics has its own port (API_METRICS_PORT). */
  metricsUrl?: string;
  service: SettlementService;
  close(): Promise<void>;
}

/**
 * Slow and idle clients are cut off: headers must arrive within HTTP_HEADERS_TIMEOUT_MS and the
 * whole request within HTTP_REQUEST_TIMEOUT_MS (the response may take longer: ?wait= long-polls);
 * an idle keep-alive connection closes after HTTP_KEEPALIVE_TIMEOUT_MS.
 */
function applyTimeouts(server: Server, config: Config) {
  server.headersTimeout = config.HTTP_HEADERS_TIMEOUT_MS;
  server.requestTimeout = Math.max(config.HTTP_REQUEST_TIMEOUT_MS, config.HTTP_HEADERS_TIMEOUT_MS);
  server.keepAliveTimeout = config.HTTP_KEEPALIVE_TIMEOUT_MS;
  // Node's headersTimeout only starts with the first byte: a connection that never sends one would
  // stay open forever. Until its first request arrives, a socket has headersTimeout to live.
  server.on('connection', (socket) => {
    socket.setTimeout(config.HTTP_HEADERS_TIMEOUT_MS);
    socket.once('timeout', () => socket.destroy());
  });
  server.on('request', (req) => req.socket.setTimeout(0));
}

async function stop(server: Server) {
  await new Promise<void>((r) => {
    server.close(() => r());
    server.closeAllConnections();
  });
}

/** Starts the HTTP API and the callback receiver on one port (loopback only without API_KEYS). */
export async function startApi(
  config: Config,
  log: Logger,
  opts: { port?: number; host?: string; simulatorUrl?: string; workerConnection?: NativeConnection } = {},
): Promise<ApiServer> {
  // A request must not wait out the SDK's default retries (10 attempts, ~20 s) while Temporal is
  // down: 4 attempts (~1 s) absorb a blip, then the error handler answers 503.
  const grpcInterceptors = [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 4 }))];
  // EAGER_START=on with a worker in this process: the API's client shares the worker's connection, so the
  // server can hand a settlement's first workflow task straight back to that worker (Eager Workflow Start).
  // That connection retries as the SDK core does (about 10 s while Temporal is down), not as above.
  const shared = config.EAGER_START === 'on' ? opts.workerConnection : undefined;
  if (config.EAGER_START === 'on' && !shared)
    log.warn('EAGER_START=on has no effect here: no worker runs in this process (npm start runs one); settlements start as usual');
  const connection = shared ?? (await Connection.connect({ ...temporalConnectionOptions(config), connectTimeout: '5s', interceptors: grpcInterceptors }));
  const own = shared ? undefined : (connection as Connection);
  const client = new Client({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter: dataConverter(config),
    interceptors: { workflow: [new RequestIdClientInterceptor()] },
  });
  await requireClaimNamespace(client.workflowService, config).catch(async (err: unknown) => {
    await own?.close();
    throw err;
  });
  const service = createSettlementService(client, config, log, { eagerStart: !!shared });
  // shyb_review_backlog: the review queue as visibility counts it, at each scrape
  countReviewBacklogWith(async () =>
    Number(
      (await client.workflow.count(`WorkflowType = "settlement" AND TaskQueue = "${config.TEMPORAL_TASK_QUEUE}" AND SettlementStatus = "NEEDS_REVIEW"`)).count,
    ),
  );
  // shyb_centre_check_differences: the previous Shanghai day's check (the Schedule's), read at each scrape
  readCentreCheckWith(() => new CentreChecks(client, config).lastDifferences());
  const probe = new TemporalProbe(client, config.TEMPORAL_ADDRESS).start();
  const simulatorUrl = opts.simulatorUrl ?? (config.useSimulator ? `http://127.0.0.1:${config.SIMULATOR_PORT}` : undefined);
  // the API's own platform client (shared with a worker in the same process): POST /api/identities
  const app = createApp({ service, config, log, probe, simulatorUrl, platform: sharedPlatformClient(config, log) });
  if (config.apiKeys.length === 0)
    log.warn({ host: config.apiHost }, 'API_KEYS is not set: the API listens on loopback and accepts direct loopback clients only');
  // connectionsCheckingInterval: how often the timeouts above are enforced (Node's default is 30 s)
  const server = createServer({ connectionsCheckingInterval: Math.min(1_000, config.HTTP_HEADERS_TIMEOUT_MS) }, app);
  applyTimeouts(server, config);
  const port = await listen(server, opts.port ?? config.API_PORT, opts.host ?? config.apiHost, 'the API');

  let metricsServer: Server | undefined;
  let metricsUrl: string | undefined;
  if (config.API_METRICS_PORT) {
    const m = express();
    m.get('/metrics', metricsHandler());
    metricsServer = createServer(m);
    const mport = await listen(metricsServer, config.API_METRICS_PORT, config.METRICS_HOST, "the API's /metrics");
    metricsUrl = `http://127.0.0.1:${mport}/metrics`;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    ...(metricsUrl ? { metricsUrl } : {}),
    service,
    close: async () => {
      await probe.stop();
      await stop(server);
      if (metricsServer) await stop(metricsServer);
      await service.pushes.drain();
      await own?.close(); // a shared worker connection is the worker's to close
    },
  };
}
