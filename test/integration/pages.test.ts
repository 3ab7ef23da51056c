import * as fs from 'node:fs';
import got from 'got';
import { openApiDocument } from '../../api/openapi';
import { startApi } from '../../api/server';
import { loadConfig } from '../../common/config';
import { createLogger } from '../../common/logger';
import { apiClient } from '../helpers/api-client';
import { waitFor } from '../helpers/receiver';
import { startStack, type Stack } from '../helpers/stack';

// The console and demo pages over HTTP: what they serve, to whom, and the API calls they rely on.
const KEY = 'pages-test-key-0123';
let stack: Stack;
let api: ReturnType<typeof apiClient>;
let anon: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startStack({ API_KEYS: `tester:his+finance+ops:${KEY}`, CALLBACK_ALLOW: '127.0.0.1' });
  api = apiClient(stack.api.url, { authorization: `Bearer ${KEY}` });
  anon = apiClient(stack.api.url);
}, 180_000);
afterAll(() => stack?.close());

test('the console shell holds no data and says a key is needed; its script and styles are files', async () => {
  const page = await got(`${stack.api.url}/console`);
  expect(page.headers['content-type']).toMatch(/text\/html/);
  expect(page.body).toContain('data-key-required="true"');
  expect(page.body).not.toMatch(/<script>(?!<\/script>)/); // no inline script: CSP-friendly
  const js = await got(`${stack.api.url}/console/assets/console.js`);
  expect(js.headers['content-type']).toMatch(/javascript/);
  expect((await got(`${stack.api.url}/console/assets/nope.js`, { throwHttpErrors: false })).statusCode).toBe(404);
  // Chinese first: column headers in Chinese with the field name beside, the message catalog served before the script
  expect(page.body).toContain('<th title="orderNo">订单号 <small lang="en">orderNo</small></th>');
  expect(page.body.indexOf('/console/assets/messages.js')).toBeGreaterThan(0);
  expect(page.body.indexOf('/console/assets/messages.js')).toBeLessThan(page.body.indexOf('/console/assets/console.js'));
  const catalog = await got(`${stack.api.url}/console/assets/messages.js`);
  expect(catalog.headers['content-type']).toMatch(/javascript/);
  expect(catalog.body).toContain('UNKNOWN_ECTOKEN');
});

test('the demo endpoints need the key, validate input and never show names', async () => {
  expect((await anon.call('get', '/demo/persons')).status).toBe(401);
  const persons = await api.call('get', '/demo/persons');
  expect(persons.status).toBe(200);
  expect(persons.body.items).toContainEqual({ id: 'employee', psnNo: '801874939', route: 'NATIONAL' });
  expect(JSON.stringify(persons.body)).not.toMatch(/测试|310101/);
  const bad = await api.call('post', '/demo/voucher', { personId: 'no such!' });
  expect(bad.status).toBe(400);
  expect(bad.body.errors[0].path).toBe('personId');
  expect((await api.call('post', '/demo/voucher', { personId: 'nobody' })).status).toBe(404);
  const v = await api.call('post', '/demo/voucher', { personId: 'employee' });
  expect(v.status).toBe(200);
  expect(v.body).toMatchObject({ ecQrChannel: '3', ecQrCode: expect.stringMatching(/^\S{10,}$/) });
  expect(v.body.svg).toMatch(/^<svg[\s\S]*<path[\s\S]*<\/svg>\s*$/);
});

test('the demo page calls /api through the typed client: openapi-fetch served as a module, demo.js imports it', async () => {
  const page = await got(`${stack.api.url}/demo`);
  expect(page.body).toContain('<script src="/demo/assets/demo.js" type="module"></script>');
  expect(page.body).not.toMatch(/<script>(?!<\/script>)/); // no inline script: CSP-friendly
  const lib = await got(`${stack.api.url}/demo/assets/openapi-fetch.mjs`);
  expect(lib.headers['content-type']).toMatch(/^text\/javascript/); // a module script refuses other types
  expect(lib.body).toBe(fs.readFileSync(require.resolve('openapi-fetch/dist/index.mjs'), 'utf8'));
  expect(lib.body).toMatch(/export\s*\{[^}]*createClient as default/);

  const js = (await got(`${stack.api.url}/demo/assets/demo.js`)).body;
  expect(js).toMatch(/^import createClient from '\/demo\/assets\/openapi-fetch\.mjs';$/m);
  // every /api call is client.GET/POST on a path of the OpenAPI document; plain fetches reach /demo only
  const calls = [...js.matchAll(/client\.(GET|POST)\('([^']+)'/g)].map((m) => `${m[1]} ${m[2]}`);
  expect(calls.sort()).toEqual(['GET /api/settlements/{orderNo}', 'POST /api/settlements', 'POST /api/settlements/{orderNo}/refund']);
  const paths = openApiDocument({ serverUrl: stack.api.url }).paths as Record<string, Record<string, unknown>>;
  for (const c of calls) {
    const [method, p] = c.split(' ') as [string, string];
    expect(paths[p]?.[method.toLowerCase()]).toBeDefined();
  }
  expect([...js.matchAll(/s\.api\('([^']+)'/g)].map((m) => m[1])).toEqual(['/demo/persons', '/demo/voucher']);
});

test('search by ecToken finds the order; a malformed ecToken is a 400', async () => {
  const ecToken = stack.sim.platform.issueToken('employee');
  const orderNo = await api.settle(ecToken, '801874939', '10.00');
  const found = await waitFor(
    async () => {
      const r = await api.call('get', `/api/settlements?ecToken=${ecToken}`);
      return r.body.items?.length ? r.body.items : undefined;
    },
    15_000,
    200,
  );
  expect(found.map((i: any) => i.orderNo)).toEqual([orderNo]);
  const bad = await api.call('get', '/api/settlements?ecToken=a%22%20OR%20x');
  expect(bad.status).toBe(400);
  expect(bad.body.errors[0].path).toBe('ecToken');
});

test('without an embedded simulator there is no /demo', async () => {
  const config = loadConfig({
    TEMPORAL_ADDRESS: stack.config.TEMPORAL_ADDRESS,
    PLATFORM_URL: 'http://127.0.0.1:9/route',
    DATA_DIR: stack.config.dataDir,
    LOG_LEVEL: 'silent',
  });
  const other = await startApi(config, createLogger('test', 'silent'), { port: 0, host: '127.0.0.1' });
  try {
    expect((await got(`${other.url}/demo`, { throwHttpErrors: false })).statusCode).toBe(404);
    expect((await got(`${other.url}/console`, { throwHttpErrors: false })).statusCode).toBe(200); // loopback, no API_KEYS
  } finally {
    await other.close();
  }
});

test('a simulator that is down makes the demo endpoints answer 502, never a 500', async () => {
  const other = await startApi(stack.config, createLogger('test', 'silent'), { port: 0, host: '127.0.0.1', simulatorUrl: 'http://127.0.0.1:9' });
  try {
    const r = await apiClient(other.url, { authorization: `Bearer ${KEY}` }).call('get', '/demo/persons');
    expect(r.status).toBe(502);
    expect(r.body.detail).toMatch(/simulator unreachable/);
  } finally {
    await other.close();
  }
});
