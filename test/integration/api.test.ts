import got from 'got';
import { startApi } from '../../api/server';
import { loadConfig } from '../../common/config';
import { createLogger } from '../../common/logger';
import { formatDate } from '../../protocol/shanghai-time';
import { freePort, startDevServer } from '../../scripts/dev-server';
import { v13Sample } from '../fixtures';
import { apiClient, hisPayRequest, operator } from '../helpers/api-client';
import { waitFor } from '../helpers/receiver';
import { problemBody } from '../../api/errors';
import { startStack, type Stack } from '../helpers/stack';

let stack: Stack;
let api: ReturnType<typeof apiClient>;
const EMPLOYEE = '801874939';
const token = () => stack.sim.platform.issueToken('employee');
const body = (ecToken: string, extra: Record<string, unknown> = {}) => ({ ecToken, operator, payRequest: hisPayRequest(EMPLOYEE), ...extra });

beforeAll(async () => {
  stack = await startStack();
  api = apiClient(stack.api.url);
});
afterAll(() => stack?.close());
beforeEach(() => {
  stack.sim.platform.faults.clear();
  stack.sim.platform.settings.pushMode = 'on';
});

describe('POST /api/settlements', () => {
  test('202 with orderNo, status and links', async () => {
    const r = await api.create(body(token()));
    expect(r.status).toBe(202);
    expect(r.body.orderNo).toMatch(/^H31011000053\d{23}$/);
    expect(r.body).toMatchObject({ status: 'PROCESSING', links: { self: `/api/settlements/${r.body.orderNo}` } });
    await api.until(r.body.orderNo, (v) => v.status === 'PAID');
  });

  test.each([
    ['no operator', (b: any) => delete b.operator, 'operator'],
    ['opter_type 3', (b: any) => (b.operator = { ...operator, opter_type: '3' }), 'operator.opter_type'],
    ['3 decimals', (b: any) => (b.payRequest.medfee_sumamt = '1.005'), 'payRequest.medfee_sumamt'],
    ['zero amount', (b: any) => (b.payRequest.medfee_sumamt = '0.00'), 'payRequest.medfee_sumamt'],
    ['both a QR code and a token', (b: any) => Object.assign(b, { ecQrCode: 'x', ecQrChannel: '1' }), 'ecToken'],
    ['mdtrt_cert_no is ours to set', (b: any) => (b.payRequest.mdtrt_cert_no = 'x'), 'payRequest'],
    ['QR code without channel', (b: any) => Object.assign(b, { ecToken: undefined, ecQrCode: 'x' }), 'ecQrChannel'],
    ['a 19-digit pIdNo', (b: any) => (b.pIdNo = '3101011990010112345'), 'pIdNo'],
    ['an unknown field', (b: any) => (b.surprise = 1), ''],
    ['markup as the ecToken', (b: any) => (b.ecToken = '<img src=x onerror=alert(1)>'), 'ecToken'],
    ['a right-to-left override in mdtrt_id', (b: any) => (b.payRequest.mdtrt_id = 'M1\u202E2M'), 'payRequest.mdtrt_id'],
    ['a NUL in opter_name', (b: any) => (b.operator = { ...b.operator, opter_name: '操作员\u0000' }), 'operator.opter_name'],
  ])('400 for %s, naming the field', async (_name, mutate, path) => {
    const b: any = body('tok');
    mutate(b);
    const r = await api.create(JSON.parse(JSON.stringify(b)));
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
    expect(r.body.errors.map((d: any) => d.path).join(' ')).toContain(path);
  });

  test('400 for a body that is not JSON, without a stack trace', async () => {
    const r = await got.post(`${stack.api.url}/api/settlements`, {
      body: '{"a":',
      headers: { 'content-type': 'application/json' },
      throwHttpErrors: false,
      responseType: 'json',
    });
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(r.body).toEqual(problemBody('INVALID_BODY', 'body is not valid JSON'));
  });

  test('the same Idempotency-Key returns the same settlement and starts no second workflow', async () => {
    const key = `idem-${Date.now()}`;
    const b = body(token());
    const [a, c] = await Promise.all([api.create(b, { 'idempotency-key': key }), api.create(b, { 'idempotency-key': key })]);
    expect(a.status).toBe(202);
    expect(c.status).toBe(202);
    expect(c.body.orderNo).toBe(a.body.orderNo);
    const later = await api.create({ ...b, idempotencyKey: key });
    expect(later.body.orderNo).toBe(a.body.orderNo);
    await api.until(a.body.orderNo, (v) => v.status === 'PAID');
    expect(stack.sim.platform.ledger().se02ByOrderNo[a.body.orderNo]).toBe(1);
    const different = await api.create({ ...b, payRequest: { ...b.payRequest, medfee_sumamt: '1.00' } }, { 'idempotency-key': key });
    expect(different).toMatchObject({ status: 409, body: { code: 'IDEMPOTENCY_KEY_REUSED' } });
  });
});

