import type { ResponseConfig } from '@asteasolutions/zod-to-openapi';
import type { z } from 'zod';
import { PROBLEMS, problemSchema, type ProblemCode } from '../errors';
import type { ApiRoute } from './route';

export const json = (schema: z.ZodTypeAny) => ({ content: { 'application/json': { schema } } });

/** What every keyed /api route can answer besides its own problems: no key, a key of another role, rate limit, Temporal down. */
const KEYED: ProblemCode[] = ['UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED', 'TEMPORAL_UNAVAILABLE'];
/** And a route with input: invalid input; with a body: a body that is not JSON or too large. */
const WITH_INPUT: ProblemCode[] = ['VALIDATION_FAILED'];
const WITH_BODY: ProblemCode[] = ['INVALID_BODY', 'PAYLOAD_TOO_LARGE'];

/** Every problem a route can answer: its own and those of its kind. */
export function routeProblems(route: ApiRoute): ProblemCode[] {
  const { params, query, headers, body } = route.input;
  const hasInput = params || query || headers || body;
  const all = [...route.problems, ...(route.access === 'public' ? [] : KEYED), ...(hasInput || body ? WITH_INPUT : []), ...(body ? WITH_BODY : [])];
  return [...new Set(all)];
}

/** The documented failure responses: one per status, its description naming each code. */
export function problemResponses(codes: ProblemCode[]): Record<number, ResponseConfig> {
  const byStatus = new Map<number, ProblemCode[]>();
  for (const c of codes) byStatus.set(PROBLEMS[c].status, [...(byStatus.get(PROBLEMS[c].status) ?? []), c]);
  return Object.fromEntries(
    [...byStatus].map(([status, list]) => [
      status,
      {
        description: list.map((c) => `${c}: ${PROBLEMS[c].title}`).join('; '),
        content: { 'application/problem+json': { schema: problemSchema } },
      } satisfies ResponseConfig,
    ]),
  );
}
