import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import got from 'got';
import { freePort } from '../../scripts/dev-server';
import { waitFor } from '../helpers/receiver';

// `npm start` as a user runs it: the demo completes, Ctrl-C stops it cleanly, and a second start
// still has the earlier settlement (SQLite under DATA_DIR).
const ROOT = path.resolve(__dirname, '../..');

function run(script: string, env: Record<string, string>, args: string[] = []): ChildProcess & { output: () => string } {
  // node with tsx's loader (not the tsx wrapper), so that signals reach the stack itself
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return Object.assign(child, { output: () => out });
}

async function running(c: ChildProcess & { output: () => string }) {
  try {
    await waitFor(() => c.output().includes('shyb-pay is running') || c.exitCode !== null, 90_000, 200);
  } catch {
    // fall through to the assertion, which shows what the stack printed
  }
  expect({ running: c.output().includes('shyb-pay is running'), output: c.output().slice(-3000) }).toMatchObject({ running: true });
}

const exited = (c: ChildProcess) => new Promise<number | null>((r) => (c.exitCode !== null ? r(c.exitCode) : c.once('exit', (code) => r(code))));

test('npm start runs the stack; the demo settles and refunds; a restart keeps the order', async () => {
  const env = {
    DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'shyb-start-')),
    TEMPORAL_DEV_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    API_PORT: String(await freePort()),
    SIMULATOR_PORT: String(await freePort()),
    METRICS_SDK_PORT: String(await freePort()),
    LOG_LEVEL: 'warn',
  };
  delete process.env.TEMPORAL_ADDRESS;
  const api = `http://127.0.0.1:${env.API_PORT}`;
  const first = run('scripts/start.ts', env);
  try {
    await running(first);
    const demo = run('scripts/demo.ts', env);
    expect(await exited(demo)).toBe(0);
    expect(demo.output()).toContain('demo complete');
    const orderNo = /orderNo (H\d+)/.exec(demo.output())![1]!;
    const sdkMetrics = await got.get(`http://127.0.0.1:${env.METRICS_SDK_PORT}/metrics`).text();
    expect(sdkMetrics).toMatch(/temporal_workflow_completed|temporal_activity_execution_latency/);
    const appMetrics = await got.get(`${api}/metrics`).text();
    expect(appMetrics).toMatch(/shyb_settlements_final_total\{status="REFUNDED",route="NATIONAL"\} 1/);
    // a 五期 person (干保, SH02 bill) end to end: SE02 on 五期, then SK01 and the platform's own cash refund
    const wuqiDemo = run('scripts/demo.ts', env, ['--person', 'cadre']);
    expect({ code: await exited(wuqiDemo), out: wuqiDemo.output().slice(-2000) }).toMatchObject({ code: 0 });
    expect(wuqiDemo.output()).toMatch(/routed WUQI: accountattr\[2\]=1/);
    expect(wuqiDemo.output()).toMatch(/SK01 \(insurance part, translsh \d+\)/);
    expect(wuqiDemo.output()).toContain('demo complete');
    expect(await got.get(`${api}/metrics`).text()).toMatch(/shyb_settlements_final_total\{status="REFUNDED",route="WUQI"\} 1/);
    first.kill('SIGINT');
    expect(await exited(first)).toBe(0);
    expect(first.output()).toContain('stopped');

    const second = run('scripts/start.ts', env);
    try {
      await running(second);
      const v = await got.get(`${api}/api/settlements/${orderNo}`).json<any>();
      expect(v.status).toBe('REFUNDED');
    } finally {
      second.kill('SIGINT');
      await exited(second);
    }
  } finally {
    if (first.exitCode === null) {
      first.kill('SIGINT'); // let it stop its dev server, then make sure
      await Promise.race([exited(first), new Promise((r) => setTimeout(r, 15_000))]);
      first.kill('SIGKILL');
    }
  }
}, 180_000);
