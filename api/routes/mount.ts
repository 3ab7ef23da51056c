import type { Request, Response, Router } from 'express';
import type { z } from 'zod';
import { callerOf, roleRefusal } from '../auth';
import { badRequest, sendProblem } from '../errors';
import { SENT, type ApiRoute, type RouteDeps, type RouteInput } from './route';

/** /api/settlements/{orderNo} → /api/settlements/:orderNo */
export const expressPath = (openApiPath: string) => openApiPath.replace(/\{(\w+)\}/g, ':$1');

type Part = keyof RouteInput;
const PARTS: Part[] = ['params', 'query', 'body', 'headers'];

function raw(req: Request, part: Part, schema: z.ZodTypeAny): unknown {
  if (part !== 'headers') return req[part];
  const names = Object.keys((schema as z.AnyZodObject).shape);
  return Object.fromEntries(names.map((n) => [n, req.header(n)]).filter(([, v]) => v !== undefined));
}

/** Validates each declared part in turn; the first that fails is the 400 (its fields in details). */
function parse(route: ApiRoute, req: Request): { ok: true; input: Record<Part, unknown> } | { ok: false; error: z.ZodError } {
  const input = {} as Record<Part, unknown>;
  for (const part of PARTS) {
    const schema = route.input[part];
    if (!schema) continue;
    const r = schema.safeParse(raw(req, part, schema));
    if (!r.success) return { ok: false, error: r.error };
    input[part] = r.data;
  }
  return { ok: true, input };
}

/**
 * Mounts the routes on the app. Keyed routes sit under /api, behind the key, rate limit and
 * Temporal gate that app.ts puts there; a thrown error goes to the app's error handler.
 */
export function mountRoutes(router: Router, routes: readonly ApiRoute[], deps: RouteDeps): void {
  for (const route of routes) {
    if (route.needs === 'platform' && !deps.platform) continue;
    router[route.method](expressPath(route.path), async (req: Request, res: Response) => {
      // the key was checked under /api (app.ts); here its role: a 403 before the input is even read
      const forbidden = route.access === 'public' ? undefined : roleRefusal(callerOf(res), route.access);
      if (forbidden) return sendProblem(res, 'FORBIDDEN', forbidden);
      const p = parse(route, req);
      if (!p.ok) return badRequest(res, p.error);
      const out = await route.handler(p.input as never, { deps, req, res });
      if (out !== SENT) res.status(route.ok.status).json(out);
      return undefined;
    });
  }
}
