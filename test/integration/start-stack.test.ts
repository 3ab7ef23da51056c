import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import got from 'got';
import { freePort, startDevServer } from '../../scripts/dev-server';
import { waitFor } from '../helpers/receiver';

// `npm start` as a user runs it: the demo completes, Ctrl-C stops it cleanly, and a second start
// still has the earlier settlement (SQLite under DATA_DIR).
const ROOT = path.resolve(__dirname, '../..');

function run(script: string, env: Record<string, string>, args: string[] = []): ChildProcess & { output: () => string } {
  // node with tsx's loader (not the tsx wrapper), so that signals reach the stack itself
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
  // the message carries what the stack printed: a bare true/false diff says nothing in CI
  if (!c.output().includes('shyb-pay is running'))
    throw new Error(`the stack did not start (exit code ${c.exitCode}); it printed:\n${c.output().slice(-4000)}`);
}

/** The /metrics line matching `re`, waited for up to 10 s; the whole page in the error otherwise. */
async function metricLine(api: string, re: RegExp): Promise<string> {
  let page = '';
  try {
    return await waitFor(async () => ((page = await got.get(`${api}/metrics`).text()), re.exec(page)?.[0]), 10_000, 200);
  } catch {
    throw new Error(
      `no metric line ${re} within 10 s; /metrics had:\n${page
        .split('\n')
        .filter((l) => l.startsWith('shyb_'))
        .join('\n')}`,
    );
  }
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
    // the counter moves when the workflow reports the outcome, just after the demo saw REFUNDED
    expect(await metricLine(api, /shyb_settlements_final_total\{status="REFUNDED",route="NATIONAL"\} 1/)).toBeTruthy();
    // a 五期 person (干保, SH02 bill) end to end: SE02 on 五期, then SK01 and the platform's own cash refund
    const wuqiDemo = run('scripts/demo.ts', env, ['--person', 'cadre']);
    expect({ code: await exited(wuqiDemo), out: wuqiDemo.output().slice(-2000) }).toMatchObject({ code: 0 });
    expect(wuqiDemo.output()).toMatch(/routed WUQI: accountattr\[2\]=1/);
    expect(wuqiDemo.output()).toMatch(/SK01 \(insurance part, translsh \d+\)/);
    expect(wuqiDemo.output()).toContain('demo complete');
    expect(await metricLine(api, /shyb_settlements_final_total\{status="REFUNDED",route="WUQI"\} 1/)).toBeTruthy();
    first.kill('SIGINT');
    expect(await exited(first)).toBe(0);
    expect(first.output()).toContain('stopped');

    const second = run('scripts/start.ts', env);
    try {
      await running(second);
      const v = await got.get(`${api}/api/settlements/${orderNo}`).json<any>();
      expect(v.status).toBe('REFUNDED');
      // Ctrl-C under `npm start` arrives twice (the terminal's, and tsx relaying it): still one clean stop
      second.kill('SIGINT');
      await waitFor(() => second.output().includes('stopping...'), 10_000, 10);
      second.kill('SIGINT');
      expect(await exited(second)).toBe(0);
      expect(second.output()).toContain('stopped');
    } finally {
      if (second.exitCode === null) {
        second.kill('SIGKILL');
        await exited(second);
      }
    }
  } finally {
    if (first.exitCode === null) {
      first.kill('SIGINT'); // let it stop its dev server, then make sure
      await Promise.race([exited(first), new Promise((r) => setTimeout(r, 15_000))]);
      first.kill('SIGKILL');
    }
  }
}, 180_000);

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function stackEnv(extra: Record<string, string> = {}) {
  return {
    DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'shyb-start-')),
    TEMPORAL_DEV_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    API_PORT: String(await freePort()),
    SIMULATOR_PORT: String(await freePort()),
    METRICS_SDK_PORT: String(await freePort()),
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

test('a server already on the Temporal port is reported with its pid, never adopted', async () => {
  const env = await stackEnv();
  const stale = await startDevServer({ port: Number(env.TEMPORAL_DEV_PORT), headless: true });
  try {
    const c = run('scripts/start.ts', env);
    const code = await Promise.race([exited(c), new Promise<string>((r) => setTimeout(() => r('still running'), 60_000))]);
    if (code === 'still running') c.kill('SIGKILL');
    expect({ code, output: c.output().slice(-1500) }).toEqual({
      code: 1,
      output: expect.stringContaining(`port ${env.TEMPORAL_DEV_PORT} is already in use by pid ${stale.process.pid}`),
    });
    expect(alive(stale.process.pid!)).toBe(true); // reported, left alone
  } finally {
    await stale.stop();
  }
}, 90_000);

test('the dev server dying is logged at once and it is restarted; the API says 503, never 500; a SIGKILLed npm start leaves no child', async () => {
  const env = await stackEnv();
  delete process.env.TEMPORAL_ADDRESS;
  const api = `http://127.0.0.1:${env.API_PORT}`;
  const stack = run('scripts/start.ts', env);
  try {
    await running(stack);
    const pid = Number(/dev server pid (\d+)/.exec(stack.output())![1]);
    expect(alive(pid)).toBe(true);
    process.kill(pid, 'SIGKILL');
    const killedAt = Date.now();
    await waitFor(() => stack.output().includes('Temporal dev server exited'), 2_000, 20);
    expect(Date.now() - killedAt).toBeLessThan(2_000);
    // while it is down or coming back: 503 (or 404 once back), never a 500, each within 2 s
    const orderNo = `H31011000053${'2'.repeat(23)}`;
    const seen = new Set<number>();
    while (!stack.output().includes('Temporal dev server restarted') && Date.now() - killedAt < 30_000) {
      const t0 = Date.now();
      const r = await fetch(`${api}/api/settlements/${orderNo}`);
      expect(Date.now() - t0).toBeLessThan(2_500);
      seen.add(r.status);
    }
    expect([...seen].filter((s) => s !== 503 && s !== 404)).toEqual([]);
    expect(stack.output()).toContain('Temporal dev server restarted');
    await waitFor(async () => (await fetch(`${api}/readyz`).catch(() => undefined))?.status === 200, 20_000, 200);
    expect((await fetch(`${api}/api/settlements/${orderNo}`)).status).toBe(404);
    const second = Number(/"devServerPid":(\d+),"msg":"Temporal dev server restarted"/.exec(stack.output())![1]);
    expect(second).not.toBe(pid);
    expect(alive(second)).toBe(true);

    // a crash of npm start itself: no child survives it
    stack.kill('SIGKILL');
    await exited(stack);
    await waitFor(() => !alive(second), 5_000, 50);
    expect(
      await fetch(`${api}/livez`).then(
        () => 'open',
        () => 'closed',
      ),
    ).toBe('closed');
  } finally {
    if (stack.exitCode === null && stack.signalCode === null) stack.kill('SIGKILL');
  }
}, 150_000);
