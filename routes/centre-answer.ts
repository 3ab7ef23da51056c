// The centre's answer to a record query (5203 / 5203A / SI91), one shape for every route: each route's
// activity part asks its own query (routes/<route>/centre.ts); activities/centre-record.ts dispatches.
import type { ZodError } from 'zod';
import { InvalidRequestError, type CallOutcome } from '../platform/client';
import type { CentreRecord } from '../protocol/centre-record';
import { readQueryRefusal } from '../protocol/refusals';
import type { Route } from '../protocol/routing';
import { isTokenRefusal } from '../protocol/wuqi-codes';
import { describeZodError } from '../protocol/zod-helpers';

export interface Asked {
  infno?: '5203' | '5203A';
  xxlxm?: 'SI91';
  msgid: string;
  /** ISO time the question was sent */
  at: string;
}

export type CentreAnswer =
  | { kind: 'answered'; asked: Asked; found: true; record: CentreRecord }
  | { kind: 'answered'; asked: Asked; found: false; record: null; message: string }
  /** a refusal that is not "not found": nothing to compare (tokenRefused: SI91 refused the 令牌) */
  | { kind: 'refused'; asked: Asked; code: string; message: string; tokenRefused: boolean }
  /** no answer: timeout, HTTP error, malformed reply */
  | { kind: 'unknown'; asked: Asked; reason: string };

/** Our own query input must pass its schema: nothing invalid is sent (and a retry would not change it). */
export function check(what: string, schema: { safeParse(v: unknown): { success: boolean; error?: ZodError } }, input: unknown): void {
  const r = schema.safeParse(input);
  if (!r.success) throw new InvalidRequestError(`refusing to send invalid ${what} input: ${describeZodError(r.error!)}`);
}

/** A refusal or no answer, read by the route's refusal table (protocol/refusals.ts). */
export function notAnswered(asked: Asked, o: Exclude<CallOutcome<unknown>, { kind: 'ok' }>, route: Route): CentreAnswer {
  if (o.kind === 'unknown') return { kind: 'unknown', asked, reason: o.reason };
  const message = `${o.code} ${o.message}`.trim();
  if (readQueryRefusal(route, o) === 'notFound') return { kind: 'answered', asked, found: false, record: null, message };
  return { kind: 'refused', asked, code: o.code, message, tokenRefused: route === 'WUQI' && isTokenRefusal(o.code, o.message) };
}
