import { OpenAPIRegistry, OpenApiGeneratorV3 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { acceptedSchema, createSettlementSchema, identityResultSchema, identitySchema, statusQuerySchema, dateQuerySchema, errorSchema, inboxMatchSchema, listQuerySchema, refundSchema, resolveSchema, settlementViewSchema } from './schemas';

/** The OpenAPI 3 document, generated from the same zod schemas that validate requests. */
export function openApiDocument() {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  const security = [{ [bearer.name]: [] }];
  const json = (schema: z.ZodTypeAny) => ({ content: { 'application/json': { schema } } });
  const errors = {
    400: { description: 'invalid input, with the failing fields', ...json(errorSchema) },
    401: { description: 'missing or invalid bearer key', ...json(errorSchema) },
  };
  const orderNo = z.object({ orderNo: z.string().openapi({ example: 'H3101100005320220303204125000523664' }) });

  registry.registerPath({
    method: 'post',
    path: '/api/settlements',
    summary: 'Start an online settlement',
    security,
    request: { body: json(createSettlementSchema), headers: z.object({ 'Idempotency-Key': z.string().max(128).optional() }) },
    responses: { 202: { description: 'accepted', ...json(acceptedSchema) }, 409: { description: 'idempotency key reused', ...json(errorSchema) }, ...errors },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/identities',
    summary: 'Decode an e-voucher before the bill: SE01, SM01 and (national persons) 1101; the ecToken, the route and insuplcAdmdvs, never the name or ID number',
    security,
    request: { body: json(identitySchema) },
    responses: {
      200: { description: 'identity', ...json(identityResultSchema) },
      422: { description: 'the platform refused the e-voucher (SE01/SM01)', ...json(errorSchema) },
      502: { description: 'the platform gave no answer', ...json(errorSchema) },
      ...errors,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/settlements',
    summary: 'List settlements (Temporal visibility)',
    security,
    request: { query: listQuerySchema },
    responses: { 200: { description: 'settlements', ...json(z.object({ items: z.array(z.record(z.unknown())) })) }, ...errors },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/settlements/{orderNo}',
    summary: 'A settlement and its refund; ?wait=N long-polls up to N seconds (≤30) while it is PROCESSING',
    security,
    request: { params: orderNo, query: statusQuerySchema },
    responses: { 200: { description: 'status view', ...json(settlementViewSchema) }, 404: { description: 'unknown order', ...json(errorSchema) }, ...errors },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/settlements/{orderNo}/refund',
    summary: 'Refund a PAID settlement (insurance part, then cash part)',
    security,
    request: { params: orderNo, body: json(refundSchema) },
    responses: { 202: { description: 'refund accepted (a repeat returns the existing refund)', ...json(z.record(z.unknown())) }, 404: { description: 'unknown order', ...json(errorSchema) }, 409: { description: 'not PAID', ...json(errorSchema) }, ...errors },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/settlements/{orderNo}/resolve',
    summary: 'Resolve a settlement or refund in NEEDS_REVIEW',
    security,
    request: { params: orderNo, body: json(resolveSchema) },
    responses: { 200: { description: 'resolved', ...json(settlementViewSchema) }, 404: { description: 'unknown order', ...json(errorSchema) }, 409: { description: 'not in NEEDS_REVIEW', ...json(errorSchema) }, ...errors },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/reviews',
    summary: 'Settlements and refunds in NEEDS_REVIEW, with their reasons',
    security,
    responses: { 200: { description: 'review queue', ...json(z.object({ items: z.array(z.record(z.unknown())) })) }, ...errors },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/reconciliation',
    summary: "The day's settlements and refunds (Shanghai time), totals per channel and status, flags",
    security,
    request: { query: dateQuerySchema },
    responses: {
      200: { description: 'report (JSON, or CSV with Accept: text/csv)', content: { 'application/json': { schema: z.record(z.unknown()) }, 'text/csv': { schema: z.string() } } },
      ...errors,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/inbox',
    summary: 'Pushes acknowledged but not attached to a running order (unknown ecToken, closed order)',
    security,
    request: { query: dateQuerySchema },
    responses: { 200: { description: 'inbox', ...json(z.object({ items: z.array(z.record(z.unknown())) })) }, ...errors },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/inbox/{date}/{index}/match',
    summary: 'Match an inbox push to an order',
    security,
    request: { params: z.object({ date: z.string(), index: z.number().int() }), body: json(inboxMatchSchema) },
    responses: { 200: { description: 'matched', ...json(z.record(z.unknown())) }, 404: { description: 'unknown order or inbox', ...json(errorSchema) }, 409: { description: 'already matched', ...json(errorSchema) }, ...errors },
  });
  registry.registerPath({
    method: 'get',
    path: '/healthz',
    summary: 'Temporal and platform reachability, and the 9001 sign-in state',
    responses: { 200: { description: 'healthy', ...json(z.record(z.unknown())) }, 503: { description: 'unhealthy', ...json(z.record(z.unknown())) } },
  });
  return new OpenApiGeneratorV3(registry.definitions).generateDocument({
    openapi: '3.0.3',
    info: { title: 'shyb-pay', version: '0.1.0', description: 'Shanghai medical-insurance online payment (V13) for internet-hospital checkouts' },
  });
}
