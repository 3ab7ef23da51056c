import { CONFIG_VARIABLES, loadConfig, withoutEmpty } from '../../common/config';

// Compose and .env files write `NAME=` for "not set": an empty value must mean the default, not
// an error later (an empty PAYLOAD_KEYS used to pass the check and then crash the codec).
test('empty and blank values count as unset', () => {
  const c = loadConfig({
    PAYLOAD_KEYS: '',
    API_KEYS: ' ',
    CALLBACK_ALLOW: '',
    TEMPORAL_ADDRESS: '',
    API_PORT: '',
    LOG_LEVEL: '',
    SETTLEMENT_TIMING: '',
    PLATFORM_TIMEOUT_SE02_MS: '',
    WUQI_ORG_CODE: '',
  });
  expect(c.PAYLOAD_KEYS).toBeUndefined();
  expect(c.apiKeys).toEqual([]);
  expect(c.TEMPORAL_ADDRESS).toBe('127.0.0.1:7233');
  expect(c.API_PORT).toBe(3000);
  expect(c.LOG_LEVEL).toBe('info');
  expect(c.timeoutsMs.SE02).toBe(30_000);
  expect(withoutEmpty({ A: '', B: 'x', C: undefined })).toEqual({ B: 'x' });
});

test('with API_KEYS, CALLBACK_ALLOW is required: a clear start-up error naming it and the 前置机', () => {
  expect(() => loadConfig({ API_KEYS: 'his:his:k1' })).toThrow(
    /CALLBACK_ALLOW is required when API_KEYS is set: .*前置机.*e\.g\. CALLBACK_ALLOW=10\.20\.30\.40/,
  );
  expect(() => loadConfig({ API_KEYS: 'his:his:k1', CALLBACK_ALLOW: ' ' })).toThrow(/CALLBACK_ALLOW is required/);
  expect(loadConfig({ API_KEYS: 'his:his:k1', CALLBACK_ALLOW: '10.20.30.40, 10.1.0.0/16' }).callbackAllow).toEqual(['10.20.30.40', '10.1.0.0/16']);
  expect(loadConfig({}).callbackAllow).toEqual([]); // without keys the API is loopback-only, and so is /shyb
});

test('placeholder keys are refused, real ones pass; CODEC_KEYS defaults to the finance and ops keys of API_KEYS', () => {
  for (const bad of ['change-me', 'CHANGEME', 'secret', '<your-key>']) {
    expect(() => loadConfig({ API_KEYS: `a:his:good-key-123456,b:ops:${bad}`, CALLBACK_ALLOW: '127.0.0.1' })).toThrow(/API_KEYS holds the placeholder/);
    expect(() => loadConfig({ CODEC_KEYS: bad })).toThrow(/CODEC_KEYS holds the placeholder/);
  }
  expect(loadConfig({ API_KEYS: 'app:his:k0,desk:finance:k1,oncall:ops:k2', CALLBACK_ALLOW: '127.0.0.1' }).codecKeys).toEqual(['k1', 'k2']);
  expect(loadConfig({ API_KEYS: 'desk:finance:k1', CODEC_KEYS: 'c1', CALLBACK_ALLOW: '127.0.0.1' }).codecKeys).toEqual(['c1']);
});

test('API_KEYS entries are name:role:key; several roles join with +; a bare key is refused at start-up without echoing it', () => {
  const c = loadConfig({ API_KEYS: ' his-app:his:k0:with:colons , finance-desk:finance:k1,duty:finance+ops:k2, his-app:his:k3', CALLBACK_ALLOW: '127.0.0.1' });
  expect(c.apiKeyEntries).toEqual([
    { name: 'his-app', roles: ['his'], key: 'k0:with:colons' },
    { name: 'finance-desk', roles: ['finance'], key: 'k1' },
    { name: 'duty', roles: ['finance', 'ops'], key: 'k2' },
    { name: 'his-app', roles: ['his'], key: 'k3' }, // the same name twice: a key being rotated
  ]);
  expect(c.apiKeys).toEqual(['k0:with:colons', 'k1', 'k2', 'k3']);
  const refused = (API_KEYS: string) => {
    try {
      loadConfig({ API_KEYS, CALLBACK_ALLOW: '127.0.0.1' });
    } catch (err) {
      return (err as Error).message;
    }
    throw new Error(`${API_KEYS} was accepted`);
  };
  expect(refused('a:his:k0,secret-bare-key-123')).toMatch(/API_KEYS entry 2 is a bare key: each entry is name:role:key, roles his, finance, ops/);
  expect(refused('a:his:k0,secret-bare-key-123')).not.toContain('secret-bare-key-123');
  expect(refused('a:admin:secret-k')).toMatch(/entry 1 \(a\): "admin" is not a role/);
  expect(refused('a:his:')).toMatch(/entry 1 \(a\): the key is empty/);
  expect(refused('bad name:his:secret-k')).toMatch(/entry 1: the name must be/);
  expect(refused('a:his:same-k,b:ops:same-k')).toMatch(/the key of b is given twice/);
  for (const msg of [refused('a:admin:secret-k'), refused('bad name:his:secret-k'), refused('a:his:same-k,b:ops:same-k')])
    expect(msg).not.toMatch(/secret-k|same-k/);
});

test('CONFIG_VARIABLES lists what the configuration reads', () => {
  expect(CONFIG_VARIABLES).toEqual(expect.arrayContaining(['TEMPORAL_ADDRESS', 'PAYLOAD_KEYS', 'API_KEYS', 'CODEC_KEYS', 'PLATFORM_TIMEOUT_2208_MS']));
});
