import { randomUUID } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import type pino from 'pino';
import { pinoHttp } from 'pino-http';
import swaggerUi from 'swagger-ui-express';
import type { Config } from '../common/config';
import { withLogContext, type Logger } from '../common/logger';
import { httpRequestDuration, registry } from '../common/metrics';
import type { PlatformClient } from '../platform/client';
import { apiAuth, callbackAllow } from './auth';
import { refuseDeepJson, refuseInvalidUtf8 } from './body-guards';
import { callbackRoutes } from './callback-routes';
import { buildWuqiReply } from '../protocol/wuqi';
import { codecRoutes } from './codec-routes';
import { consoleRoutes } from './console/routes';
import { demoRoutes } from './demo-page/routes';
import { healthRoutes, isTemporalUnavailable, temporalErrorMessage, temporalGate, TemporalProbe, WorkflowNotReady } from './health';
import { identityRoutes } from './identity-routes';
import { openApiDocument } from './openapi';
import { settlementRoutes } from './settlement-routes';
import type { SettlementService } from './settlement-service';

const REQUEST_ID = /^[\w.:@/+=-]{1,128}$/;

/** X-Request-Id: the caller's if it is a sane token, else a fresh UUID; echoed on the response. */
function requestId(req: Request, res: Response): string {
  const given = req.header('x-request-id');
  const id = given && REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('x-request-id', id);
  return id;
}

/** Prometheus scrapes and orchestrator probes would drown the access log at info. */
const QUIET_PATHS = new Set(['/metrics', '/healthz', '/livez', '/readyz']);

/** The access log and the request context: every line logged while serving carries requestId. */
function accessLog(log: Logger) {
  const logger = pinoHttp<Request, Response, never>({
    logger: log.child({ component: 'http' }) as unknown as pino.Logger<never>,
    genReqId: requestId,
    // never headers: authorization holds a key
    serializers: {
      req: (req: { id: string; method: string; url: string; remoteAddress?: string }) => ({ id: req.id, method: req.method, url: req.url, remoteAddress: req.remoteAddress }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    autoLogging: { ignore: (req) => req.url !== undefined && QUIET_PATHS.has(req.url) },
  });
  return (req: Request, res: Response, next: NextFunction) => logger(req, res, () => withLogContext({ requestId: String(req.id) }, next));
}

/** http_request_duration_seconds by route template, observed when the response is sent. */
function httpMetrics(req: Request, res: Response, next: NextFunction) {
  const end = httpRequestDuration.startTimer();
  res.once('finish', () => {
    const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : req.baseUrl || (res.statusCode === 404 ? 'unmatched' : req.path);
    end({ method: req.method, route, status_code: String(res.statusCode) });
  });
  next();
}

export function metricsHandler() {
  return async (_req: Request, res: Response) => {
    res.setHeader('content-type', registry.contentType);
    res.send(await registry.metrics());
  };
}

/** simulatorUrl: the embedded simulator, when it stands in for the platform; it enables /demo. */
export function createApp(deps: { service: SettlementService; config: Config; log: Logger; probe?: TemporalProbe; simulatorUrl?: string; platform?: PlatformClient }) {
  const { service, config, log } = deps;
  const probe = deps.probe ?? new TemporalProbe(service.client, config.TEMPORAL_ADDRESS);
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.use(accessLog(log));
  app.use(httpMetrics);
  // The pages (/console, /demo, /api/docs) load external scripts only, so helmet's default CSP
  // holds; upgrade-insecure-requests is dropped because the API is also served over plain http
  // (loopback, behind a TLS-terminating proxy), where it would break the pages' own requests.
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  app.use(express.json({ limit: '256kb', verify: refuseInvalidUtf8 }));
  app.use(refuseDeepJson);

  const openapi = openApiDocument({ serverUrl: config.publicUrl });
  app.get('/api/openapi.json', (_req, res) => res.json(openapi));
  app.use('/api/docs', swaggerUi.serve, swaggerUi.setup(openapi, { customSiteTitle: 'shyb-pay API' }));
  // Per client address; the HIS's servers are few and busy, so the default is generous (6000/min).
  const limiter = rateLimit({
    windowMs: 60_000,
    limit: config.RATE_LIMIT_PER_MINUTE,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (_req, res) => void res.status(429).json({ error: 'too many requests, retry later' }),
  });
  app.use('/api', limiter, apiAuth(config.apiKeys), temporalGate(probe), settlementRoutes(service, config));
  // POST /api/identities: SE01, SM01, 1101 through the platform client (no Temporal needed)
  if (deps.platform) app.use('/api', limiter, apiAuth(config.apiKeys), identityRoutes({ client: deps.platform, config, log }));
  app.use('/console', consoleRoutes(config));
  if (deps.simulatorUrl) app.use('/demo', demoRoutes(config, deps.simulatorUrl));
  app.use('/codec', codecRoutes(config));
  app.use('/shyb', callbackAllow(config.callbackAllow), callbackRoutes(service, log));

  // Behind the API's auth, unless served on its own port (API_METRICS_PORT, api/server.ts).
  if (!config.API_METRICS_PORT) app.get('/metrics', apiAuth(config.apiKeys), metricsHandler());

  app.use(healthRoutes(probe, config.platformUrl));

  app.use((_req, res) => res.status(404).json({ error: 'not found' }));
  // Never a stack trace to the client; body-parser and body-guard errors are the client's (4xx).
  app.use((err: Error & { type?: string; status?: number }, req: Request, res: Response, _next: NextFunction) => {
    // Temporal down is a 503 the caller may retry, never a 500
    // so is a workflow that cannot answer a query yet (its task is being retried after a worker died)
    const notReady = err instanceof WorkflowNotReady;
    const down = notReady || isTemporalUnavailable(err);
    if (down) res.setHeader('Retry-After', '2');
    const status = down ? 503 : err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
    const message = notReady ? err.message : down ? temporalErrorMessage(err, config.TEMPORAL_ADDRESS) : err.type === 'entity.parse.failed' ? 'body is not valid JSON' : err.type === 'entity.too.large' ? 'body too large' : status === 500 ? 'internal error' : err.message;
    if (notReady) log.warn({ err: err.message, cause: (err.cause as Error | undefined)?.message, path: req.path }, 'query not answered: 503');
    if (status === 500) log.error({ err: err.message, cause: (err.cause as Error | undefined)?.message, path: req.path }, 'request failed');
    if (req.path.startsWith('/shyb')) {
      return res.status(status).json(req.path.endsWith('/nation') ? { infcode: -1, err_msg: message } : buildWuqiReply({ xxlxm: '', msgid: '', xxfhm: status >= 500 ? 'A001' : 'C001', fhxx: message }));
    }
    return res.status(status).json({ error: message });
  });
  return app;
}
