import got from 'got';
import { API_ROUTES } from '../../api/routes';
import { ROLES, type Role } from '../../common/api-keys';
import { formatDate } from '../../protocol/shanghai-time';
import { apiClient, operator } from '../helpers/api-client';
import { startStack, type Stack } from '../helpers/stack';

// Keys with roles (API_KEYS=name:role:key), over HTTP on the real stack: every keyed route answers
// 401 without a key, 403 FORBIDDEN to a key of another role, and serves the roles it declares; the
// key's name is recorded beside the operator.
const KEY: Record<Role, string> = { his: 'his-key-0123456789abcdef', finance: 'finance-key-0123456789abcdef', ops: 'ops-key-0123456789abcdef' };
let stack: Stack;
const as = (role: Role | 'none') => apiClient(stack.api.url, role === 'none' ? {} : { authorization: `Bearer ${KEY[role]}` });

beforeAll(async () => {
  stack = await startStack({ API_KEYS: `his-app:his:${KEY.his},finance-desk:finance:${KEY.finance},oncall:ops:${KEY.ops}`, CALLBACK_ALLOW: '127.0.0.1' });
}, 180_000);
afterAll(async () => {
  await stack?.close();
});

/** A path of the route with sample parameters (the role is checked before the input is read). */
const samplePath = (p: string) =>
  p
    .replace('{orderNo}', 'H3101100005320261127154006308150889')
    .replace('{date}', '2026-11-27')
    .replace('{index}', '0')
    .replace('{id}', 'evt_20261127_H3101100005320261127154006308150889_1');

test('every keyed route: 401 without a key, 403 FORBIDDEN for each role it does not declare, never 401/403 for one it does', async () => {
  const keyed = API_ROUTES.filter((r) => r.access !== 'public');
  expect(keyed.length).toBeGreaterThan(10);
  for (const route of keyed) {
    const path = samplePath(route.path);
    const body = route.method === 'post' ? {} : undefined;
    const anon = await as('none').call(route.method, path, body);
    expect({ route: route.operationId, status: anon.status, code: anon.body.code }).toEqual({ route: route.operationId, status: 401, code: 'UNAUTHORIZED' });
    for (const role of ROLES) {
      const r = await as(role).call(route.method, path, body);
      const allowed = (route.access as Role[]).includes(role);
      if (allowed)
        expect({ route: route.operationId, role, refused: [401, 403].includes(r.status) }).toEqual({ route: route.operationId, role, refused: false });
      else
        expect({ route: route.operationId, role, status: r.status, code: r.body.code }).toEqual({
          route: route.operationId,
          role,
          status: 403,
          code: 'FORBIDDEN',
        });
    }
  }
  // the public health routes need no key
  expect((await as('none').call('get', '/livez')).status).toBe(200);
});

test('each route group serves its role: the HIS settles and refunds, finance reconciles and resolves, ops reads and scrapes metrics', async () => {
  const his = as('his');
  const finance = as('finance');
  const ops = as('ops');
  // settlements: the HIS starts and refunds; every role reads
  const orderNo = await his.settle(stack.sim.platform.issueToken('employee'), '801874939', '10.00');
  await his.until(orderNo, (v) => v.status === 'PAID');
  for (const c of [his, finance, ops]) {
    expect((await c.get(orderNo)).status).toBe(200);
    expect((await c.list()).status).toBe(200);
    expect((await c.call('get', '/api/events?limit=1')).status).toBe(200);
  }
  expect((await finance.create({})).status).toBe(403);
  expect((await ops.refund(orderNo)).status).toBe(403);
  expect((await his.refund(orderNo, { operator })).status).toBe(202);
  // finance: the day's reconciliation (finance only), the inbox and the review queue (finance and ops)
  const date = formatDate(Date.now());
  expect((await finance.reconciliation(date)).status).toBe(200);
  expect((await ops.reconciliation(date)).body.code).toBe('FORBIDDEN');
  expect((await his.reconciliation(date)).body.code).toBe('FORBIDDEN');
  for (const c of [finance, ops]) {
    expect((await c.inbox(date)).status).toBe(200);
    expect((await c.reviews()).status).toBe(200);
  }
  expect((await his.reviews()).body.code).toBe('FORBIDDEN');
  // operations: /metrics for ops only
  const metrics = (key: string) => got(`${stack.api.url}/metrics`, { headers: { authorization: `Bearer ${key}` }, throwHttpErrors: false });
  expect((await metrics(KEY.ops)).statusCode).toBe(200);
  expect((await metrics(KEY.finance)).statusCode).toBe(403);
  expect((await metrics(KEY.his)).statusCode).toBe(403);
});

test('resolve and match record the key name beside the operator', async () => {
  const finance = as('finance');
  const his = as('his');
  // a wrong-amount push that SE04 cannot confirm: NEEDS_REVIEW
  stack.sim.platform.faults.add({ kind: 'wrongAmountPush', personId: 'employee', times: 1 });
  stack.sim.platform.faults.add({ kind: 'http5xx', infno: 'SE04', personId: 'employee' });
  const review = await his.settle(stack.sim.platform.issueToken('employee'), '801874939', '20.00');
  await his.until(review, (v) => v.status === 'NEEDS_REVIEW', 30_000);
  stack.sim.platform.faults.clear();
  const r = await finance.resolve(review, { decision: 'FAILED', operator: '财务王', note: '金额不符' });
  expect(r.status).toBe(200);
  expect(r.body.resolution).toMatchObject({ decision: 'FAILED', operator: '财务王', by: 'finance-desk' });
  expect(r.body.events.find((e: { type: string }) => e.type === 'RESOLVED').detail).toBe('FAILED by 财务王 (key finance-desk): 金额不符');
  expect(r.body.reason).toContain('财务王 (key finance-desk)');

  // an orphan push (unknown ecToken) matched to an order by the finance key
  const orderNo = await his.settle(stack.sim.platform.issueToken('employee'), '801874939', '5.00');
  await his.until(orderNo, (v) => v.status === 'PAID');
  const { v13Sample } = await import('../fixtures');
  expect((await his.call('post', '/shyb/notify/nation', v13Sample('se03-push'))).status).toBe(200);
  const date = formatDate(Date.now());
  const inbox = (await finance.inbox(date)).body.items as Array<{ index: number; matchedOrderNo?: string }>;
  const orphan = inbox.find((i) => !i.matchedOrderNo)!;
  const m = await finance.match(date, orphan.index, { orderNo, operator: '财务王' });
  expect(m.status).toBe(200);
  expect(m.body.matchedBy).toBe('财务王 (key finance-desk)');
});
