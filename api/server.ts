import type { Server } from 'node:http';
import { temporalConnectionOptions } from '../common/temporal-connection';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import type { Config } from '../common/config';
import { dataConverter } from '../common/data-converter';
import type { Logger } from '../common/logger';
import { sharedPlatformClient } from '../platform/shared';
import { createApp } from './app';
import { SettlementService } from './settlement-service';

export interface ApiServer {
  url: string;
  port: number;
  service: SettlementService;
  close(): Promise<void>;
}

/** Starts the HTTP API and the callback receiver on one port. */
export async function startApi(config: Config, log: Logger, opts: { port?: number; host?: string } = {}): Promise<ApiServer> {
  const connection = await Connection.connect({ ...temporalConnectionOptions(config), connectTimeout: '5s' });
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: dataConverter(config) });
  const service = new SettlementService(client, config, log);
  // the API's own platform client (shared with a worker in the same process): POST /api/identities
  const app = createApp({ service, config, log, platform: sharedPlatformClient(config, log) });
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
      await new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      });
      await service.drain();
      await connection.close();
    },
  };
}
