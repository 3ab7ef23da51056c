import * as net from 'node:net';
import { Writable } from 'node:stream';
import got from 'got';
import { startApi, type ApiServer } from '../../api/server';
import { loadConfig, type Config } from '../../common/config';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { createLogger, PinoSdkLogger } from '../../common/logger';
import { REQUEST_ID_HEADER } from '../../common/request-id-header';
import { createWorker } from '../../worker/create-worker';
import { freePort } from '../../scripts/dev-server';
import { v13Sample } from '../fixtures';
import { apiClient, hisPayRequest, operator } from '../helpers/api-client';
import { waitFor } from '../helpers/receiver';
import { problemBody } from '../../api/errors';
import { MAX_YUAN } from '../../api/schemas';
import { formatYuanBig, toFenBig } from '../../protocol/money';
import { formatDate } from '../../protocol/shanghai-time';
import { startStack, workflowBundle, type Stack } from '../helpers/stack';

// The edges found by trying to break the API (issue 14): each answers a clear 4xx, never a 5xx,
// and the hardening around them (timeouts, loopback, proxy, rate limit, metrics auth) holds.
let stack: Stack;
let api: ReturnType<typeof apiClient>;
const extra: ApiServer[] = [];
const EMPLOYEE = '801874939';

beforeAll(async () => {
  stack = await startStack({ HTTP_HEADERS_TIMEOUT_MS: '1000', HTTP_REQUEST_TIMEOUT_MS: '1500', HTTP_KEEPALIVE_TIMEOUT_MS: '500' });
  api = apiClient(stack.api.url);
});
afterAll(async () => {
  for (const a of extra) await a.close();
  await stack?.close();
});

/** Another API on the stack's Temporal, with some settings changed. */
async function otherApi(env: Record<string, string>, log = createLogger('t', 'silent')): Promise<{ api: ApiServer; config: Config }> {
  const config = loadConfig({
    TEMPORAL_ADDRESS: stack.config.TEMPORAL_ADDRESS,
    TEMPORAL_TASK_QUEUE: stack.config.TEMPORAL_TASK_QUEUE,
    DATA_DIR: stack.config.dataDir,
    LOG_LEVEL: 'info',
    ...env,
  });
  const a = await startApi(config, log, { port: 0, host: '127.0.0.1' });
  extra.push(a);
  return { api: a, config };
}

const nest = (depth: number, leaf: unknown = 1): unknown => {
  let v: unknown = leaf;
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
};
const deepText = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

async function raw(path: string, body: string | Buffer, headers: Record<string, string> = {}) {
  const r = await got.post(`${stack.api.url}${path}`, {
    body,
    headers: { 'content-type': 'application/json', ...headers },
    throwHttpErrors: false,
    retry: { limit: 0 },
    responseType: 'text',
  });
  return { status: r.statusCode, body: JSON.parse(r.body) as any, headers: r.headers };
}

