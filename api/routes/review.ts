import { settlementViewSchema, toApiView } from '../order-view';
import { remedySchema, resolveSchema, reviewsQuerySchema, reviewsSchema } from '../schemas';
import { encodeCursor } from '../cursor';
import { keyNameOf } from '../auth';
import { defineRoute } from './route';
import { cursorChecked, orderNoPath } from './settlements';

export const resolveSettlement = defineRoute({
  method: 'post',
  path: '/api/settlements/{orderNo}/resolve',
  operationId: 'resolveSettlement',
  tag: 'review',
  summary: 'Resolve a settlement or refund in NEEDS_REVIEW',
  access: ['finance', 'ops'],
  input: { params: orderNoPath, body: resolveSchema },
  ok: { status: 200, description: 'resolved', schema: settlementViewSchema },
  problems: ['ORDER_NOT_FOUND', 'RESOLVE_NOT_ALLOWED', 'ORDER_CLOSED', 'WORKFLOW_NOT_READY'],
  handler: async ({ params: { orderNo }, body }, { deps, res }) => toApiView(await deps.service.commands.resolve(orderNo, { ...body, by: keyNameOf(res) })),
});

export const remedyRefund = defineRoute({
  method: 'post',
  path: '/api/settlements/{orderNo}/refund/remedy',
  operationId: 'remedyRefund',
  tag: 'review',
  summary: 'Send the SE07 remedy (现金改账) for a refund in NEEDS_REVIEW whose cash part the centre says was not refunded',
  access: ['finance', 'ops'],
  input: { params: orderNoPath, body: remedySchema },
  ok: { status: 200, description: 'remedy accepted: SE06 is asked first, then SE07 unless the cash refund shows up', schema: settlementViewSchema },
  problems: ['ORDER_NOT_FOUND', 'RESOLVE_NOT_ALLOWED', 'ORDER_CLOSED', 'WORKFLOW_NOT_READY'],
  handler: async ({ params: { orderNo }, body }, { deps, res }) => toApiView(await deps.service.commands.remedy(orderNo, { ...body, by: keyNameOf(res) })),
});

export const listReviews = defineRoute({
  method: 'get',
  path: '/api/reviews',
  operationId: 'listReviews',
  tag: 'review',
  summary: 'Settlements and refunds in NEEDS_REVIEW, with their reasons',
  description:
    "Pages by `cursor` (the previous answer's nextCursor) and `limit`. A page may hold fewer than `limit` items (an order that left review since it was listed is skipped) and still have a nextCursor.",
  access: ['finance', 'ops'],
  input: { query: reviewsQuerySchema },
  ok: { status: 200, description: 'review queue', schema: reviewsSchema },
  problems: ['WORKFLOW_NOT_READY'],
  handler: async ({ query: { cursor, limit } }, { deps }) => {
    const page = await cursorChecked(() => deps.service.queries.reviewsPage(limit, cursor));
    return {
      items: page.items.map(({ refund: rf, ...i }) => ({
        ...i,
        ...(rf ? { refund: { workflowId: rf.workflowId, status: rf.status, ...(rf.reason ? { reason: rf.reason } : {}) } } : {}),
      })),
      ...(page.next ? { nextCursor: encodeCursor(page.next) } : {}),
    };
  },
});
