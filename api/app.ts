import express, { type NextFunction, type Request, type Response } from 'express';
import type { Config } from '../common/config';
import type { Logger } from '../common/logger';
import { registry } from '../common/metrics';
import { apiAuth, callbackAllow } from './auth';
import { callbackRoutes } from './callback-routes';
import { codecRoutes } from './codec-routes';
import { healthRoutes, isTemporalUnavailable, temporalErrorMessage, temporalGate, TemporalProbe } from './health';
import { openApiDocument } from './openapi';
import { settlementRoutes } from './settlement-routes';
import type { SettlementService } from './settlement-service';

export function createApp(deps: { service: SettlementService; config: Config; log: Logger; probe?: TemporalProbe }) {
  const { service, config, log } = deps;
  const probe = deps.probe ?? new TemporalProbe(service.client, config.TEMPORAL_ADDRESS);
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '256kb' }));

  const openapi = openApiDocument();
  app.get('/api/openapi.json', (_req, res) => res.json(openapi));
  app.use('/api', apiAuth(config.apiKeys), temporalGate(probe), settlementRoutes(service, config));
  app.use('/codec', codecRoutes(config));
  app.use('/shyb', callbackAllow(config.callbackAllow), callbackRoutes(service, log));

  app.get('/metrics', async (_req, res) => {
    res.setHeader('content-type', registry.contentType);
    res.send(await registry.metrics());
  });

  app.use(healthRoutes(probe, config.platformUrl));

  app.use((_req, res) => res.status(404).json({ error: 'not found' }));
  // Never a stack trace to the client; body-parser errors are the client's (400/413).
  app.use((err: Error & { type?: string; status?: number }, req: Request, res: Response, _next: NextFunction) => {
    // Temporal down is a 503 the caller may retry, never a 500
    const down = isTemporalUnavailable(err);
    if (down) res.setHeader('Retry-After', '2');
    const status = down ? 503 : err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
    const message = down ? temporalErrorMessage(err, config.TEMPORAL_ADDRESS) : err.type === 'entity.parse.failed' ? 'body is not valid JSON' : err.type === 'entity.too.large' ? 'body too large' : status === 500 ? 'internal error' : err.message;
    if (status === 500) log.error({ err: err.message, path: req.path }, 'request failed');
    if (req.path.startsWith('/shyb')) {
      return res.status(status).json(req.path.endsWith('/nation') ? { infcode: -1, err_msg: message } : { xxfhm: status >= 500 ? 'A001' : 'C001', fhxx: message });
    }
    return res.status(status).json({ error: message });
  });
  return app;
}
