import * as fs from 'node:fs';
import * as path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { loadConfig } from '../../common/config';
import { verifyWebhook, webhookHeaders, webhookSecrets } from '../../common/webhook-signing';
import { eventBody, eventDay, eventId, eventType, standardEvent } from '../../workflows/webhook-event';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const NEW_SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
const OTHER = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
const ID = 'evt_20261127_H3101100005320261127154006308150889_1';
const body = JSON.stringify({
  type: 'settlement.paid',
  timestamp: '2026-11-27T07:40:07.120Z',
  data: { orderNo: 'H3101100005320261127154006308150889', status: 'PAID', amounts: { medfeeSumamt: '120.00' } },
});

/** The verification snippet from docs/finance.md's "Webhooks" section, run as an HIS would run it. */
function docsVerify(): (secret: string, headers: Record<string, string>, rawBody: string) => unknown {
  const doc = fs.readFileSync(path.join(__dirname, '../../docs/finance.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Webhooks'), doc.indexOf('## Finance console'));
  const code = /```js\n([\s\S]*?)```/.exec(section)?.[1];
  if (!code) throw new Error('no js snippet in the Webhooks section of docs/finance.md');
  return new Function('require', `${code}\nreturn verify;`)(require);
}

test("the signature is the Standard Webhooks one: the specification's own test vector", () => {
  // github.com/standard-webhooks/standard-webhooks, the reference test vector
  const h = webhookHeaders([SECRET], 'msg_p5jXN8AQM9LWM0D4loKWxJek', '{"test": 2432232314}', new Date(1_614_265_330_000));
  expect(h).toEqual({
    'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
    'webhook-timestamp': '1614265330',
    'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
  });
});

test('an HIS verifies with the standardwebhooks library (and the docs snippet): the body, not a changed one, another secret or an old timestamp', () => {
  const headers = webhookHeaders([SECRET], ID, body);
  const verify = docsVerify();
  // the library as an HIS uses it: verify() answers the parsed event, or throws
  expect(new Webhook(SECRET).verify(body, headers)).toEqual(JSON.parse(body));
  expect(verify(SECRET, headers, body)).toEqual(JSON.parse(body));
  const refused = [
    [SECRET, headers, body.replace('120.00', '12.00')],
    [OTHER, headers, body],
    [SECRET, webhookHeaders([SECRET], ID, body, new Date(Date.now() - 3_600_000)), body], // replayed an hour later
    [SECRET, { ...headers, 'webhook-id': 'evt_20261127_H3101100005320261127154006308150889_2' }, body], // the id is signed too
    [SECRET, { ...headers, 'webhook-signature': 'v1,zz' }, body],
  ] as const;
  for (const [secret, h, b] of refused) {
    expect(() => new Webhook(secret).verify(b, h)).toThrow();
    expect(verify(secret, { ...h }, b)).toBeNull();
    expect(verifyWebhook(secret, h, b)).toBe(false);
  }
});

test('rotation: one signature per secret, so a receiver holding either the new or the old secret verifies', () => {
  const secrets = webhookSecrets(` ${NEW_SECRET} , ${SECRET} `);
  expect(secrets).toEqual([NEW_SECRET, SECRET]);
  const headers = webhookHeaders(secrets, ID, body);
  expect(headers['webhook-signature']!.split(' ')).toHaveLength(2);
  expect(headers['webhook-signature']!.split(' ').every((s) => s.startsWith('v1,'))).toBe(true);
  expect(new Webhook(NEW_SECRET).verify(body, headers)).toEqual(JSON.parse(body));
  expect(new Webhook(SECRET).verify(body, headers)).toEqual(JSON.parse(body));
  expect(() => new Webhook(OTHER).verify(body, headers)).toThrow();
  // after the rotation only the new secret signs: the old one no longer verifies
  expect(() => new Webhook(SECRET).verify(body, webhookHeaders([NEW_SECRET], ID, body))).toThrow();
});

test('HIS_WEBHOOK_URL and HIS_WEBHOOK_SECRET go together; a secret must be a whsec_ secret of 24-64 bytes, at most three', () => {
  const url = 'http://his.local/hook';
  expect(() => loadConfig({ HIS_WEBHOOK_URL: url })).toThrow(/go together/);
  expect(() => loadConfig({ HIS_WEBHOOK_URL: url, HIS_WEBHOOK_SECRET: 'his-shared-secret-0123456789' })).toThrow(/HIS_WEBHOOK_SECRET: secret 1 must be whsec_/);
  expect(() => loadConfig({ HIS_WEBHOOK_URL: url, HIS_WEBHOOK_SECRET: 'whsec_c2hvcnQ=' })).toThrow(/24 to 64 bytes/);
  expect(() => loadConfig({ HIS_WEBHOOK_URL: url, HIS_WEBHOOK_SECRET: [NEW_SECRET, SECRET, OTHER, NEW_SECRET].join(',') })).toThrow(/at most 3/);
  const c = loadConfig({ HIS_WEBHOOK_URL: url, HIS_WEBHOOK_SECRET: `${NEW_SECRET},${SECRET}` });
  expect(webhookSecrets(c.HIS_WEBHOOK_SECRET)).toEqual([NEW_SECRET, SECRET]);
  expect(c.HIS_WEBHOOK_TIMEOUT_MS).toBe(10_000);
});

test('event ids name their day; types follow the status (a refund under review is refund.needs_review); a legacy event keeps one id', () => {
  const at = '2026-11-27T16:30:00.000Z'; // 00:30 on the 28th in Shanghai
  expect(eventId('H3101100005320261127154006308150889', 3, at)).toBe('evt_20261128_H3101100005320261127154006308150889_3');
  expect(eventDay('evt_20261128_H3101100005320261127154006308150889_3')).toBe('2026-11-28');
  expect(eventDay('H3101100005320261127154006308150889-1-PAID')).toBeUndefined();
  expect([
    eventType('PAID', false),
    eventType('FAILED', false),
    eventType('NEEDS_REVIEW', false),
    eventType('NEEDS_REVIEW', true),
    eventType('REFUNDED', false),
    eventType('REFUND_FAILED', false),
  ]).toEqual(['settlement.paid', 'settlement.failed', 'settlement.needs_review', 'refund.needs_review', 'refund.refunded', 'refund.failed']);
  const legacy = {
    id: 'H1-2-REFUNDED',
    type: 'settlement.status' as const,
    orderNo: 'H1',
    status: 'REFUNDED' as const,
    occurredAt: at,
    amounts: { medfeeSumamt: '1.00', refundedCash: '0.30' },
  };
  const e = standardEvent(legacy);
  expect(e).toEqual({
    id: 'evt_20261128_H1_2',
    type: 'refund.refunded',
    timestamp: at,
    data: { orderNo: 'H1', status: 'REFUNDED', occurredAt: at, amounts: legacy.amounts },
  });
  expect(standardEvent(legacy)).toEqual(e);
  expect(JSON.parse(eventBody(e))).toEqual({ type: 'refund.refunded', timestamp: at, data: e.data });
});
