import * as net from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Config } from '../common/config';
import type { Logger } from '../common/logger';
import { registry } from '../common/metrics';
import type { PlatformClient } from '../platform/client';
import { signInHealth } from '../platform/sign-in';
import { apiAuth, callbackAllow } from './auth';
import { callbackRoutes } from './callback-routes';
import { buildWuqiReply } from '../protocol/wuqi';
import { codecRoutes } from './codec-routes';
import { identityRoutes } from './identity-routes';
import { openApiDocument } from './openapi';
import { settlementRoutes } from './settlement-routes';
import type { SettlementService } from './settlement-service';

export function createApp(deps: { service: SettlementService; config: Config; log: Logger; platform?: PlatformClient }) {
  const { service, config, log } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '256kb' }));

  const openapi = openApiDocument();
  app.get('/api/openapi.json', (_req, res) => res.json(openapi));
  app.use('/api', apiAuth(config.apiKeys), settlementRoutes(service, config));
  if (deps.platform) app.use('/api', apiAuth(config.apiKeys), identityRoutes({ client: deps.platform, config, log }));
  app.use('/codec', codecRoutes(config));
  app.use('/shyb', callbackAllow(config.callbackAllow), callbackRoutes(service, log));

  app.get('/metrics', async (_req, res) => {
    res.setHeader('content-type', registry.contentType);
    res.send(await registry.metrics());
  });

  app.get('/healthz', async (_req, res) => {
    const [temporal, platform] = await Promise.all([
      service.client.connection.withDeadline(Date.now() + 2_000, () => service.client.connection.workflowService.getSystemInfo({})).then(() => true, () => false),
      reachable(config.platformUrl),
    ]);
    // signIn: the 9001 state of this process's platform clients (REFUSED = calls go out with sign_no "")
    res.status(temporal ? 200 : 503).json({ temporal: temporal ? 'ok' : 'unreachable', platform: platform ? 'ok' : 'unreachable', platformUrl: config.platformUrl, signIn: signInHealth() });
  });

  app.use((_req, res) => res.status(404).json({ error: 'not found' }));
  // Never a stack trace to the client; body-parser errors are the client's (400/413).
  app.use((err: Error & { type?: string; status?: number }, req: Request, res: Response, _next: NextFunction) => {
    const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
    const message = err.type === 'entity.parse.failed' ? 'body is not valid JSON' : err.type === 'entity.too.large' ? 'body too large' : status === 500 ? 'internal error' : err.message;
    if (status === 500) log.error({ err: err.message, path: req.path }, 'request failed');
    if (req.path.startsWith('/shyb')) {
      return res.status(status).json(req.path.endsWith('/nation') ? { infcode: -1, err_msg: message } : buildWuqiReply({ xxlxm: '', msgid: '', xxfhm: status === 500 ? 'A001' : 'C001', fhxx: message }));
    }
    return res.status(status).json({ error: message });
  });
  return app;
}

function reachable(url: string): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const s = net.connect({ host: u.hostname, port: Number(u.port || (u.protocol === 'https:' ? 443 : 80)) });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(1_000, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}
