import { startApi, type ApiServer } from '../../api/server';
import { createLogger } from '../../common/logger';
import { SettlementStatusKey } from '../../common/search-attributes';
import { formatDate } from '../../protocol/shanghai-time';
import { v13Sample } from '../fixtures';
import { apiClient, hisPayRequest, operator } from '../helpers/api-client';
import { waitFor } from '../helpers/receiver';
import { startStack, type Stack } from '../helpers/stack';

// Issue 20 item 1: a push finds its order by the ecToken's claim (its workflow ID, its memo), on any API
// process, with no prior read. QR orders are the hard case: the workflow decodes the ecToken, so no API
// process has seen it, and the EcToken search attribute is written only at the first status change.

let stack: Stack;
let second: ApiServer;
const EMPLOYEE = '801874939';

beforeAll(async () => {
  stack = await startStack();
  // a second API process on the same Temporal and task queue, as a deployment with two replicas has
  second = await startApi(stack.config, createLogger('test', 'silent'), { port: 0, host: '127.0.0.1', simulatorUrl: stack.sim.url });
}, 120_000);
afterAll(async () => {
  await stack?.close();
  await second?.close();
});

/** Waits on the SettlementStatus search attribute: it reads Temporal, not the API, so no token cache fills. */
async function finalStatus(orderNo: string): Promise<string> {
  const handle = stack.api.service.client.workflow.getHandle(orderNo);
  return waitFor(
    async () => {
      const s = (await handle.describe()).typedSearchAttributes.get(SettlementStatusKey);
      return s && s !== 'PROCESSING' ? s : undefined;
    },
    20_000,
    200,
  );
}

async function startQrOrders(n: number): Promise<string[]> {
  const api = apiClient(stack.api.url);
  const orders: string[] = [];
  for (let i = 0; i < n; i++) {
    const qr = stack.sim.platform.issueQrCode('employee')!.ecQrCode;
    const r = await api.create({ ecQrCode: qr, ecQrChannel: '3', operator, payRequest: hisPayRequest(EMPLOYEE, `${10 + i}.00`) });
    expect(r.status).toBe(202);
    orders.push(r.body.orderNo);
  }
  return orders;
}

test('QR orders read by nobody are PAID by push through either API process, and the inbox holds no orphan', async () => {
  const pushed = new Map<string, number>();
  const orders: string[] = [];
  // First batch: started on process 1, pushed to process 2. Second batch: pushed to process 1, which
  // started them but never learnt their ecTokens (decoded by the workflow).
  for (const target of [second, stack.api]) {
    stack.sim.platform.settings.callbackBaseUrl = `${target.url}/shyb`;
    const batch = await startQrOrders(3);
    for (const orderNo of batch) expect(await finalStatus(orderNo)).toBe('PAID');
    orders.push(...batch);
  }
  // Only now read the orders: every one was decided by its push.
  const api = apiClient(second.url);
  for (const orderNo of orders) {
    const v = (await api.get(orderNo)).body;
    expect(v).toMatchObject({ status: 'PAID', reason: 'by push', source: 'workflow' });
    expect(v.events.map((e: any) => e.type)).toContain('PUSH_RECEIVED');
    pushed.set(v.ecToken, 1);
  }
  expect(pushed.size).toBe(6);
  // No push went to the inbox, on either process (the inbox is per task queue, shared by both).
  const inbox = await api.inbox(formatDate(Date.now()));
  expect(inbox.status).toBe(200);
  expect(inbox.body.items).toEqual([]);
}, 120_000);

test('a push whose ecToken nobody claimed still goes to the inbox as UNKNOWN_ECTOKEN', async () => {
  const api = apiClient(second.url);
  expect(await api.call('post', '/shyb/notify/nation', v13Sample('se03-push'))).toEqual({ status: 200, body: { infcode: 0 } });
  const inbox = await api.inbox(formatDate(Date.now()));
  expect(inbox.body.items.map((i: any) => [i.ecToken, i.why])).toEqual([['310000ect7tf9a003v0b230aa80000f60289ab', 'UNKNOWN_ECTOKEN']]);
});
