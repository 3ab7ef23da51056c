import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startApi, type ApiServer } from '../../api/server';
import { loadConfig } from '../../common/config';
import { createLogger } from '../../common/logger';

// The codec endpoint as the Temporal UI reaches it: the UI cannot hold a bearer key, so staff open
// a cookie session with a codec key at /codec/login; the UI then sends that cookie
// (TEMPORAL_CODEC_INCLUDE_CREDENTIALS=true) and reads clear payloads.
const UI = 'http://localhost:8080';
const log = createLogger('t', 'silent');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shyb-codec-'));
const env = (extra: Record<string, string>) => ({
  TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS!,
  DATA_DIR: dataDir,
  LOG_LEVEL: 'silent',
  PLATFORM_URL: 'http://127.0.0.1:9/gjptqzyy-test/api/v1/route',
  WUQI_URL: 'http://127.0.0.1:9/wuqi',
  CODEC_CORS_ORIGINS: UI,
  ...extra,
});

let api: ApiServer;
beforeAll(async () => {
  api = await startApi(
    loadConfig(env({ API_KEYS: 'ops:ops:api-key-0123456789', CALLBACK_ALLOW: '127.0.0.1', CODEC_KEYS: 'codec-key-0123456789,codec-key-abcdefghij' })),
    log,
    { port: 0, host: '127.0.0.1' },
  );
});
afterAll(async () => {
  await api.close();
});

const clear = {
  metadata: { encoding: Buffer.from('json/plain').toString('base64') },
  data: Buffer.from(JSON.stringify({ psn_name: '测试职工甲' })).toString('base64'),
};
const post = (p: string, body: unknown, headers: Record<string, string> = {}, base = api.url) =>
  fetch(`${base}${p}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

async function openSession(key: string, base = api.url): Promise<Response> {
  return fetch(`${base}/codec/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ key }).toString(),
    redirect: 'manual',
  });
}
const cookieOf = (r: Response) => (r.headers.get('set-cookie') ?? '').split(';')[0]!;

test('with keys set, the codec answers 401 to nobody, to an API key, and to a wrong codec key', async () => {
  expect((await post('/codec/decode', { payloads: [] })).status).toBe(401);
  expect((await post('/codec/decode', { payloads: [] }, { authorization: 'Bearer api-key-0123456789' })).status).toBe(401);
  expect((await openSession('not-a-key')).status).toBe(401);
  expect((await post('/codec/decode', { payloads: [] }, { cookie: 'shyb_codec=0.99999999999999.forged' })).status).toBe(401);
});

test('the login page is a form posting the key to the session endpoint', async () => {
  const r = await fetch(`${api.url}/codec/login`);
  expect(r.status).toBe(200);
  expect(await r.text()).toMatch(/<form method="post" action="session">[\s\S]*name="key"/);
});

test('a codec session cookie lets the UI decode what the codec encoded, cross-origin with credentials', async () => {
  const enc = await post('/codec/encode', { payloads: [clear] }, { authorization: 'Bearer codec-key-abcdefghij' });
  expect(enc.status).toBe(200);
  const encoded = ((await enc.json()) as { payloads: Array<{ data: string }> }).payloads;
  expect(Buffer.from(encoded[0]!.data, 'base64').toString('latin1')).not.toContain(JSON.stringify({ psn_name: '测试职工甲' }));

  const s = await openSession('codec-key-0123456789');
  expect(s.status).toBe(200);
  const setCookie = s.headers.get('set-cookie')!;
  expect(setCookie).toMatch(/^shyb_codec=0\.\d+\.[\w-]+;/);
  expect(setCookie).toMatch(/HttpOnly/i);
  expect(setCookie).toMatch(/SameSite=Lax/i);
  expect(setCookie).toMatch(/Path=\/codec/i);

  // the browser's preflight, then the decode call with the cookie, as the UI makes them
  const pre = await fetch(`${api.url}/codec/decode`, {
    method: 'OPTIONS',
    headers: { origin: UI, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' },
  });
  expect(pre.status).toBe(204);
  expect(pre.headers.get('access-control-allow-origin')).toBe(UI);
  expect(pre.headers.get('access-control-allow-credentials')).toBe('true');
  const dec = await post('/codec/decode', { payloads: encoded }, { cookie: cookieOf(s), origin: UI, 'x-namespace': 'default' });
  expect(dec.status).toBe(200);
  expect(dec.headers.get('access-control-allow-origin')).toBe(UI);
  const payload = ((await dec.json()) as { payloads: Array<{ data: string }> }).payloads[0]!;
  expect(JSON.parse(Buffer.from(payload.data, 'base64').toString('utf8'))).toEqual({ psn_name: '测试职工甲' });

  // a tampered cookie is refused
  const tampered = cookieOf(s).replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
  expect((await post('/codec/decode', { payloads: encoded }, { cookie: tampered })).status).toBe(401);
});

test('removing a key from CODEC_KEYS ends its sessions; without CODEC_KEYS the finance and ops API keys open sessions, an HIS key does not', async () => {
  const s = await openSession('codec-key-0123456789');
  const cookie = cookieOf(s);
  const rotated = await startApi(
    loadConfig(env({ API_KEYS: 'ops:ops:api-key-0123456789', CALLBACK_ALLOW: '127.0.0.1', CODEC_KEYS: 'codec-key-new-0123456789' })),
    log,
    { port: 0, host: '127.0.0.1' },
  );
  const fallback = await startApi(
    loadConfig(env({ API_KEYS: 'ops:ops:api-key-0123456789,his-app:his:his-key-0123456789', CALLBACK_ALLOW: '127.0.0.1' })),
    log,
    { port: 0, host: '127.0.0.1' },
  );
  try {
    expect((await post('/codec/decode', { payloads: [] }, { cookie }, rotated.url)).status).toBe(401);
    const s2 = await openSession('api-key-0123456789', fallback.url);
    expect(s2.status).toBe(200);
    expect((await post('/codec/decode', { payloads: [] }, { cookie: cookieOf(s2) }, fallback.url)).status).toBe(200);
    // the Temporal UI shows decoded payments to staff: an HIS's key opens no codec session
    expect((await openSession('his-key-0123456789', fallback.url)).status).toBe(401);
  } finally {
    await rotated.close();
    await fallback.close();
  }
});
