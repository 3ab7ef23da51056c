import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startApi } from '../../api/server';
import { loadConfig } from '../../common/config';
import { createLogger } from '../../common/logger';
import { freePort, startDevServer } from '../../scripts/dev-server';
import { waitFor } from '../helpers/receiver';

// /livez, /readyz (and /healthz, its alias), and what the API answers while Temporal is down:
// a 503 with a clear message within a second or two, never a 500 after the SDK's long retries.
test('while Temporal is down the API answers 503 fast; readiness follows Temporal, liveness does not', async () => {
  const temporal = await startDevServer({ port: await freePort(), headless: true });
  const config = loadConfig({
    TEMPORAL_ADDRESS: temporal.address,
    DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'shyb-health-')),
    LOG_LEVEL: 'silent',
    PLATFORM_URL: 'http://127.0.0.1:9/gjptqzyy-test/api/v1/route',
    WUQI_URL: 'http://127.0.0.1:9/wuqi',
  });
  const api = await startApi(config, createLogger('t', 'silent'), { port: 0, host: '127.0.0.1' });
  const get = async (p: string) => {
    const t0 = Date.now();
    const r = await fetch(`${api.url}${p}`);
    return { status: r.status, body: await r.json(), ms: Date.now() - t0 };
  };
  try {
    expect((await get('/livez')).status).toBe(200);
    const ready = await get('/readyz');
    expect(ready).toMatchObject({ status: 200, body: { temporal: 'ok', platform: 'unreachable' } });
    expect((await get('/healthz')).body).toEqual(ready.body);
    expect((await get('/api/settlements/H3101100005320260101000000000000001')).status).toBe(404);

    await temporal.stop();
    const down = Date.now();
    // within two seconds every API call is a fast 503 naming Temporal
    await waitFor(async () => (await get('/api/settlements/H3101100005320260101000000000000001')).status === 503, 2_500, 50);
    expect(Date.now() - down).toBeLessThan(2_500);
    for (let i = 0; i < 3; i++) {
      const r = await get('/api/settlements/H3101100005320260101000000000000001');
      expect(r).toMatchObject({
        status: 503,
        body: { code: 'TEMPORAL_UNAVAILABLE', status: 503, detail: expect.stringContaining(`Temporal (${temporal.address}) is unreachable`) },
      });
      expect(r.ms).toBeLessThan(1_500);
    }
    const list = await get('/api/settlements?date=2026-01-01');
    expect(list.status).toBe(503);
    const notReady = await get('/readyz');
    expect(notReady).toMatchObject({ status: 503, body: { temporal: 'unreachable' } });
    expect(notReady.ms).toBeLessThan(2_000);
    expect((await get('/livez')).status).toBe(200);
  } finally {
    await api.close();
    await temporal.stop();
  }
}, 60_000);