describe('GET, list, resolve', () => {
  test('?wait long-polls until the settlement is decided', async () => {
    stack.sim.platform.settings.settleDelayMs = 1_500;
    try {
      const orderNo = await api.settle(token(), EMPLOYEE);
      const t0 = Date.now();
      const r = await api.get(orderNo, 20);
      expect(r.status).toBe(200);
      expect(r.body.status).toBe('PAID');
      expect(Date.now() - t0).toBeLessThan(15_000);
      expect((await api.get(orderNo, 99)).status).toBe(400);
    } finally {
      stack.sim.platform.settings.settleDelayMs = 100;
    }
  });

  test('?wait returns the current view when the deadline passes first', async () => {
    stack.sim.platform.settings.pushMode = 'off';
    stack.sim.platform.settings.settleDelayMs = 60_000;
    try {
      const orderNo = await api.settle(token(), EMPLOYEE);
      const t0 = Date.now();
      const r = await api.get(orderNo, 1);
      expect(r.body.status).toBe('PROCESSING');
      expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    } finally {
      stack.sim.platform.settings.settleDelayMs = 100;
    }
  });

  test('404 for an unknown order, 400 for a malformed one', async () => {
    const unknown = await api.get('H31011000053202601010000000000000000'.slice(0, 35));
    expect(unknown).toMatchObject({
      status: 404,
      body: { code: 'ORDER_NOT_FOUND', status: 404, type: 'tag:shyb-pay,2026:problem:ORDER_NOT_FOUND', title: expect.any(String) },
    });
    const bad = await api.get('nope');
    expect(bad).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED', errors: [{ path: 'orderNo', message: 'not an orderNo' }] } });
    const nowhere = await api.call('get', '/api/nowhere');
    expect(nowhere).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
  });

  test('lists settlements by status through visibility', async () => {
    const orderNo = await api.settle(token(), EMPLOYEE);
    await api.until(orderNo, (v) => v.status === 'PAID');
    const listed = await waitFor(async () => {
      const r = await api.list({ status: 'PAID', from: new Date(Date.now() - 60_000).toISOString() });
      return r.body.items.find((i: any) => i.orderNo === orderNo);
    });
    expect(listed).toMatchObject({ status: 'PAID', route: 'NATIONAL', channel: 'wechat', cashAmount: 30 });
    expect((await api.call('get', '/api/settlements?status=WHATEVER')).status).toBe(400);
  });

  test('resolve validates its body and refuses a settlement that is not in review', async () => {
    const orderNo = await api.settle(token(), EMPLOYEE);
    await api.until(orderNo, (v) => v.status === 'PAID');
    expect((await api.resolve(orderNo, { decision: 'MAYBE', operator: 'a', note: 'b' })).status).toBe(400);
    const r = await api.resolve(orderNo, { decision: 'FAILED', operator: 'a', note: 'b' });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ code: 'RESOLVE_NOT_ALLOWED', detail: expect.stringMatching(/only a settlement in NEEDS_REVIEW/) });
  });

  test('healthz reports Temporal and the platform', async () => {
    const r = await api.health();
    expect(r).toMatchObject({ status: 200, body: { temporal: 'ok', platform: 'ok' } });
  });
});

