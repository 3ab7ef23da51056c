import { randomUUID } from 'node:crypto';
import { WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
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
import { ApiProblem, PROBLEMS, sendProblem, type ProblemCode } from './errors';
import { isTemporalUnavailable, temporalErrorMessage, temporalGate, TemporalProbe, WorkflowNotReady } from './health';
import { openApiDocument } from './openapi';
import { API_ROUTES, mountRoutes } from './routes';
import { Conflict, NotFound, type SettlementService } from './service';

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
      req: (req: { id: string; method: string; url: string; remoteAddress?: string }) => ({
        id: req.id,
        method: req.method,
        url: req.url,
        remoteAddress: req.remoteAddress,
      }),
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

/** An error thrown while serving, as the problem the client gets (api/errors.ts). */
function problemOf(
  err: Error & { type?: string; status?: number },
  temporalAddress: string,
): { code: ProblemCode; detail: string; extra?: { orderNo?: string } } {
  // the service's refusals and the handlers' own: the client's to act on
  if (err instanceof NotFound || err instanceof Conflict)
    return { code: err.code as ProblemCode, detail: err.message, ...(err instanceof Conflict && err.orderNo ? { extra: { orderNo: err.orderNo } } : {}) };
  if (err instanceof ApiProblem) return { code: err.code, detail: err.message, extra: err.extra };
  // Temporal down is a 503 the caller may retry, never a 500; so is a workflow that cannot answer
  // a query yet (its task is being retried after a worker died)
  if (err instanceof WorkflowNotReady) return { code: 'WORKFLOW_NOT_READY', detail: err.message };
  // an update (refund, resolve, remedy) no worker accepted before the RPC's deadline (workers restarting
  // under load): it may still be applied, and each of these updates is idempotent, so the caller retries it
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError)
    return {
      code: 'WORKFLOW_NOT_READY',
      detail: 'no worker accepted the request in time; it may still be applied: send the same request again after Retry-After',
    };
  if (isTemporalUnavailable(err)) return { code: 'TEMPORAL_UNAVAILABLE', detail: temporalErrorMessage(err, temporalAddress) };
  if (err.type === 'entity.too.large' || err.status === 413) return { code: 'PAYLOAD_TOO_LARGE', detail: 'body too large' };
  if (err.type === 'entity.parse.failed') return { code: 'INVALID_BODY', detail: 'body is not valid JSON' };
  if (err.status === 404) return { code: 'NOT_FOUND', detail: err.message }; // a static asset
  // the body's other faults: body-parser's (charset, encoding) and ours (api/body-guards.ts)
  if (err.status && err.status >= 400 && err.status < 500) return { code: 'INVALID_BODY', detail: err.message };
  return { code: 'INTERNAL_ERROR', detail: 'internal error' };
}

/** simulatorUrl: the embedded simulator, when it stands in for the platform; it enables /demo. */
export function createApp(deps: {
  service: SettlementService;
  config: Config;
  log: Logger;
  probe?: TemporalProbe;
  simulatorUrl?: string;
  platform?: PlatformClient;
}) {
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
    handler: (_req, res) =>
      void sendProblem(res, 'RATE_LIMITED', `more than ${config.RATE_LIMIT_PER_MINUTE} requests in a minute from this address; retry after RateLimit-Reset`),
  });
  app.use('/api', limiter, apiAuth(config.apiKeyEntries), temporalGate(probe));
  // every route of the contract (api/routes): the keyed ones under /api, the health ones public
  mountRoutes(app, API_ROUTES, { service, config, log, probe, ...(deps.platform ? { platform: deps.platform } : {}) });
  app.use('/console', consoleRoutes(config));
  if (deps.simulatorUrl) app.use('/demo', demoRoutes(config, deps.simulatorUrl));
  app.use('/codec', codecRoutes(config));
  app.use('/shyb', callbackAllow(config.callbackAllow), callbackRoutes(service.pushes, log));

  // Behind the API's auth (role ops), unless served on its own port (API_METRICS_PORT, api/server.ts).
  if (!config.API_METRICS_PORT) app.get('/metrics', apiAuth(config.apiKeyEntries, ['ops']), metricsHandler());

  app.use((req, res) => sendProblem(res, 'NOT_FOUND', `no ${req.method} ${req.path}`));
  // Never a stack trace to the client; body-parser and body-guard errors are the client's (4xx).
  app.use((err: Error & { type?: string; status?: number }, req: Request, res: Response, _next: NextFunction) => {
    const p = problemOf(err, config.TEMPORAL_ADDRESS);
    const status = PROBLEMS[p.code].status;
    if (status === 503) res.setHeader('Retry-After', '2');
    if (p.code === 'WORKFLOW_NOT_READY')
      log.warn({ err: err.message, cause: (err.cause as Error | undefined)?.message, path: req.path }, 'query not answered: 503');
    if (status === 500) log.error({ err: err.message, cause: (err.cause as Error | undefined)?.message, path: req.path }, 'request failed');
    if (req.path.startsWith('/shyb')) {
      return res
        .status(status)
        .json(
          req.path.endsWith('/nation')
            ? { infcode: -1, err_msg: p.detail }
            : buildWuqiReply({ xxlxm: '', msgid: '', xxfhm: status >= 500 ? 'A001' : 'C001', fhxx: p.detail }),
        );
    }
    return sendProblem(res, p.code, p.detail, p.extra);
  });
  return app;
}
