import * as fs from 'node:fs';
import * as path from 'node:path';
import { signature, signatureHeader, verifySignature } from '../../common/webhook-signing';
import { loadConfig } from '../../common/config';

const SECRET = 'his-shared-secret-0123456789';
const body = JSON.stringify({ id: 'H3101100005320261127154006308150889-1-PAID', status: 'PAID', amounts: { medfeeSumamt: '120.00' } });

/** The verification snippet from docs/finance.md's "Webhooks" section, run as a HIS would run it. */
function readmeVerify(): (secret: string, header: string, rawBody: string, toleranceSec?: number) => boolean {
  const doc = fs.readFileSync(path.join(__dirname, '../../docs/finance.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Webhooks'), doc.indexOf('## Finance console'));
  const code = /```js\n([\s\S]*?)```/.exec(section)?.[1];
  if (!code) throw new Error('no js snippet in the Webhooks section of docs/finance.md');
  return new Function('require', `${code}\nreturn verify;`)(require);
}

test('the header is t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">', () => {
  expect(signatureHeader(SECRET, body, 1_764_000_000)).toBe(`t=1764000000,v1=${signature(SECRET, 1_764_000_000, body)}`);
  // a known vector, computed independently: printf '1764000000.{}' | openssl dgst -sha256 -hmac k
  expect(signature('k', 1_764_000_000, '{}')).toBe('06e729873738a0e2e705c0bd693a2690978cc6fe219ff2a795289c7a5e2947c5');
});

test('verification accepts the signed body and refuses a changed body, another secret or an old timestamp', () => {
  const now = Math.floor(Date.now() / 1000);
  const header = signatureHeader(SECRET, body, now);
  const verify = readmeVerify();
  for (const check of [(h: string, b: string, s = SECRET) => verifySignature(s, h, b), (h: string, b: string, s = SECRET) => verify(s, h, b)]) {
    expect(check(header, body)).toBe(true);
    expect(check(header, body.replace('120.00', '12.00'))).toBe(false);
    expect(check(header, body, 'another-secret-0123456789')).toBe(false);
    expect(check(signatureHeader(SECRET, body, now - 3600), body)).toBe(false); // replayed an hour later
    expect(check(`t=${now},v1=zz`, body)).toBe(false);
    expect(check('garbage', body)).toBe(false);
  }
});

test('HIS_WEBHOOK_URL and HIS_WEBHOOK_SECRET go together; a short secret is refused', () => {
  expect(() => loadConfig({ HIS_WEBHOOK_URL: 'http://his.local/hook' })).toThrow(/go together/);
  expect(() => loadConfig({ HIS_WEBHOOK_URL: 'http://his.local/hook', HIS_WEBHOOK_SECRET: 'short' })).toThrow(/HIS_WEBHOOK_SECRET/);
  expect(loadConfig({ HIS_WEBHOOK_URL: 'http://his.local/hook', HIS_WEBHOOK_SECRET: SECRET }).HIS_WEBHOOK_TIMEOUT_MS).toBe(10_000);
});
