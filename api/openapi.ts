import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import type { z } from 'zod';
import { API_ROUTES, type ApiRoute } from './routes';
import { problemResponses, routeProblems } from './routes/responses';
import './schemas'; // extends zod with .openapi()

export const API_VERSION = '0.2.0';

/**
 * The OpenAPI 3 document, generated from the route list (api/routes) whose zod schemas validate
 * requests and shape responses. It is the contract: the typed client (api/client) is generated from
 * it, and `npm run lint:openapi` holds it to Redocly's recommended rules.
 */
export function openApiDocument(opts: { serverUrl?: string; routes?: readonly ApiRoute[] } = {}) {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description:
      'A key from API_KEYS (name:role:key). Each operation names the roles that may call it; a key of another role gets 403 FORBIDDEN. Without API_KEYS the API listens on loopback only and needs no key.',
  });
  const security = [{ [bearer.name]: [] }];
  for (const r of opts.routes ?? API_ROUTES) {
    const { params, query, headers, body } = r.input;
    const content: Record<string, { schema: z.ZodTypeAny }> = { 'application/json': { schema: r.ok.schema } };
    for (const [type, schema] of Object.entries(r.ok.alsoAs ?? {})) content[type] = { schema };
    registry.registerPath({
      method: r.method,
      path: r.path,
      operationId: r.operationId,
      tags: [r.tag],
      summary: r.summary,
      description: [r.description, r.access === 'public' ? 'No key needed.' : `Roles: ${r.access.join(', ')}.`].filter(Boolean).join('\n\n'),
      request: {
        ...(params ? { params } : {}),
        ...(query ? { query } : {}),
        ...(headers ? { headers } : {}),
        ...(body ? { body: { required: true, content: { 'application/json': { schema: body } } } } : {}),
      },
      responses: { [r.ok.status]: { description: r.ok.description, content }, ...problemResponses(routeProblems(r)), ...r.otherResponses },
      security: r.access === 'public' ? [] : security,
    });
  }
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
