import type { ResponseConfig } from '@asteasolutions/zod-to-openapi';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { Config } from '../../common/config';
import type { Logger } from '../../common/logger';
import type { PlatformClient } from '../../platform/client';
import type { Role } from '../../common/api-keys';
import type { ProblemCode } from '../errors';
import type { TemporalProbe } from '../health';
import type { SettlementService } from '../service';

/**
 * One API route, declared once: express mounts it (api/routes/mount.ts) and the OpenAPI document
 * lists it (api/openapi.ts) from this same object, so the two cannot drift apart.
 */

/** Who may call a route: the roles of API_KEYS (common/api-keys.ts), checked per key by mountRoutes. */
export type { Role } from '../../common/api-keys';

type Obj = z.AnyZodObject;
export interface RouteInput {
  params?: Obj;
  query?: Obj;
  /** Keyed by the header's documented name (e.g. Idempotency-Key); read case-insensitively. */
  headers?: Obj;
  /** A JSON body, required when declared. */
  body?: z.ZodTypeAny;
}

type Out<S> = S extends z.ZodTypeAny ? z.output<S> : undefined;
export interface Parsed<I extends RouteInput> {
  params: Out<I['params']>;
  query: Out<I['query']>;
  headers: Out<I['headers']>;
  body: Out<I['body']>;
}

export interface RouteDeps {
  service: SettlementService;
  config: Config;
  log: Logger;
  probe: TemporalProbe;
  /** The API's own platform client; routes that need it are not mounted without it. */
  platform?: PlatformClient;
}

/** Returned by a handler that wrote the response itself (a CSV, a status other than ok.status). */
export const SENT: unique symbol = Symbol('sent');

export interface ApiRoute<I extends RouteInput = RouteInput, O extends z.ZodTypeAny = z.ZodTypeAny> {
  method: 'get' | 'post';
  /** OpenAPI form: /api/settlements/{orderNo}. */
  path: string;
  operationId: string;
  tag: 'settlements' | 'review' | 'finance' | 'operations';
  summary: string;
  description?: string;
  /** 'public': no key, no rate limit, no Temporal gate (health); otherwise behind /api's key. */
  access: 'public' | Role[];
  needs?: 'platform';
  input: I;
  /** The success answer; other media types (e.g. text/csv) are the handler's to send. */
  ok: { status: 200 | 202; description: string; schema: O; alsoAs?: Record<string, z.ZodTypeAny> };
  /** The problems (api/errors.ts) this route answers besides those of every keyed route or body. */
  problems: ProblemCode[];
  /** Other answers that are not problems (a 503 health report). */
  otherResponses?: Record<number, ResponseConfig>;
  handler: (input: Parsed<I>, ctx: { deps: RouteDeps; req: Request; res: Response }) => Promise<z.input<O> | typeof SENT>;
}

/** Checks a route's handler against its own schemas, then forgets the types for the list. */
export function defineRoute<I extends RouteInput, O extends z.ZodTypeAny>(route: ApiRoute<I, O>): ApiRoute {
  return route as unknown as ApiRoute;
}
