import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { openApiDocument } from '../../api/openapi';
import { createSettlementSchema } from '../../api/schemas';
import express from 'express';
import { API_ROUTES, mountRoutes } from '../../api/routes';

// The OpenAPI document is the contract: it must list exactly the API's routes, describe the
// request body the server validates, name every operation, and type every response.
const doc = openApiDocument() as any;
const operations = () =>
  Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([p, ops]) => Object.entries(ops).map(([m, op]) => ({ key: `${m} ${p}`, op })));

test('the document lists exactly the routes express serves, both built from one list (api/routes)', () => {
  type Routes = { router: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> } };
  const app = express();
  mountRoutes(app, API_ROUTES, { platform: {} } as never);
  const served = (app as unknown as Routes).router.stack
    .filter((l) => l.route)
    .flatMap((l) => Object.keys(l.route!.methods).map((m) => `${m} ${l.route!.path.replace(/:(\w+)/g, '{$1}')}`))
    .sort();
  expect(served).toHaveLength(API_ROUTES.length);
  expect(
    operations()
      .map((o) => o.key)
      .sort(),
  ).toEqual(served);
});

test('every keyed route is under /api and names its roles; only health routes are public', () => {
  for (const r of API_ROUTES) {
    if (r.access === 'public') expect(r.tag).toBe('operations');
    else
      expect({ path: r.path, roles: r.access.length > 0 && r.access.every((x) => ['his', 'finance', 'ops'].includes(x)) }).toEqual({
        path: expect.stringMatching(/^\/api\//),
        roles: true,
      });
  }
  const publicOps = operations()
    .filter((o) => o.op.security?.length === 0)
    .map((o) => o.key)
    .sort();
  expect(publicOps).toEqual(['get /healthz', 'get /livez', 'get /readyz']);
});

test('the documented settlement body has the validated fields and required ones', () => {
  const schema = doc.components.schemas.CreateSettlement;
  const inner = (createSettlementSchema as any)._def.schema.shape;
  expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(inner).sort());
  expect(schema.required).toEqual(['operator', 'payRequest']);
  expect(doc.components.schemas.Operator.properties.opter_type.enum).toEqual(['4', '5']);
});

test('every operation has a unique operationId, and the document names its server', () => {
  const ids = operations().map((o) => o.op.operationId);
  expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
  expect(new Set(ids).size).toBe(ids.length);
  expect(doc.servers).toEqual([expect.objectContaining({ url: 'http://127.0.0.1:3000' })]);
  expect((openApiDocument({ serverUrl: 'https://pay.example.org' }) as any).servers[0].url).toBe('https://pay.example.org');
});

test('no response or body is an untyped object: every object schema has properties or typed values', () => {
  const untyped: string[] = [];
  const visit = (s: any, where: string) => {
    if (!s || typeof s !== 'object') return;
    if (
      s.type === 'object' &&
      !s.properties &&
      (s.additionalProperties === undefined || s.additionalProperties === true || Object.keys(s.additionalProperties).length === 0)
    )
      untyped.push(where);
    if (Object.keys(s).length === 0) untyped.push(`${where} (empty schema)`);
    // example and default are values, not schemas
    for (const [k, v] of Object.entries(s)) if (k !== 'example' && k !== 'default' && k !== 'security' && typeof v === 'object') visit(v, `${where}.${k}`);
  };
  visit(doc.components.schemas, 'components');
  for (const { key, op } of operations()) visit(op, key);
  expect(untyped).toEqual([]);
});

test('the status view documents personal fields as masked', () => {
  const setl = doc.components.schemas.Setlinfo.properties;
  for (const k of ['psn_no', 'psn_name', 'certno', 'brdy', 'gend', 'age']) expect(setl[k].description).toMatch(/masked/);
});

// openapi-typescript is ESM inside: it runs in its own process, as `npm run gen:client -- --check`.
const ROOT = path.resolve(__dirname, '../..');
const genClient = (args: string[]) => promisify(execFile)(path.join(ROOT, 'node_modules/.bin/tsx'), ['scripts/gen-api-client.ts', ...args], { cwd: ROOT });

test('the committed typed client equals a fresh generation (npm run gen:client)', async () => {
  const r = await genClient(['--check']);
  expect(r.stdout).toContain('api/client/schema.ts is up to date');
}, 30_000);

test('gen:client refuses unknown flags', async () => {
  await expect(genClient(['--chek'])).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining("Unknown option '--chek'") });
}, 30_000);
