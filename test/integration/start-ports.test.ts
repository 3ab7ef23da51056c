import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '../../scripts/dev-server';

// Issue 20 item 14: `npm start` with the Temporal SDK's metrics port taken fails at once, naming the
// setting that moves it (METRICS_SDK_PORT), before it starts anything else.
const ROOT = path.resolve(__dirname, '../..');

test('npm start with the SDK metrics port busy exits 1 naming METRICS_SDK_PORT', async () => {
  const port = await freePort();
  const holder = net.createServer();
  await new Promise<void>((r) => holder.listen(port, '127.0.0.1', r));
  try {
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'shyb-port-')),
      TEMPORAL_DEV_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
      API_PORT: String(await freePort()),
      SIMULATOR_PORT: String(await freePort()),
      METRICS_SDK_PORT: String(port),
      LOG_LEVEL: 'warn',
    };
    delete env.TEMPORAL_ADDRESS;
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code).toBe(1);
    expect(out).toContain('METRICS_SDK_PORT');
    expect(out).toContain(`127.0.0.1:${port}`);
    expect(out).not.toContain('shyb-pay is running'); // nothing else was started
  } finally {
    holder.close();
  }
}, 60_000);
