import { z } from 'zod';
import { inboxItemView } from '../order-view';
import { reconcile, toCsv } from '../reconciliation';
import { encodeCursor } from '../cursor';
import { dateQuerySchema, inboxItemSchema, inboxQuerySchema, inboxMatchParams, inboxMatchSchema, inboxSchema, reconReportSchema } from '../schemas';
import { keyNameOf } from '../auth';
import { defineRoute, SENT } from './route';

export const getReconciliation = defineRoute({
  method: 'get',
  path: '/api/reconciliation',
  operationId: 'getReconciliation',
  tag: 'finance',
  summary: "The day's settlements and refunds (Shanghai time), totals per channel and status, flags",
  access: ['finance'],
  input: { query: dateQuerySchema },
  ok: {
    status: 200,
    description: 'report (JSON, or CSV with a UTF-8 BOM for Accept: text/csv)',
    schema: reconReportSchema,
    alsoAs: { 'text/csv': z.string() },
  },
  problems: ['WORKFLOW_NOT_READY'],
  handler: async ({ query: { date } }, { deps, req, res }) => {
    const full = await reconcile(deps.service.queries, date);
    if (req.accepts(['application/json', 'text/csv']) === 'text/csv') {
      res.setHeader('content-type', 'text/csv; charset=utf-8');
      res.setHeader('content-disposition', `attachment; filename="reconciliation-${date}.csv"`);
      // toCsv starts with a UTF-8 BOM so that Excel reads the Chinese text as UTF-8; rows hold no identity fields
      res.send(toCsv(full));
      return SENT;
    }
    return { ...full, flags: { ...full.flags, orphanPushes: full.flags.orphanPushes.map(inboxItemView) } };
  },
});

export const listInbox = defineRoute({
  method: 'get',
  path: '/api/inbox',
  operationId: 'listInbox',
  tag: 'finance',
  summary: 'Pushes acknowledged but not attached to a running order (unknown ecToken, closed order)',
  access: ['finance', 'ops'],
  description:
    "Pages by `cursor` (the previous answer's nextCursor) and `limit`. A day keeps at most `capacity` pushes; later ones are acknowledged and counted in `dropped`.",
  input: { query: inboxQuerySchema },
  ok: { status: 200, description: 'inbox', schema: inboxSchema },
  problems: ['WORKFLOW_NOT_READY'],
  handler: async ({ query: { date, cursor, limit } }, { deps }) => {
    const page = await deps.service.queries.inboxPage(date, cursor?.i ?? 0, limit);
    return {
      items: page.items.map(inboxItemView),
      ...(page.next !== undefined ? { nextCursor: encodeCursor({ i: page.next }) } : {}),
      total: page.total,
      dropped: page.dropped,
      capacity: page.capacity,
    };
  },
});

export const matchInboxPush = defineRoute({
  method: 'post',
  path: '/api/inbox/{date}/{index}/match',
  operationId: 'matchInboxPush',
  tag: 'finance',
  summary: 'Match an inbox push to an order',
  access: ['finance'],
  input: { params: inboxMatchParams.extend({ date: inboxMatchParams.shape.date.openapi({ example: '2026-11-27' }) }), body: inboxMatchSchema },
  ok: { status: 200, description: 'matched', schema: inboxItemSchema },
  problems: ['ORDER_NOT_FOUND', 'INBOX_NOT_FOUND', 'INBOX_MATCH_REFUSED', 'WORKFLOW_NOT_READY'],
  handler: async ({ params, body }, { deps, res }) =>
    inboxItemView(await deps.service.commands.matchInbox(params.date, params.index, body.orderNo, body.operator, keyNameOf(res))),
});
