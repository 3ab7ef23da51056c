import type { Server } from 'node:http';
import { temporalConnectionOptions } from '../common/temporal-connection';
import type { AddressInfo } from 'node:net';
import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import type { Config } from '../common/config';
import { dataConverter } from '../common/data-converter';
import type { Logger } from '../common/logger';
import { createApp } from './app';
import { TemporalProbe } from './health';
import { SettlementService } from './settlement-service';

export interface ApiServer {
  url: string;
  port: number;
  service: SettlementService;
  close(): Promise<void>;
}

/** Starts the HTTP API and the callback receiver on one port. */
export async function startApi(config: Config, log: Logger, opts: { port?: number; host?: string; simulatorUrl?: string } = {}): Promise<ApiServer> {
  // A request must not wait out the SDK's default retries (10 attempts, ~20 s) while Temporal is
  // down: 4 attempts (~1 s) absorb a blip, then the error handler answers 503.
  const interceptors = [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 4 }))];
  const connection = await Connection.connect({ ...temporalConnectionOptions(config), connectTimeout: '5s', interceptors });
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: dataConverter(config) });
  const service = new SettlementService(client, config, log);
  const probe = new TemporalProbe(client, config.TEMPORAL_ADDRESS).start();
  const simulatorUrl = opts.simulatorUrl ?? (config.useSimulator ? `http://127.0.0.1:${config.SIMULATOR_PORT}` : undefined);
  const app = createApp({ service, config, log, probe, simulatorUrl });
  if (config.apiKeys.length === 0) log.warn('API_KEYS is not set: the API accepts loopback clients only');
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(opts.port ?? config.API_PORT, opts.host ?? '0.0.0.0', () => resolve(s));
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    service,
    close: async () => {
      await probe.stop();
      await new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      });
      await service.drain();
      await connection.close();
    },
  };
}
