import type { Response } from 'express';
import { z } from 'zod';
import { describeZodError, fieldErrors } from '../protocol/zod-helpers';
import './schemas'; // extends zod with .openapi()

/**
 * Every failure the API answers is an RFC 9457 problem (application/problem+json) with a stable
 * `code` an HIS can branch on; `title` is the code's fixed sentence, `detail` this occurrence's.
 */
export const PROBLEMS = {
  VALIDATION_FAILED: { status: 400, title: 'The request is not valid: see errors for the failing fields' },
  INVALID_BODY: { status: 400, title: 'The body is not valid JSON (or not UTF-8, or nested too deep)' },
  UNAUTHORIZED: { status: 401, title: 'A valid bearer key is required' },
  FORBIDDEN: { status: 403, title: "The key's role may not use this route" },
  NOT_FOUND: { status: 404, title: 'No such resource' },
  ORDER_NOT_FOUND: { status: 404, title: 'No settlement with this orderNo' },
  INBOX_NOT_FOUND: { status: 404, title: 'No push inbox for this day' },
  EVENT_NOT_FOUND: { status: 404, title: 'No webhook event with this id' },
  CENTRE_CHECK_NOT_FOUND: { status: 404, title: 'No centre check has run for this day: start one with POST /api/centre-checks' },
  IDEMPOTENCY_KEY_REUSED: { status: 409, title: 'The Idempotency-Key was used for a different request' },
  ECTOKEN_IN_USE: { status: 409, title: 'The ecToken already belongs to another order; a new payment needs a fresh e-voucher' },
  REFUND_NOT_ALLOWED: { status: 409, title: 'This settlement cannot be refunded now' },
  RESOLVE_NOT_ALLOWED: { status: 409, title: 'This settlement or refund is not waiting for a decision' },
  INBOX_MATCH_REFUSED: { status: 409, title: 'This inbox push cannot be matched' },
  ORDER_CLOSED: { status: 409, title: 'The order is closed' },
  CENTRE_RECONCILIATION_EXPORT_MODE: {
    status: 409,
    title:
      'CENTRE_RECONCILIATION=export: shyb-pay does not send the day close (3201/3202/SL01); the HIS merges our day (GET /api/reconciliations/centre) into its own',
  },
  REDELIVERY_NOT_ALLOWED: { status: 409, title: 'This event cannot be redelivered now (a redelivery is under way, or its log is closed)' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'The body is too large' },
  IDENTITY_REFUSED: { status: 422, title: 'The platform refused the e-voucher' },
  RATE_LIMITED: { status: 429, title: 'Too many requests: retry later' },
  INTERNAL_ERROR: { status: 500, title: 'Internal error' },
  PLATFORM_UNAVAILABLE: { status: 502, title: 'The platform gave no answer' },
  CENTRE_NOTHING_TO_ASK: {
    status: 409,
    title: 'The order holds no settlement the centre can be asked about (no setl_id / medins_setl_id, no 五期 jssqxh): its outcome is decided by SE04',
  },
  CENTRE_TOKEN_REFUSED: { status: 422, title: "The centre refused the order's stored 令牌 (SI91 carddata): it cannot be asked with it" },
  CENTRE_REFUSED: { status: 502, title: 'The centre refused the query with an answer that is neither a record nor "not found": nothing to compare' },
  TEMPORAL_UNAVAILABLE: { status: 503, title: 'Temporal is unreachable or did not answer in time: not processed, retry after Retry-After' },
  WORKFLOW_NOT_READY: { status: 503, title: 'The order (or inbox) could not answer right now: no worker holds it yet; retry after Retry-After' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof PROBLEMS;
export const PROBLEM_CODES = Object.keys(PROBLEMS) as [ProblemCode, ...ProblemCode[]];

/** A problem type is a URI (RFC 9457 §3.1.1); a tag URI names it without promising a page behind it. */
export const problemType = (code: ProblemCode) => `tag:shyb-pay,2026:problem:${code}`;

const fieldErrorSchema = z.object({ path: z.string().openapi({ example: 'payRequest.medfee_sumamt' }), message: z.string() }).openapi('FieldError');

export const problemSchema = z
  .object({
    type: z.string().openapi({ description: 'tag:shyb-pay,2026:problem:<code>', example: problemType('ORDER_NOT_FOUND') }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.enum(PROBLEM_CODES).openapi({ description: 'stable: branch on this' }),
    errors: z.array(fieldErrorSchema).optional().openapi({ description: 'VALIDATION_FAILED: the failing fields' }),
    orderNo: z.string().optional().openapi({ description: 'ECTOKEN_IN_USE: the order that holds the ecToken' }),
  })
  .openapi('Problem', { description: 'RFC 9457 problem details (application/problem+json)' });

export type Problem = z.infer<typeof problemSchema>;

export function problemBody(code: ProblemCode, detail: string, extra: Partial<Pick<Problem, 'errors' | 'orderNo'>> = {}): Problem {
  const { status, title } = PROBLEMS[code];
  return { type: problemType(code), title, status, detail, code, ...extra };
}

export function sendProblem(res: Response, code: ProblemCode, detail: string, extra: Partial<Pick<Problem, 'errors' | 'orderNo'>> = {}) {
  return res
    .status(PROBLEMS[code].status)
    .type('application/problem+json')
    .json(problemBody(code, detail, extra));
}

/** VALIDATION_FAILED, its detail listing the failing fields and errors holding them. */
export function badRequest(res: Response, error: z.ZodError) {
  return sendProblem(res, 'VALIDATION_FAILED', describeZodError(error), { errors: fieldErrors(error) });
}

/** A refusal a handler throws; the app's error handler answers it. */
export class ApiProblem extends Error {
  constructor(
    readonly code: ProblemCode,
    message: string,
    readonly extra: Partial<Pick<Problem, 'errors' | 'orderNo'>> = {},
  ) {
    super(message);
  }
}