describe('national route input (issue 10)', () => {
  test("the V13 SE02 sample's payRequest as printed ({data}, mdtrt_cert_type 01, mdtrt_cert_no = ecToken) is accepted and settles", async () => {
    const sample = v13Sample('se02-request').input;
    const r = await api.create({ ecToken: sample.ecToken, operator, payRequest: sample.payRequest, pName: sample.pName, pIdNo: sample.pIdNo });
    expect(r.status).toBe(202);
    const v = await api.until(r.body.orderNo, (x) => x.status === 'PAID');
    // the API view masks psn_no to its last 4 characters (issue 14)
    const psnNo: string = sample.payRequest.data.psn_no;
    expect(v.setlinfo.psn_no).toBe('*'.repeat(psnNo.length - 4) + psnNo.slice(-4));
  });

  test.each([
    ['mdtrt_cert_type other than 01', (b: any) => (b.payRequest.mdtrt_cert_type = '02'), 'payRequest.mdtrt_cert_type', /must be "01"/],
    ['mdtrt_cert_no other than the ecToken', (b: any) => (b.payRequest.mdtrt_cert_no = '310101199001011234'), 'payRequest.mdtrt_cert_no', /must equal ecToken/],
    [
      'mdtrt_cert_no with a QR code',
      (b: any) => Object.assign(b, { ecToken: undefined, ecQrCode: 'QR', ecQrChannel: '2', payRequest: { ...b.payRequest, mdtrt_cert_no: 'x' } }),
      'payRequest.mdtrt_cert_no',
      /only accepted with ecToken/,
    ],
    ['a 5-digit insuplcAdmdvs', (b: any) => (b.insuplcAdmdvs = '31010'), 'insuplcAdmdvs', /6-digit/],
  ])('400 for %s, with a clear message', async (_name, mutate, path, message) => {
    const b: any = body('tok');
    mutate(b);
    const r = await api.create(JSON.parse(JSON.stringify(b)));
    expect(r.status).toBe(400);
    const detail = r.body.errors.find((d: any) => d.path === path);
    expect(detail?.message).toMatch(message);
  });

  test('insuplcAdmdvs (6 digits) is accepted at settlement start', async () => {
    const r = await api.create(body(token(), { insuplcAdmdvs: '310104' }));
    expect(r.status).toBe(202);
    await api.until(r.body.orderNo, (v) => v.status === 'PAID');
  });
});

