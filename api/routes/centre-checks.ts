import { z } from 'zod';
import '../schemas'; // extends zod with .openapi()
import { CentreChecks, POST_WAIT_MS, RECENT_DAYS, type CentreCheckView } from '../centre-checks';
import { differenceSchema } from '../centre-word';
import { ApiProblem } from '../errors';
import { isCalendarDate } from '../reconciliation';
import { dateRefusal } from '../../common/centre-check';
import { defineRoute, SENT } from './route';
import { json } from './responses';

// The daily check of our orders against the centre (issue 18, 3): start a day's run, read its result, list
// the recent days with something to look at (the console's review queue).

const dateField = z
  .string()
  .refine(isCalendarDate, 'must be a date as YYYY-MM-DD')
  .openapi({ description: 'the Shanghai day (Asia/Shanghai) whose settled or refunded orders are checked', example: '2026-11-27' });

const route = z.enum(['NATIONAL', 'WUQI']);
export const centreCheckSchema = z
  .object({
    date: z.string(),
    workflowId: z.string().openapi({ description: "the day's workflow (centre-check-<taskQueue>-<date>), for the Temporal UI" }),
    status: z.enum(['running', 'finished', 'failed']).openapi({
      description:
        'running: not every order is compared yet (also while the centre does not answer); failed: some orders could not be asked after the retries (see unavailable)',
    }),
    total: z.number().int().openapi({ description: 'orders settled or refunded that day' }),
    checked: z.number().int(),
    agreed: z.number().int(),
    differences: z.array(
      z.object({
        orderNo: z.string(),
        route,
        kind: z.enum(['missing', 'reversed', 'amount', 'other']).openapi({
          description:
            'missing: the centre has no record; reversed: the centre holds it reversed or refunded and we do not; amount: an amount differs; other: an id or time',
        }),
        asked: z.object({ query: z.string(), msgid: z.string() }),
        differences: z.array(differenceSchema).openapi({ description: 'both sides, amounts in fen' }),
      }),
    ),
    differencesNotListed: z.number().int().openapi({ description: 'differences beyond the first 1000: counted, not listed' }),
    unavailable: z
      .array(z.object({ orderNo: z.string(), route: route.optional(), reason: z.string() }))
      .openapi({ description: 'orders that could not be compared: nothing to ask, the centre refused, or no answer after the retries' }),
    startedAt: z.string(),
    finishedAt: z.string().optional(),
    reconciliation: z
      .object({ workflowId: z.string() })
      .optional()
      .openapi({ description: 'CENTRE_RECONCILIATION=send: the day close started after the check' }),
    retrying: z
      .object({ attempt: z.number().int(), lastFailure: z.string().optional(), nextAttemptAt: z.string().optional() })
      .optional()
      .openapi({ description: 'a batch the centre did not answer, being retried: the day is unfinished' }),
  })
  .openapi('CentreCheck');

const refuseDate = (deps: { config: { CENTRE_CHECK_RETENTION_DAYS: number } }, date: string) => {
  const why = dateRefusal(date, Date.now(), deps.config.CENTRE_CHECK_RETENTION_DAYS);
  if (why) throw new ApiProblem('VALIDATION_FAILED', `date: ${why}`, { errors: [{ path: 'date', message: why }] });
};
const location = (date: string) => `/api/centre-checks?date=${date}`;

export const startCentreCheck = defineRoute({
  method: 'post',
  path: '/api/centre-checks',
  operationId: 'startCentreCheck',
  tag: 'finance',
  summary: "Check a day's orders against the centre now (national 5203 / 5203A, 五期 SI91)",
  description: `Starts the day's check, or joins the one running (a closed one is run again). Answers 200 with the result when the run ends within ${POST_WAIT_MS / 1000} s, else 202 with a Location to poll (GET /api/centre-checks?date=). A future day, or one beyond CENTRE_CHECK_RETENTION_DAYS, is a 400.`,
  access: ['finance', 'ops'],
  input: { body: z.object({ date: dateField }).strict().openapi('CentreCheckRequest') },
  ok: { status: 200, description: 'the run ended: its result', schema: centreCheckSchema },
  otherResponses: {
    202: {
      description: 'still running: poll the Location (GET /api/centre-checks?date=)',
      headers: { Location: { schema: { type: 'string' } } },
      ...json(centreCheckSchema),
    },
  },
  problems: ['WORKFLOW_NOT_READY'],
  handler: async ({ body: { date } }, { deps, res }) => {
    refuseDate(deps, date);
    const r = await new CentreChecks(deps.service.client, deps.config).start(date);
    if (r.done) return r.view;
    res
      .status(202)
      .location(location(date))
      .json(r.view satisfies CentreCheckView);
    return SENT;
  },
});

export const getCentreCheck = defineRoute({
  method: 'get',
  path: '/api/centre-checks',
  operationId: 'getCentreCheck',
  tag: 'finance',
  summary: "The day's last centre check: running (with retrying while the centre does not answer), finished or failed",
  access: ['finance', 'ops'],
  input: { query: z.object({ date: dateField }).strict() },
  ok: { status: 200, description: 'the result so far', schema: centreCheckSchema },
  problems: ['CENTRE_CHECK_NOT_FOUND', 'WORKFLOW_NOT_READY'],
  handler: async ({ query: { date } }, { deps }) => {
    refuseDate(deps, date);
    const view = await new CentreChecks(deps.service.client, deps.config).read(date);
    if (!view) throw new ApiProblem('CENTRE_CHECK_NOT_FOUND', `no centre check has run for ${date}`);
    return view;
  },
});

export const listRecentCentreChecks = defineRoute({
  method: 'get',
  path: '/api/centre-checks/recent',
  operationId: 'listRecentCentreChecks',
  tag: 'review',
  summary: `The centre checks of the last ${RECENT_DAYS} days that found differences, could not ask some orders, or are unfinished`,
  description: "The review queue's centre-check part: each difference with both sides. A day that agreed on every order is not listed.",
  access: ['finance', 'ops'],
  input: {},
  ok: { status: 200, description: 'the days to look at, newest first', schema: z.object({ items: z.array(centreCheckSchema) }).openapi('RecentCentreChecks') },
  problems: ['WORKFLOW_NOT_READY'],
  handler: async (_input, { deps }) => ({ items: await new CentreChecks(deps.service.client, deps.config).recent() }),
});
