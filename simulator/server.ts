import { createServer, type Server } from 'node:http';
import { listen } from '../common/listen';
import { createLogger, type Logger } from '../common/logger';
import { createSimulatorApp } from './http';
import { SimPlatform, type SimSettings } from './platform';

export interface Simulator {
  url: string;
  port: number;
  platform: SimPlatform;
  close(): Promise<void>;
}

/** Starts the platform simulator (in tests, in `npm start`, or alone with `npm run simulator`). */
export async function startSimulator(
  opts: { port?: number; host?: string; mode?: 'test' | 'prod'; settings?: Partial<SimSettings>; log?: Logger } = {},
): Promise<Simulator> {
  const log = opts.log ?? createLogger('simulator');
  const platform = new SimPlatform(opts.settings ?? {}, log);
  const app = createSimulatorApp(platform, log, { mode: opts.mode ?? 'test' });
  const server: Server = createServer(app);
  const port = await listen(server, opts.port ?? 0, opts.host ?? '127.0.0.1', 'the simulator');
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    platform,
    close: () =>
      new Promise<void>((resolve) => {
        platform.stop();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
