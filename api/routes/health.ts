import * as net from 'node:net';
import { signInHealth } from '../../platform/sign-in';
import { refusal } from '../auth';
import { healthSchema, livenessSchema } from '../schemas';
import { json } from './responses';
import { defineRoute, SENT, type ApiRoute } from './route';

/**
 * /livez: the process answers (restart it if not). /readyz: it can serve, i.e. Temporal answers;
 * the platform's reachability is reported but does not make the API unready (the workflows wait
 * out a platform outage). /healthz is kept as an alias of /readyz.
 */
const readiness = (path: string, operationId: string, summary: string): ApiRoute =>
  defineRoute({
    method: 'get',
    path,
    operationId,
    tag: 'operations',
    summary,
    description: 'Without a key only the states; with a valid key also the platform address and the 9001 sign-in record.',
    access: 'public',
    input: {},
    ok: { status: 200, description: 'ready', schema: healthSchema },
    problems: [],
    otherResponses: { 503: { description: 'Temporal unreachable', ...json(healthSchema) } },
    handler: async (_input, { deps, req, res }) => {
      const { probe, config } = deps;
      const [temporal, platform] = await Promise.all([probe.answers(), reachable(config.platformUrl)]);
      const states = { status: temporal ? 'ok' : 'unavailable', temporal: temporal ? 'ok' : 'unreachable', platform: platform ? 'ok' : 'unreachable' } as const;
      // the platform's address and the sign-in record (opter_no, errors) are for callers with a key;
      // signIn: this process's 9001 state (REFUSED = national calls go out with sign_no "")
      const details = refusal(config.apiKeys, req) === undefined ? { platformUrl: config.platformUrl, signIn: signInHealth() } : {};
      res.status(temporal ? 200 : 503).json({ ...states, ...details });
      return SENT;
    },
  });

export const getReadiness = readiness(
  '/readyz',
  'getReadiness',
  'Readiness: Temporal answers (the platform reachability is reported, it does not make the API unready)',
);
export const getHealth = readiness('/healthz', 'getHealth', 'Alias of /readyz: Temporal and platform reachability');

export const getLiveness = defineRoute({
  method: 'get',
  path: '/livez',
  operationId: 'getLiveness',
  tag: 'operations',
  summary: 'Liveness: the process answers',
  access: 'public',
  input: {},
  ok: { status: 200, description: 'alive', schema: livenessSchema },
  problems: [],
  handler: async () => ({ status: 'ok' as const }),
});

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
