import createClient from 'openapi-fetch';
import type { components, operations, paths } from './schema';

// The typed client of the shyb-pay API: openapi-fetch over the types generated from the OpenAPI
// document (schema.ts, `npm run gen:client`). Used by `npm run demo` and the API tests (the demo
// page imports the same openapi-fetch runtime in the browser, api/demo-page/assets/demo.js), so the
// contract is exercised by its own users.

export type { components, operations, paths };
export type Settlement = components['schemas']['Settlement'];
export type CreateSettlement = components['schemas']['CreateSettlement'];
export type Operator = components['schemas']['Operator'];
export type ApiClient = ReturnType<typeof createApiClient>;

export interface ApiClientOptions {
  /** A key from the server's API_KEYS, sent as a bearer token. */
  apiKey?: string;
  headers?: Record<string, string>;
  fetch?: typeof fetch;
}

export function createApiClient(baseUrl: string, opts: ApiClientOptions = {}) {
  return createClient<paths>({
    baseUrl,
    headers: { ...(opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {}), ...opts.headers },
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
}