describe('POST /api/identities', () => {
  const identify = async (personId: string, ecQrChannel = '2') => {
    const { ecQrCode } = stack.sim.platform.issueQrCode(personId)!;
    return api.call('post', '/api/identities', { ecQrCode, ecQrChannel, operator });
  };

  test('a national person: ecToken, route, tokenExpiresAt, psnNo and insuplcAdmdvs from 1101, and no name or ID number', async () => {
    const t0 = Date.now();
    const r = await identify('v13-sample');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      route: 'NATIONAL',
      routeReason: expect.stringMatching(/^no 五期 rule matched.*national platform$/),
      psnNo: '888838818',
      insuplcAdmdvs: '310104',
    });
    expect(r.body.ecToken).toMatch(/^310000ect/);
    const expires = Date.parse(r.body.tokenExpiresAt);
    const validMs = stack.config.timing.tokenValidMs!; // 5 minutes by default (五期 §1.3.7); the test stack's is shorter
    expect(expires - t0).toBeGreaterThanOrEqual(validMs - 1000);
    expect(expires - Date.now()).toBeLessThanOrEqual(validMs);
    const text = JSON.stringify(r.body);
    const person = stack.sim.platform.person('v13-sample')!;
    for (const secret of [person.name, person.idno, person.idno.slice(6, 14)]) expect(text).not.toContain(secret);
    expect(Object.keys(r.body).sort()).toEqual(['ecToken', 'insuplcAdmdvs', 'psnNo', 'route', 'routeReason', 'tokenExpiresAt']);
    const calls = stack.sim.platform.ledger().nationalCalls;
    expect(calls['1101']).toBeGreaterThanOrEqual(1);
  });

  test('the HIS then settles with that ecToken and insuplcAdmdvs', async () => {
    const id = (await identify('employee')).body;
    expect(id).toMatchObject({ route: 'NATIONAL', psnNo: EMPLOYEE, insuplcAdmdvs: '310000' });
    const r = await api.create({ ecToken: id.ecToken, operator, payRequest: hisPayRequest(id.psnNo), insuplcAdmdvs: id.insuplcAdmdvs });
    expect(r.status).toBe(202);
    await api.until(r.body.orderNo, (v) => v.status === 'PAID');
  });

  test('a 五期 person: the route and its reason, no 1101', async () => {
    const before = stack.sim.platform.ledger().nationalCalls['1101'] ?? 0;
    const r = await identify('mutual-aid');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ route: 'WUQI', routeReason: expect.stringContaining('医疗互助帮困对象') });
    expect(r.body.psnNo).toBeUndefined();
    expect(stack.sim.platform.ledger().nationalCalls['1101'] ?? 0).toBe(before);
  });

  test('422 when SE01 refuses the QR code (used twice); 400 naming the fields for a bad body', async () => {
    const { ecQrCode } = stack.sim.platform.issueQrCode('employee')!;
    expect((await api.call('post', '/api/identities', { ecQrCode, ecQrChannel: '1', operator })).status).toBe(200);
    const again = await api.call('post', '/api/identities', { ecQrCode, ecQrChannel: '1', operator });
    expect(again.status).toBe(422);
    expect(again.body.detail).toMatch(/^SE01 refused the e-voucher/);
    const bad = await api.call('post', '/api/identities', { ecQrCode: '', ecQrChannel: '4' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((d: any) => d.path).sort()).toEqual(['ecQrChannel', 'ecQrCode', 'operator']);
  });

  test('healthz shows the 9001 sign-in state', async () => {
    const r = await api.call('get', '/healthz');
    expect(r.body.signIn).toContainEqual(expect.objectContaining({ state: 'SIGNED_IN' }));
  });
});

describe('callback receiver', () => {
  test('the V13 SE03 and SE05 samples, verbatim, are acknowledged and kept in the inbox (unknown ecToken)', async () => {
    const se03 = await api.call('post', '/shyb/notify/nation', v13Sample('se03-push'));
    expect(se03).toEqual({ status: 200, body: { infcode: 0 } });
    const se05 = await api.call('post', '/shyb/refund/nation', v13Sample('se05-push'));
    expect(se05).toEqual({ status: 200, body: { infcode: 0 } });
    const inbox = await stack.api.service.queries.inbox(formatDate(Date.now()));
    const mine = inbox.filter((i) => i.ecToken === '310000ect7tf9a003v0b230aa80000f60289ab');
    expect(mine.map((i) => i.kind).sort()).toEqual(['SE03', 'SE05']);
    expect(mine.every((i) => i.why === 'UNKNOWN_ECTOKEN')).toBe(true);
  });

  test('a bad push body gets infcode -1 with the field and leaves no trace', async () => {
    const before = (await stack.api.service.queries.inbox(formatDate(Date.now()))).length;
    const push = v13Sample('se03-push');
    delete push.output.tradeNo;
    const r = await api.call('post', '/shyb/notify/nation', push);
    expect(r.status).toBe(400);
    expect(r.body.infcode).toBe(-1);
    expect(r.body.err_msg).toMatch(/output\.tradeNo/);
    const notJson = await got.post(`${stack.api.url}/shyb/notify/nation`, {
      body: 'xx',
      headers: { 'content-type': 'application/json' },
      throwHttpErrors: false,
      responseType: 'json',
    });
    expect(notJson.body).toEqual({ infcode: -1, err_msg: 'body is not valid JSON' });
    const wuqi = await api.call('post', '/shyb/notify', { xxnr: { ecToken: 'x' } });
    expect(wuqi.body.xxfhm).toBe('C001');
    expect((await stack.api.service.queries.inbox(formatDate(Date.now()))).length).toBe(before);
  });

  test('a push that arrives before the workflow waits is still counted', async () => {
    stack.sim.platform.faults.add({ kind: 'pushBeforeReply' });
    const orderNo = await api.settle(token(), EMPLOYEE);
    const v = await api.until(orderNo, (x) => x.status === 'PAID');
    expect(v.reason).toBe('by push');
  });
});

