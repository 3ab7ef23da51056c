import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { refundViewSchema, settlementViewSchema } from './order-view';
import {
  acceptedSchema,
  createSettlementSchema,
  dateQuerySchema,
  errorSchema,
  healthSchema,
  identityResultSchema,
  identitySchema,
  livenessSchema,
  inboxItemSchema,
  inboxMatchSchema,
  inboxSchema,
  linksSchema,
  listQuerySchema,
  reconReportSchema,
  refundSchema,
  resolveSchema,
  reviewsSchema,
  settlementListSchema,
  statusQuerySchema,
} from './schemas';

export const API_VERSION = '0.2.0';

/**
 * The OpenAPI 3 document, generated from the same zod schemas that validate requests and shape
 * responses. It is the contract: the typed client (api/client) is generated from it, and
 * `npm run lint:openapi` holds it to Redocly's recommended rules.
 */
export function openApiDocument(opts: { serverUrl?: string } = {}) {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'A key from API_KEYS. Without API_KEYS the API listens on loopback only and needs no key.',
  });
  const security = [{ [bearer.name]: [] }];
  const json = (schema: z.ZodTypeAny) => ({ content: { 'application/json': { schema } } });
  const errors = {
    400: { description: 'invalid input, with the failing fields', ...json(errorSchema) },
    401: { description: 'missing or invalid bearer key', ...json(errorSchema) },
    429: { description: 'too many requests (RATE_LIMIT_PER_MINUTE)', ...json(errorSchema) },
    503: { description: 'Temporal unreachable: not processed, retry after Retry-After', ...json(errorSchema) },
  };
  const notFound = { 404: { description: 'unknown order', ...json(errorSchema) } };
  const orderNo = z.object({ orderNo: z.string().openapi({ example: 'H3101100005320220303204125000523664' }) });
  const path = (route: Omit<RouteConfig, 'security'> & { public?: boolean }) => {
    const { public: open, ...rest } = route;
    registry.registerPath({ ...rest, ...(open ? { security: [] } : { security }) });
  };

  path({
    method: 'post',
    path: '/api/settlements',
    operationId: 'createSettlement',
    tags: ['settlements'],
    summary: 'Start an online settlement',
    description: 'Starts SE02 for the order. With an Idempotency-Key (header or body) a repeat returns the first order.',
    request: { body: { required: true, ...json(createSettlementSchema) }, headers: z.object({ 'Idempotency-Key': z.string().max(128).optional() }) },
    responses: { 202: { description: 'accepted', ...json(acceptedSchema) }, 409: { description: 'idempotency key reused for another request', ...json(errorSchema) }, ...errors },
  });
  path({
    method: 'post',
    path: '/api/identities',
    operationId: 'createIdentity',
    tags: ['settlements'],
    summary: 'Decode an e-voucher before the bill: SE01, SM01 and (national persons) 1101; the ecToken, the route and insuplcAdmdvs, never the name or ID number',
    request: { body: { required: true, ...json(identitySchema) } },
    responses: {
      200: { description: 'identity', ...json(identityResultSchema) },
      422: { description: 'the platform refused the e-voucher (SE01/SM01)', ...json(errorSchema) },
      502: { description: 'the platform gave no answer', ...json(errorSchema) },
      ...errors,
    },
  });
  path({
    method: 'get',
    path: '/api/settlements',
    operationId: 'listSettlements',
    tags: ['settlements'],
    summary: 'List settlements (Temporal visibility)',
    request: { query: listQuerySchema },
    responses: { 200: { description: 'settlements', ...json(settlementListSchema) }, ...errors },
  });
  path({
    method: 'get',
    path: '/api/settlements/{orderNo}',
    operationId: 'getSettlement',
    tags: ['settlements'],
    summary: 'A settlement and its refund',
    description: '`?wait=N` long-polls up to N seconds (≤30) while it is PROCESSING. Names, ID numbers, birth date, gender, age and psn_no are masked.',
    request: { params: orderNo, query: statusQuerySchema },
    responses: { 200: { description: 'status view', ...json(settlementViewSchema) }, ...notFound, ...errors },
  });
  path({
    method: 'post',
    path: '/api/settlements/{orderNo}/refund',
    operationId: 'refundSettlement',
    tags: ['settlements'],
    summary: 'Refund a PAID settlement (insurance part, then cash part)',
    request: { params: orderNo, body: { required: true, ...json(refundSchema) } },
    responses: {
      202: {
        description: 'refund accepted (a repeat returns the existing refund)',
        ...json(z.object({ orderNo: z.string(), refund: refundViewSchema, links: linksSchema }).openapi('RefundAccepted')),
      },
      ...notFound,
      409: { description: 'not PAID', ...json(errorSchema) },
      ...errors,
    },
  });
  path({
    method: 'post',
    path: '/api/settlements/{orderNo}/resolve',
    operationId: 'resolveSettlement',
    tags: ['review'],
    summary: 'Resolve a settlement or refund in NEEDS_REVIEW',
    request: { params: orderNo, body: { required: true, ...json(resolveSchema) } },
    responses: { 200: { description: 'resolved', ...json(settlementViewSchema) }, ...notFound, 409: { description: 'not in NEEDS_REVIEW', ...json(errorSchema) }, ...errors },
  });
  path({
    method: 'get',
    path: '/api/reviews',
    operationId: 'listReviews',
    tags: ['review'],
    summary: 'Settlements and refunds in NEEDS_REVIEW, with their reasons',
    responses: { 200: { description: 'review queue', ...json(reviewsSchema) }, ...errors },
  });
  path({
    method: 'get',
    path: '/api/reconciliation',
    operationId: 'getReconciliation',
    tags: ['finance'],
    summary: "The day's settlements and refunds (Shanghai time), totals per channel and status, flags",
    request: { query: dateQuerySchema },
    responses: {
      200: {
        description: 'report (JSON, or CSV with a UTF-8 BOM for Accept: text/csv)',
        content: { 'application/json': { schema: reconReportSchema }, 'text/csv': { schema: z.string() } },
      },
      ...errors,
    },
  });
  path({
    method: 'get',
    path: '/api/inbox',
    operationId: 'listInbox',
    tags: ['finance'],
    summary: 'Pushes acknowledged but not attached to a running order (unknown ecToken, closed order)',
    request: { query: dateQuerySchema },
    responses: { 200: { description: 'inbox', ...json(inboxSchema) }, ...errors },
  });
  path({
    method: 'post',
    path: '/api/inbox/{date}/{index}/match',
    operationId: 'matchInboxPush',
    tags: ['finance'],
    summary: 'Match an inbox push to an order',
    request: {
      params: z.object({ date: z.string().openapi({ example: '2026-11-27' }), index: z.number().int().min(0) }),
      body: { required: true, ...json(inboxMatchSchema) },
    },
    responses: { 200: { description: 'matched', ...json(inboxItemSchema) }, 404: { description: 'unknown order or inbox', ...json(errorSchema) }, 409: { description: 'already matched', ...json(errorSchema) }, ...errors },
  });
  for (const [p, operationId, summary] of [
    ['/readyz', 'getReadiness', 'Readiness: Temporal answers (the platform reachability is reported, it does not make the API unready)'],
    ['/healthz', 'getHealth', 'Alias of /readyz: Temporal and platform reachability'],
  ] as const) {
    path({
      method: 'get',
      path: p,
      operationId,
      tags: ['operations'],
      summary,
      public: true,
      responses: { 200: { description: 'ready', ...json(healthSchema) }, 503: { description: 'Temporal unreachable', ...json(healthSchema) } },
    });
  }
  path({
    method: 'get',
    path: '/livez',
    operationId: 'getLiveness',
    tags: ['operations'],
    summary: 'Liveness: the process answers',
    public: true,
    responses: { 200: { description: 'alive', ...json(livenessSchema) } },
  });
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'shyb-pay',
      version: API_VERSION,
      description: 'Shanghai medical-insurance online payment (V13) for internet-hospital checkouts.',
      license: { name: 'UNLICENSED', url: 'https://spdx.org/licenses/' },
    },
    servers: [{ url: opts.serverUrl ?? 'http://127.0.0.1:3000', description: 'this API (API_PORT)' }],
    tags: [
      { name: 'settlements', description: 'Checkout: start, follow and refund a settlement' },
      { name: 'review', description: 'Orders whose outcome a person must decide' },
      { name: 'finance', description: 'Reconciliation and the orphan-push inbox' },
      { name: 'operations', description: 'Health' },
    ],
  });
}
