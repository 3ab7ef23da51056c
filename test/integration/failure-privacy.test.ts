import { Writable } from 'node:stream';
import { createLogger } from '../../common/logger';
import { v13Sample } from '../fixtures';
import { apiClient } from '../helpers/api-client';
import { waitFor } from '../helpers/receiver';
import { startStack, type Stack } from '../helpers/stack';
import { startWebhookReceiver } from '../helpers/webhook-receiver';

// Issue 20 item 2: a payStatus -1 push whose payResponse names the person (name, certno, psn_no, brdy)
// leaves none of it in the order's view, its events, the webhook body or our log lines.

const NAME = '测试职工甲';
const CERTNO = '310101199001011234';
const PSN_NO = '801874939';
const BRDY = '1990-01-01';
const SECRETS = [NAME, CERTNO, PSN_NO, BRDY, '19900101'];
const leaked = (text: string) => SECRETS.filter((s) => text.includes(s));

let stack: Stack;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
const lines: string[] = [];

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  const sink = new Writable({ write: (chunk, _e, cb) => (lines.push(String(chunk)), cb()) });
  stack = await startStack(
    { HIS_WEBHOOK_URL: receiver.url, HIS_WEBHOOK_SECRET: `whsec_${Buffer.from('failure-privacy-test-secret-32b!').toString('base64')}` },
    { log: createLogger('test', 'debug', sink) },
  );
}, 120_000);
afterAll(async () => {
  await stack?.close();
  await receiver?.close();
});

test('a forged-looking failure push: view, events, webhook body and logs carry codes and masked text only', async () => {
  const api = apiClient(stack.api.url);
  // The platform's own push is lost, and SE04 says "not found": our -1 push below is what decides (FAILED).
  stack.sim.platform.faults.add({ kind: 'dropPush' });
  stack.sim.platform.faults.add({ kind: 'businessError', infno: 'SE04', message: '未找到该订单' });
  const ecToken = stack.sim.platform.issueToken('employee');
  const orderNo = await api.settle(ecToken, PSN_NO, '100.00');
  await api.until(orderNo, (v) => v.events.some((e: any) => e.type === 'SE02_RECEIVED'));

  const push = structuredClone(v13Sample('se03-push'));
  push.output = {
    ecToken,
    payStatus: '-1',
    payResponse: JSON.stringify({
      infcode: -1,
      err_msg: `${NAME}（${CERTNO}，${BRDY}，${PSN_NO}）支付失败`,
      name: NAME,
      certno: CERTNO,
      psn_no: PSN_NO,
      brdy: BRDY,
    }),
    gmt: '2026-12-04 10:00:00',
    channel: 'wechat',
  };
  expect(await api.call('post', '/shyb/notify/nation', push)).toEqual({ status: 200, body: { infcode: 0 } });

  const view = await api.until(orderNo, (v) => v.status === 'FAILED', 20_000);
  // the failure is still told: its code and its words, the person taken out
  expect(view.reason).toMatch(/^PAY_FAILED: code -1: .*支付失败$/);
  expect(view.events.find((e: any) => e.type === 'STATUS_FAILED').detail).toBe(view.reason);
  expect(leaked(JSON.stringify(view))).toEqual([]);
  expect(leaked(JSON.stringify(view.events))).toEqual([]);

  // the event's fields, in the body or in its Standard Webhooks `data`
  const failedEvent = () =>
    receiver.hits.map((h) => ({ raw: h.rawBody, ev: h.body.data ?? h.body })).find((h) => h.ev.orderNo === orderNo && h.ev.status === 'FAILED');
  const hook = await waitFor(failedEvent, 20_000);
  expect(hook.ev.reason).toBe(view.reason);
  expect(leaked(hook.raw)).toEqual([]);

  const log = lines.join('');
  expect(log).toContain(orderNo); // the lines of this order were captured
  expect(leaked(log)).toEqual([]);
}, 60_000);
