import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig, ConfigError } from '../../common/config';
import { temporalConnectionOptions } from '../../common/temporal-connection';
import { maskPersonal } from '../../common/logger';
import { decideRoute } from '../../protocol/routing';

describe('route by accountattr', () => {
  test.each([
    ['1000000000000000', 'NATIONAL'],
    ['1100000000000000', 'WUQI'], // 干保
    ['000000000000G000', 'NATIONAL'], // G at 13 is not a rule
    ['00000000000G0000', 'WUQI'], // 互助帮困 at 12
    ['00000000000A0000', 'WUQI'], // 民政医疗帮困
    ['000000000000000A', 'WUQI'], // 民政帮困兼居民保险
    ['00000000000E0000', 'NATIONAL'], // 居保少儿
    ['00000000000Y0000', 'NATIONAL'], // 异地
  ])('%s -> %s', (attr, route) => expect(decideRoute(attr).route).toBe(route));
  test('a malformed accountattr is an error, not a guess', () => {
    expect(() => decideRoute('100')).toThrow('accountattr must be 16 characters');
  });
});

describe('configuration', () => {
  test('defaults', () => {
    const c = loadConfig({});
    expect(c.TEMPORAL_ADDRESS).toBe('127.0.0.1:7233');
    expect(c.TEMPORAL_TASK_QUEUE).toBe('shyb-pay');
    expect(c.FIXMEDINS_CODE).toBe('H31011000053');
    expect(c.wuqiOrgCode).toBe('31011000053');
    expect(c.useSimulator).toBe(true);
    expect(c.timeoutsMs.SE02).toBe(30_000);
  });
  test('a bad value is refused with one line naming the field', () => {
    expect(() => loadConfig({ FIXMEDINS_CODE: 'short' })).toThrow(ConfigError);
    expect(() => loadConfig({ PLATFORM_URL: 'not a url' })).toThrow(/PLATFORM_URL/);
    expect(() => loadConfig({ TEMPORAL_ADDRESS: 'nohost' })).toThrow(/TEMPORAL_ADDRESS: must be host:port/);
  });
  test('payload keys and the callback allow-list are checked at start-up', () => {
    expect(() => loadConfig({ PAYLOAD_KEYS: 'k1:c2hvcnQ=' })).toThrow(/PAYLOAD_KEYS key k1 must be 32 bytes/);
    expect(loadConfig({ PAYLOAD_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}` }).PAYLOAD_KEYS).toBeDefined();
    expect(() => loadConfig({ CALLBACK_ALLOW: '10.0.0.0/33' })).toThrow(/CALLBACK_ALLOW: 10.0.0.0\/33 is not an IP or CIDR/);
    expect(() => loadConfig({ CALLBACK_ALLOW: 'frontend-host' })).toThrow(/CALLBACK_ALLOW/);
    expect(loadConfig({ CALLBACK_ALLOW: '10.1.0.0/16, 127.0.0.1, ::1' }).callbackAllow).toEqual(['10.1.0.0/16', '127.0.0.1', '::1']);
  });
  test('per-interface timeouts can be overridden', () => {
    expect(loadConfig({ PLATFORM_TIMEOUT_SE04_MS: '1500' }).timeoutsMs.SE04).toBe(1500);
  });
  test('a real 前置机 turns the simulator off', () => {
    const c = loadConfig({ PLATFORM_URL: 'http://10.0.0.1/gjptqzyy-prod/api/v1/route', WUQI_URL: 'http://10.0.0.1/wuqi' });
    expect(c.useSimulator).toBe(false);
  });
});

describe('masking', () => {
  test('ID numbers keep only 6 + 1 characters', () => {
    expect(maskPersonal('id 310000200006150001 ok')).toBe('id 310000***********1 ok');
  });
  test('a Chinese name keeps its first character', () => {
    expect(maskPersonal('测试人员三四五')).toBe('测******');
  });
});

describe('Temporal connection', () => {
  test('plain by default', () => {
    expect(temporalConnectionOptions(loadConfig({}))).toEqual({ address: '127.0.0.1:7233' });
  });
  test('an API key implies TLS (Temporal Cloud)', () => {
    expect(temporalConnectionOptions(loadConfig({ TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_API_KEY: 'k' }))).toEqual({
      address: 'ns.acct.tmprl.cloud:7233',
      tls: true,
      apiKey: 'k',
    });
  });
  test('mTLS reads the certificate pair; half a pair is refused', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tls-'));
    fs.writeFileSync(path.join(dir, 'c.pem'), 'CERT');
    fs.writeFileSync(path.join(dir, 'k.pem'), 'KEY');
    const o = temporalConnectionOptions(loadConfig({ TEMPORAL_TLS_CERT: path.join(dir, 'c.pem'), TEMPORAL_TLS_KEY: path.join(dir, 'k.pem') })) as any;
    expect(o.tls.clientCertPair.crt.toString()).toBe('CERT');
    expect(o.tls.clientCertPair.key.toString()).toBe('KEY');
    expect(() => loadConfig({ TEMPORAL_TLS_CERT: 'x' })).toThrow(/go together/);
  });
});
