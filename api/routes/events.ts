import { z } from 'zod';
import { callerOf } from '../auth';
import { cursorParam, encodeCursor } from '../cursor';
import { dateQuerySchema } from '../schemas';
import { WebhookEventLog } from '../service/events';
import { EVENT_ID_FORMAT, WEBHOOK_EVENT_TYPES } from '../../workflows/webhook-event';
import { defineRoute } from './route';

// The webhook event log (workflows/event-log.ts) over HTTP: an HIS catches up on the events it
// missed, in order, and asks for one to be sent again.

const position = z.object({ d: dateQuerySchema.shape.date, i: z.number().int().min(0) }).strict();

const eventsQuery = z
  .object({
    after: cursorParam(position).optional().openapi({ description: "the previous answer's nextCursor: the events logged after it" }),
    date: dateQuerySchema.shape.date.optional().openapi({ description: 'without after: start at this Shanghai day (default today)', example: '2026-11-27' }),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

const yuan = z.string().openapi({ example: '120.00' });
export const webhookEventSchema = z
  .object({
    id: z.string().openapi({
      description: 'the webhook-id header: the same on every attempt and redelivery; de-duplicate on it',
      example: 'evt_20261127_H3101100005320261127154006308150889_1',
    }),
    type: z.enum(WEBHOOK_EVENT_TYPES),
    timestamp: z.string().openapi({ description: 'when the status was set (= data.occurredAt)' }),
    data: z.object({
      orderNo: z.string(),
      status: z.enum(['PAID', 'FAILED', 'NEEDS_REVIEW', 'REFUNDED', 'REFUND_FAILED']),
      reason: z.string().optional(),
      occurredAt: z.string(),
      amounts: z.object({
        medfeeSumamt: yuan,
        fundPaySumamt: yuan.optional(),
        acctPay: yuan.optional(),
        psnCashPay: yuan.optional(),
        refundedCash: yuan.optional(),
      }),
    }),
    delivery: z.object({
      state: z
        .enum(['pending', 'delivered', 'failed'])
        .openapi({ description: 'pending: not accepted yet (retried for up to 24 hours); failed: a redelivery gave up' }),
      attempts: z.number().int(),
      lastAttemptAt: z.string(),
      httpStatus: z.number().int().optional(),
      error: z.string().optional(),
      deliveredAt: z.string().optional(),
      redeliveries: z.number().int(),
      redeliveredBy: z.array(z.string()).optional().openapi({ description: 'the API key names that asked for redeliveries' }),
    }),
  })
  .openapi('WebhookEvent');

const eventsSchema = z
  .object({
    items: z.array(webhookEventSchema),
    nextCursor: z.string().openapi({ description: 'always given: pass as after to get the events logged since' }),
    hasMore: z.boolean().openapi({ description: 'more events are logged already: ask again now' }),
  })
  .openapi('WebhookEvents');

export const listEvents = defineRoute({
  method: 'get',
  path: '/api/events',
  operationId: 'listEvents',
  tag: 'settlements',
  summary: 'The webhook events, oldest first, from a cursor on',
  description:
    "Every event sent as a webhook is kept in a durable log, one per Shanghai day, with how its delivery went. Without `after` the list starts at `date` (default today); each answer's `nextCursor` continues after its last event, also when it is empty, so an HIS polls with it to catch up after an outage.",
  access: ['his', 'finance', 'ops'],
  input: { query: eventsQuery },
  ok: { status: 200, description: 'events', schema: eventsSchema },
  problems: ['WORKFLOW_NOT_READY'],
  handler: async ({ query: { after, date, limit } }, { deps }) => {
    const from = after ?? (date ? { d: date, i: 0 } : WebhookEventLog.start());
    const page = await new WebhookEventLog(deps.service.client, deps.config).page(from, limit);
    return { items: page.items, nextCursor: encodeCursor({ ...page.next }), hasMore: page.more };
  },
});

export const redeliverEvent = defineRoute({
  method: 'post',
  path: '/api/events/{id}/redeliver',
  operationId: 'redeliverEvent',
  tag: 'settlements',
  summary: 'Send a webhook event again',
  description:
    'The same webhook-id and body, with a fresh timestamp and signature; retried like the first delivery. The answer is the event as logged when the redelivery started; its outcome shows in GET /api/events.',
  access: ['his', 'ops'],
  input: {
    params: z.object({
      id: z.string().regex(EVENT_ID_FORMAT, 'not a webhook event id').openapi({ example: 'evt_20261127_H3101100005320261127154006308150889_1' }),
    }),
  },
  ok: { status: 202, description: 'redelivery started', schema: webhookEventSchema },
  problems: ['EVENT_NOT_FOUND', 'REDELIVERY_NOT_ALLOWED', 'WORKFLOW_NOT_READY'],
  handler: async ({ params: { id } }, { deps, res }) => new WebhookEventLog(deps.service.client, deps.config).redeliver(id, callerOf(res).name),
});