describe('auth, allow-list and an unreachable Temporal', () => {
  test('401 without a key when API_KEYS is set; the key works', async () => {
    const config = loadConfig({ ...envOf(stack), API_KEYS: 'his-app:his:k1,oncall:ops:k2', CALLBACK_ALLOW: '127.0.0.1' });
    const keyed = await startApi(config, createLogger('t', 'silent'), { port: 0, host: '127.0.0.1' });
    try {
      expect(await apiClient(keyed.url).get('H31011000053202601010000000000000000'.slice(0, 35))).toMatchObject({
        status: 401,
        body: { code: 'UNAUTHORIZED' },
      });
      expect((await apiClient(keyed.url, { authorization: 'Bearer wrong' }).list()).status).toBe(401);
      expect((await apiClient(keyed.url, { authorization: 'Bearer k2' }).list()).status).toBe(200);
      // health without a key: the states only; with one, the platform address and the sign-in record
      for (const path of ['/healthz', '/readyz']) {
        const open = await apiClient(keyed.url).call('get', path);
        expect(open.status).toBe(200);
        expect(Object.keys(open.body).sort()).toEqual(['platform', 'status', 'temporal']);
        const keyedHealth = await apiClient(keyed.url, { authorization: 'Bearer k1' }).call('get', path);
        expect(keyedHealth.body).toMatchObject({ status: 'ok', platformUrl: config.platformUrl, signIn: expect.any(Array) });
      }
    } finally {
      await keyed.close();
    }
  });

  test('CALLBACK_ALLOW refuses other addresses', async () => {
    const config = loadConfig({ ...envOf(stack), CALLBACK_ALLOW: '10.1.0.0/16' });
    const guarded = await startApi(config, createLogger('t', 'silent'), { port: 0, host: '127.0.0.1' });
    try {
      const r = await apiClient(guarded.url).call('post', '/shyb/notify/nation', v13Sample('se03-push'));
      expect(r.status).toBe(403);
    } finally {
      await guarded.close();
    }
  });

  test('with Temporal stopped, a push is not acknowledged', async () => {
    const server = await startDevServer({ port: await freePort(), headless: true });
    const config = loadConfig({ ...envOf(stack), TEMPORAL_ADDRESS: server.address });
    const lonely = await startApi(config, createLogger('t', 'silent'), { port: 0, host: '127.0.0.1' });
    try {
      await server.stop();
      const r = await apiClient(lonely.url).call('post', '/shyb/notify/nation', v13Sample('se03-push'));
      expect(r.status).toBe(503);
      expect(r.body.infcode).toBe(-1);
      const h = await apiClient(lonely.url).call('get', '/healthz');
      expect(h).toMatchObject({ status: 503, body: { temporal: 'unreachable' } });
    } finally {
      await lonely.close();
    }
  }, 60_000);
});

function envOf(s: Stack): Record<string, string> {
  return {
    TEMPORAL_ADDRESS: s.config.TEMPORAL_ADDRESS,
    TEMPORAL_TASK_QUEUE: s.config.TEMPORAL_TASK_QUEUE,
    PLATFORM_URL: s.config.platformUrl,
    WUQI_URL: s.config.wuqiUrl,
    DATA_DIR: s.config.dataDir,
    LOG_LEVEL: 'silent',
  };
}