describe('hostile bodies get a clear 4xx', () => {
  const start = (extraFields: Record<string, unknown>) => ({
    ecToken: '310000ect00000000000000000000edge',
    operator,
    payRequest: hisPayRequest(EMPLOYEE),
    ...extraFields,
  });

  test('wuqiPayRequest nested 10,000 deep: 400, nothing started', async () => {
    const r = await raw('/api/settlements', JSON.stringify(start({})).replace(/}$/, `,"wuqiPayRequest":${deepText(10_000)}}`));
    expect(r.status).toBe(400);
    expect(r.body.detail).toMatch(/nested deeper than 32/);
  });

  test('a 五期 bill that is not flat fields or detail rows: 400 naming wuqiPayRequest', async () => {
    const r = await api.create(start({ wuqiPayRequest: { mx: [{ row: { deeper: 1 } }] } }));
    expect(r.status).toBe(400);
    expect(r.body.errors.map((d: any) => d.path).join(' ')).toContain('wuqiPayRequest');
  });

  test('medfee_sumamt "99999999999999.99" (beyond exact fen): 400 naming the field', async () => {
    const r = await api.create(start({ payRequest: hisPayRequest(EMPLOYEE, '99999999999999.99') }));
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([{ path: 'payRequest.medfee_sumamt', message: 'must be at most 90071992547409.91' }]);
  });

  test.each([
    ['/shyb/notify/nation', (deep: unknown) => ({ ...v13Sample('se03-push'), output: { ...v13Sample('se03-push').output, payResponse: deep } })],
    ['/shyb/refund/nation', (deep: unknown) => ({ ...v13Sample('se05-push'), output: { ...v13Sample('se05-push').output, extra: deep } })],
  ])('a push to %s with a field nested 10,000 deep: 400 infcode -1, never 503', async (path, build) => {
    const asObject = await raw(path, JSON.stringify(build('__DEEP__')).replace('"__DEEP__"', deepText(10_000)));
    expect(asObject.status).toBe(400);
    expect(asObject.body).toEqual({ infcode: -1, err_msg: expect.stringMatching(/nested deeper/) });
    // the same depth inside a JSON string (payResponse is often sent as one)
    const asString = await raw(path, JSON.stringify(build(deepText(10_000))));
    expect(asString.status).toBe(400);
    expect(asString.body.infcode).toBe(-1);
  });

  test('a 五期 push with a field nested 10,000 deep: 400 C001', async () => {
    const r = await raw('/shyb/notify', JSON.stringify({ xxnr: { ecToken: 'x', payResponse: '__DEEP__' } }).replace('"__DEEP__"', deepText(10_000)));
    expect(r.status).toBe(400);
    expect(r.body.xxfhm).toBe('C001');
    // refused for its depth, before any field check (a field error alone would pass without the guard)
    expect(r.body.fhxx).toMatch(/nested deeper/);
  });

  test('invalid UTF-8 is refused, not silently altered', async () => {
    const json = Buffer.from(JSON.stringify(start({ pName: '__X__' })));
    const withBytes = (bytes: number[]) =>
      Buffer.concat([json.subarray(0, json.indexOf('__X__')), Buffer.from(bytes), json.subarray(json.indexOf('__X__') + 5)]);
    // a lone continuation byte, a truncated 2-byte sequence, an overlong encoding
    for (const b of [withBytes([0xff, 0xfe, 0x41]), withBytes([0xc3, 0x28]), withBytes([0xc0, 0xaf])]) {
      const r = await raw('/api/settlements', b);
      expect(r.status).toBe(400);
      expect(r.body).toEqual(problemBody('INVALID_BODY', 'body is not valid UTF-8'));
    }
    const push = Buffer.from(JSON.stringify(v13Sample('se03-push')).replace('"ecToken":"', '"ecToken":"\u0001'));
    const badPush = Buffer.concat([push.subarray(0, push.indexOf(0x01)), Buffer.from([0xed, 0xa0, 0x80]), push.subarray(push.indexOf(0x01) + 1)]);
    const r = await raw('/shyb/notify/nation', badPush);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ infcode: -1, err_msg: 'body is not valid UTF-8' });
  });
});

describe('no 5xx from size', () => {
  // issue 20: a day holding the largest allowed amount plus one more PAID order answered 500 ("fen must be an integer")
  test('a day with the largest allowed amount and one more PAID order: the reconciliation answers 200, summed exactly', async () => {
    const p = stack.sim.platform;
    const big = await api.settle(p.issueToken('employee'), EMPLOYEE, MAX_YUAN);
    const small = await api.settle(p.issueToken('employee'), EMPLOYEE, '0.01');
    await api.until(big, (v) => v.status === 'PAID', 30_000);
    await api.until(small, (v) => v.status === 'PAID', 30_000);
    const r = await api.reconciliation(formatDate(Date.now()));
    expect(r.status).toBe(200);
    const ours = r.body.rows.filter((x: any) => x.orderNo === big || x.orderNo === small);
    expect(ours.map((x: any) => x.medfee_sumamt).sort()).toEqual(['0.01', MAX_YUAN]);
    // net is the exact sum of every money-moving row of the day (other tests' orders included)
    const moved = r.body.rows.filter((x: any) => (x.type === 'SETTLEMENT' && x.status === 'PAID') || x.type === 'REFUND');
    expect(r.body.totals.net.medfee_sumamt).toBe(formatYuanBig(moved.reduce((a: bigint, x: any) => a + toFenBig(x.medfee_sumamt), 0n)));
    expect(toFenBig(r.body.totals.net.medfee_sumamt)).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER));
  }, 60_000);

  // issue 20: 25 unauthenticated pushes with unknown ecTokens and a 200 KB extra field grew the inbox to 7 MB and GET /api/inbox answered 500
  test('orphan pushes with a 200 KB extra field: acknowledged, kept without it (nor payResponse), and the inbox pages', async () => {
    const tag = `${Date.now()}`.slice(-8);
    const sample = v13Sample('se03-push');
    for (let i = 0; i < 25; i++) {
      const ecToken = `310000ect${tag}${String(i).padStart(3, '0')}orphan`;
      const r = await api.call('post', '/shyb/notify/nation', { ...sample, output: { ...sample.output, ecToken, extra: 'x'.repeat(200_000) } });
      expect(r).toMatchObject({ status: 200, body: { infcode: 0 } });
    }
    const ours: any[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const r = await api.call('get', `/api/inbox?date=${formatDate(Date.now())}&limit=10${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(r.status).toBe(200);
      expect(r.body.items.length).toBeLessThanOrEqual(10);
      expect(r.body).toMatchObject({ dropped: 0, capacity: 2000 });
      ours.push(...r.body.items.filter((x: any) => x.ecToken.includes(tag)));
      cursor = r.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(ours).toHaveLength(25);
    expect(new Set(ours.map((x) => x.index)).size).toBe(25);
    // what Temporal keeps: the validated fields only, no payResponse, nothing near the 200 KB
    const kept = (await stack.api.service.queries.inbox(formatDate(Date.now()))).filter((p) => p.ecToken.includes(tag));
    expect(kept).toHaveLength(25);
    for (const p of kept) {
      expect(Object.keys(p.output).sort()).toEqual(['amount', 'billTime', 'channel', 'ecToken', 'gmt', 'orderNo', 'payStatus', 'tradeNo']);
      expect(JSON.stringify(p).length).toBeLessThan(1_000);
    }
    expect((await api.call('get', `/api/inbox?date=${formatDate(Date.now())}&cursor=bm90LWEtY3Vyc29y`)).body).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ path: 'cursor' }],
    });
  }, 60_000);
});

describe('slow and idle clients are cut off', () => {
  const closedWithin = (socket: net.Socket, ms: number) =>
    new Promise<number>((resolve, reject) => {
      const t0 = Date.now();
      const timer = setTimeout(() => reject(new Error(`connection still open after ${ms} ms`)), ms);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve(Date.now() - t0);
      });
      socket.on('error', () => undefined);
    });
  const connect = () =>
    new Promise<net.Socket>((resolve) => {
      const s = net.connect(stack.api.port, '127.0.0.1', () => resolve(s));
    });

  test('a client that sends headers slower than HTTP_HEADERS_TIMEOUT_MS is disconnected', async () => {
    const s = await connect();
    s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
    const drip = setInterval(() => s.write('X-Slow: 1\r\n'), 200);
    try {
      await closedWithin(s, 5_000);
    } finally {
      clearInterval(drip);
    }
  });

  test('a connection that never sends a byte is closed', async () => {
    await closedWithin(await connect(), 5_000);
  });

  test('an idle keep-alive connection is closed after HTTP_KEEPALIVE_TIMEOUT_MS', async () => {
    const s = await connect();
    const answered = new Promise<void>((r) => s.once('data', () => r()));
    s.write('GET /api/openapi.json HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
    await answered;
    expect(await closedWithin(s, 3_000)).toBeLessThan(3_000);
  });

  test('a body that trickles in past HTTP_REQUEST_TIMEOUT_MS is refused', async () => {
    const s = await connect();
    let reply = '';
    s.on('data', (d) => (reply += d.toString()));
    s.write('POST /api/settlements HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{');
    const drip = setInterval(() => s.write(' '), 200);
    try {
      await closedWithin(s, 6_000);
    } finally {
      clearInterval(drip);
    }
    expect(reply).toMatch(/^HTTP\/1.1 408/);
  });
});

describe('status views mask personal data', () => {
  test('brdy, gend, age, psn_no, names and ID numbers are masked; nothing else leaks', async () => {
    const orderNo = await api.settle(stack.sim.platform.issueToken('employee'), EMPLOYEE);
    const v = await api.until(orderNo, (x) => x.status === 'PAID');
    const s = v.setlinfo;
    expect(s).toMatchObject({ gend: '*', brdy: '****-**-**', age: '**' });
    expect(s.psn_no).toMatch(/^\*+\d{4}$/);
    expect(s.psn_no).not.toBe(EMPLOYEE);
    expect(s.psn_name).toMatch(/^.\*+$/u);
    expect(s.certno).toMatch(/^\d{6}\*+[\dXx]$|^\*+.$/);
    const text = JSON.stringify(v);
    expect(text).not.toContain(EMPLOYEE);
    expect(text).not.toMatch(/"brdy":"\d/);
    // the API's view is its own type: the workflow's internal fields do not leak
    expect(v).not.toHaveProperty('se02Msgid');
    expect(v).not.toHaveProperty('decidingPushReceivedAt');
  });
});

describe('the configured Temporal UI', () => {
  test('links.ui and the codec CORS origin follow TEMPORAL_UI_PORT or TEMPORAL_UI_URL, not a fixed 8233', async () => {
    expect(loadConfig({ TEMPORAL_UI_PORT: '9233' })).toMatchObject({
      temporalUiUrl: 'http://127.0.0.1:9233',
      codecCorsOrigins: ['http://127.0.0.1:9233', 'http://localhost:9233'],
    });
    expect(loadConfig({ TEMPORAL_UI_URL: 'https://temporal.hospital.example/' })).toMatchObject({
      temporalUiUrl: 'https://temporal.hospital.example',
      codecCorsOrigins: ['https://temporal.hospital.example'],
    });
    expect(loadConfig({ TEMPORAL_UI_PORT: '9233', CODEC_CORS_ORIGINS: 'https://a.example, https://b.example' }).codecCorsOrigins).toEqual([
      'https://a.example',
      'https://b.example',
    ]);

    const { api: a } = await otherApi({ TEMPORAL_UI_PORT: '9233' });
    const r = await apiClient(a.url).create({ ecToken: stack.sim.platform.issueToken('employee'), operator, payRequest: hisPayRequest(EMPLOYEE) });
    expect(r.body.links.ui).toBe(`http://127.0.0.1:9233/namespaces/default/workflows/${r.body.orderNo}`);
    const preflight = (origin: string) =>
      got(`${a.url}/codec/decode`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' }, throwHttpErrors: false });
    expect((await preflight('http://localhost:9233')).headers['access-control-allow-origin']).toBe('http://localhost:9233');
    expect((await preflight('http://127.0.0.1:8233')).headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('who may call', () => {
  test('without API_KEYS the API binds to loopback only, and refuses a non-loopback API_HOST', () => {
    expect(loadConfig({}).apiHost).toBe('127.0.0.1');
    expect(() => loadConfig({ API_HOST: '0.0.0.0' })).toThrow(/API_HOST=0.0.0.0 needs API_KEYS/);
    expect(() => loadConfig({ TRUST_PROXY: 'loopback' })).toThrow(/TRUST_PROXY needs API_KEYS/);
    expect(loadConfig({ API_KEYS: 'ops:ops:k', CALLBACK_ALLOW: '127.0.0.1' }).apiHost).toBe('0.0.0.0');
    expect(() => loadConfig({ API_KEYS: 'ops:ops:k', CALLBACK_ALLOW: '127.0.0.1', TRUST_PROXY: 'nonsense' })).toThrow(/TRUST_PROXY/);
    expect(loadConfig({ API_KEYS: 'ops:ops:k', CALLBACK_ALLOW: '127.0.0.1', TRUST_PROXY: '10.0.0.0/8, loopback' }).trustProxy).toEqual([
      '10.0.0.0/8',
      'loopback',
    ]);
  });

  test('without API_KEYS a request relayed by a same-host proxy is refused', async () => {
    const r = await got.get(`${stack.api.url}/api/inbox?date=2026-11-27`, {
      headers: { 'x-forwarded-for': '203.0.113.7' },
      throwHttpErrors: false,
      responseType: 'json',
    });
    expect(r.statusCode).toBe(401);
    expect((await api.inbox('2026-11-27')).status).toBe(200);
  });

  test('with API_KEYS and TRUST_PROXY the client address is the one the proxy names', async () => {
    const push = v13Sample('se03-push');
    const allowOnly = { API_KEYS: 'ops:ops:k1', CALLBACK_ALLOW: '198.51.100.9' };
    const trusting = await otherApi({ ...allowOnly, TRUST_PROXY: 'loopback' });
    const viaProxy = { 'x-forwarded-for': '198.51.100.9' };
    const ok = await got.post(`${trusting.api.url}/shyb/notify/nation`, { json: push, headers: viaProxy, throwHttpErrors: false, responseType: 'json' });
    expect(ok.statusCode).toBe(200);
    const untrusting = await otherApi(allowOnly);
    const refused = await got.post(`${untrusting.api.url}/shyb/notify/nation`, { json: push, headers: viaProxy, throwHttpErrors: false, responseType: 'json' });
    expect(refused.statusCode).toBe(403);
  });

  test('helmet headers on every answer', async () => {
    const r = await got.get(`${stack.api.url}/api/openapi.json`);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['content-security-policy']).toContain("default-src 'self'");
    expect(r.headers['x-powered-by']).toBeUndefined();
  });

  test('the pages get the strict CSP (no inline script) but no upgrade-insecure-requests, so plain http works', async () => {
    for (const page of ['/console', '/demo', '/api/docs/']) {
      const r = await got.get(`${stack.api.url}${page}`, { throwHttpErrors: false });
      expect({ page, status: r.statusCode }).toEqual({ page, status: 200 });
      const csp = String(r.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(r.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    }
  });

  test('rate limiting on /api answers 429; /shyb is never limited', async () => {
    const { api: limited } = await otherApi({ RATE_LIMIT_PER_MINUTE: '3' });
    const c = apiClient(limited.url);
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await c.inbox('2026-11-27')).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect((await c.inbox('2026-11-27')).body).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
    for (let i = 0; i < 6; i++) expect((await c.call('post', '/shyb/notify/nation', { infno: 'SE03' })).status).toBe(400);
  });
});

describe('observability', () => {
  test('X-Request-Id is accepted or generated, echoed, logged with the access line, and kept on the workflow', async () => {
    const lines: any[] = [];
    const sink = new Writable({
      write: (chunk, _enc, cb) => (
        lines.push(
          ...chunk
            .toString()
            .trim()
            .split('\n')
            .map((l: string) => JSON.parse(l)),
        ),
        cb()
      ),
    });
    const { api: logged } = await otherApi({}, createLogger('api', 'info', sink));
    const c = apiClient(logged.url, { 'x-request-id': 'his-req-42' });
    const r = await c.create({ ecToken: stack.sim.platform.issueToken('employee'), operator, payRequest: hisPayRequest(EMPLOYEE) });
    expect(r.status).toBe(202);
    const access = await waitFor(async () => lines.find((l) => l.req?.url === '/api/settlements' && l.res), 5_000, 50);
    expect(access).toMatchObject({ requestId: 'his-req-42', req: { id: 'his-req-42', method: 'POST' }, res: { statusCode: 202 } });
    expect(JSON.stringify(access)).not.toMatch(/authorization/i);
    expect(lines.find((l) => l.msg === 'settlement started')).toMatchObject({ requestId: 'his-req-42', orderNo: r.body.orderNo });
    // the start call carries it as a Temporal header (in the history; not a memo, which is encrypted and decoded by every list)
    const history = await stack.api.service.client.workflow.getHandle(r.body.orderNo).fetchHistory();
    const header = history.events![0]!.workflowExecutionStartedEventAttributes!.header!.fields![REQUEST_ID_HEADER]!;
    expect(defaultPayloadConverter.fromPayload(header as Payload)).toBe('his-req-42');
    await api.until(r.body.orderNo, (v) => v.status === 'PAID');

    const gen = await got.get(`${logged.url}/api/openapi.json`, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(gen.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('the platform-call log lines carry the orderNo and the X-Request-Id of the call that started the order', async () => {
    const lines: any[] = [];
    const sink = new Writable({
      write: (chunk, _enc, cb) => (
        lines.push(
          ...chunk
            .toString()
            .trim()
            .split('\n')
            .map((l: string) => JSON.parse(l)),
        ),
        cb()
      ),
    });
    const log = createLogger('worker', 'info', sink);
    const queue = `${stack.config.TEMPORAL_TASK_QUEUE}-logged`;
    const { api: a, config } = await otherApi({
      TEMPORAL_TASK_QUEUE: queue,
      PLATFORM_URL: stack.config.platformUrl,
      WUQI_URL: stack.config.wuqiUrl,
      SETTLEMENT_TIMING: stack.config.SETTLEMENT_TIMING!,
    });
    const { worker, connection } = await createWorker({ config, log, workflowBundle: await workflowBundle() });
    const running = worker.run();
    try {
      const c = apiClient(a.url, { 'x-request-id': 'his-req-77' });
      const r = await c.create({ ecToken: stack.sim.platform.issueToken('employee'), operator, payRequest: hisPayRequest(EMPLOYEE) });
      expect(r.status).toBe(202);
      const orderNo = r.body.orderNo as string;
      await c.until(orderNo, (v) => v.status === 'PAID');
      const calls = lines.filter((l) => l.msg === 'platform call');
      expect(calls.map((l) => l.infno)).toEqual(expect.arrayContaining(['SE02', 'SE04']));
      for (const l of calls) expect(l).toMatchObject({ orderNo, requestId: 'his-req-77' });
    } finally {
      worker.shutdown();
      await running;
      await connection.close();
    }
  });

  test('the Temporal SDK logger bridge writes pino JSON lines with the SDK metadata', () => {
    const lines: any[] = [];
    const sink = new Writable({ write: (chunk, _enc, cb) => (lines.push(JSON.parse(chunk.toString())), cb()) });
    const bridge = new PinoSdkLogger(createLogger('worker', 'debug', sink));
    bridge.warn('Workflow task failed', { workflowId: 'H310', sdkComponent: 'worker', fn: () => 1 });
    bridge.log('DEBUG', 'core says', { target: 'temporal_sdk_core' });
    expect(lines).toEqual([
      expect.objectContaining({ level: 40, msg: 'Workflow task failed', workflowId: 'H310', sdkComponent: 'worker' }),
      expect.objectContaining({ level: 20, msg: 'core says', target: 'temporal_sdk_core' }),
    ]);
    expect(lines[0]).not.toHaveProperty('fn');
  });

  test('metrics: standard default names, HTTP request metrics, build info; behind auth or on their own port', async () => {
    expect((await api.inbox('2026-11-27')).status).toBe(200);
    const text = (await got.get(`${stack.api.url}/metrics`)).body;
    expect(text).toMatch(/^process_cpu_seconds_total /m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes /m);
    expect(text).not.toContain('shyb_process_');
    expect(text).toMatch(/^http_request_duration_seconds_count\{method="GET",route="\/api\/inbox",status_code="200"\} \d+/m);
    expect(text).toMatch(/^shyb_build_info\{version="[\d.]+",commit="[^"]+",nodejs_version="v\d+[^"]*",temporal_sdk="[\d.]+"\} 1$/m);

    const { api: keyed } = await otherApi({ API_KEYS: 'ops:ops:k1', CALLBACK_ALLOW: '127.0.0.1' });
    expect((await got.get(`${keyed.url}/metrics`, { throwHttpErrors: false })).statusCode).toBe(401);
    expect((await got.get(`${keyed.url}/metrics`, { headers: { authorization: 'Bearer k1' } })).statusCode).toBe(200);

    const { api: own } = await otherApi({ API_KEYS: 'ops:ops:k1', CALLBACK_ALLOW: '127.0.0.1', API_METRICS_PORT: String(await freePort()) });
    expect(own.metricsUrl).toBeDefined();
    expect((await got.get(own.metricsUrl!)).body).toContain('process_cpu_seconds_total');
    expect((await got.get(`${own.url}/metrics`, { headers: { authorization: 'Bearer k1' }, throwHttpErrors: false })).statusCode).toBe(404);
  });

  test('the docs page at /api/docs', async () => {
    const r = await got.get(`${stack.api.url}/api/docs/`);
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('swagger-ui');
    const init = await got.get(`${stack.api.url}/api/docs/swagger-ui-init.js`);
    expect(init.body).toContain('createSettlement');
  });
});
