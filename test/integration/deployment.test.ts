import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_SEARCH_ATTRIBUTES } from '../../common/search-attributes';
import { createLogger } from '../../common/logger';
import { startSimulator } from '../../simulator/server';
import { freePort } from '../../scripts/dev-server';
import { apiClient } from '../helpers/api-client';
import { waitFor } from '../helpers/receiver';

// The production deployment, checked without a Docker engine: the compose file validates with
// docker-compose, it registers the same search attributes as the code, and the image's build and
// run commands (compiled JS + prebuilt workflow bundle) really settle an order.
const ROOT = path.resolve(__dirname, '../..');
const DOCKER = path.join(ROOT, 'temporal-docker');

function dockerCompose(args: string[]): string {
  try {
    return execFileSync('docker-compose', ['-f', path.join(DOCKER, 'docker-compose.yml'), ...args], { cwd: DOCKER, encoding: 'utf8' });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new Error('docker-compose is not installed (Debian package docker-compose; .ci/run installs it)');
    throw new Error(`docker-compose ${args.join(' ')} failed: ${e.stderr ?? e.message}`);
  }
}

test('the compose file validates and has every service', () => {
  dockerCompose(['config', '-q']);
  const services = dockerCompose(['config', '--services']).trim().split('\n').sort();
  expect(services).toEqual(expect.arrayContaining(['postgresql', 'temporal-schema', 'temporal', 'temporal-namespace', 'temporal-ui', 'shyb-worker', 'shyb-api']));
  const full = dockerCompose(['config']);
  expect(full).toContain('TEMPORAL_CODEC_ENDPOINT: http://localhost:3000/codec');
  expect(full).toContain('DB: postgres12');
});

test('the namespace script registers exactly the search attributes the code uses', () => {
  const script = fs.readFileSync(path.join(DOCKER, 'scripts/create-namespace.sh'), 'utf8');
  const listed = /for sa in ([^;]+);/.exec(script)![1]!.trim().split(/\s+/).sort();
  const types: Record<string, string> = { KEYWORD: 'Keyword', DATETIME: 'Datetime', DOUBLE: 'Double' };
  expect(listed).toEqual(ALL_SEARCH_ATTRIBUTES.map((k) => `${k.name}=${types[k.type]}`).sort());
});

test('the Dockerfile is multi-stage, non-root, with a prebuilt workflow bundle', () => {
  const df = fs.readFileSync(path.join(DOCKER, 'Dockerfile'), 'utf8');
  expect(df.match(/^FROM /gm)).toHaveLength(2);
  expect(df).toMatch(/^USER node$/m);
  expect(df).toContain('node dist/scripts/build-workflow-bundle.js dist/workflow-bundle.js');
  expect(df).toContain('WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js');
  expect(df).toContain('cp -r api/console/assets dist/api/console/ && cp -r api/demo-page/assets dist/api/demo-page/');
});

describe('the image commands', () => {
  const out = path.join(ROOT, 'dist-deploy-test');
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) c.kill('SIGKILL');
    fs.rmSync(out, { recursive: true, force: true });
  });

  test('compiled worker and API with the prebuilt bundle settle an order', async () => {
    fs.rmSync(out, { recursive: true, force: true });
    execFileSync(path.join(ROOT, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json', '--outDir', out], { cwd: ROOT });
    // as the Dockerfile does: the console's and demo page's browser files beside the compiled code
    for (const dir of ['api/console/assets', 'api/demo-page/assets']) fs.cpSync(path.join(ROOT, dir), path.join(out, dir), { recursive: true });
    execFileSync(process.execPath, [path.join(out, 'scripts/build-workflow-bundle.js'), path.join(out, 'workflow-bundle.js')], { cwd: ROOT });
    const sim = await startSimulator({ log: createLogger('t', 'silent'), settings: { settleDelayMs: 50 } });
    const apiPort = await freePort();
    const workerMetricsPort = await freePort();
    sim.platform.settings.callbackBaseUrl = `http://127.0.0.1:${apiPort}/shyb`;
    const env = {
      ...process.env,
      TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS!,
      TEMPORAL_TASK_QUEUE: `deploy-${Date.now()}`,
      PLATFORM_URL: `${sim.url}/gjptqzyy-test/api/v1/route`,
      WUQI_URL: `${sim.url}/wuqi`,
      API_PORT: String(apiPort),
      DATA_DIR: path.join(out, 'data'),
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      WORKFLOW_BUNDLE_PATH: path.join(out, 'workflow-bundle.js'),
      WORKER_METRICS_PORT: String(workerMetricsPort),
      SETTLEMENT_TIMING: JSON.stringify({ pollScheduleMs: [300], pollEveryMs: 300, deadlineMs: 20_000 }),
    };
    try {
      for (const main of ['worker/main.js', 'api/main.js']) children.push(spawn(process.execPath, [path.join(out, main)], { cwd: ROOT, env, stdio: 'ignore' }));
      const api = apiClient(`http://127.0.0.1:${apiPort}`);
      await waitFor(async () => (await api.call('get', '/healthz').catch(() => ({ status: 0 }))).status === 200, 30_000, 200);
      const orderNo = await api.settle(sim.platform.issueToken('employee'), '801874939', '12.34');
      const v = await api.until(orderNo, (x) => x.status === 'PAID', 30_000);
      expect(v.setlinfo.medfee_sumamt).toBe('12.34');
      const consoleJs = await fetch(`http://127.0.0.1:${apiPort}/console/assets/console.js`);
      expect([consoleJs.status, consoleJs.headers.get('content-type')]).toEqual([200, expect.stringMatching(/javascript/)]);
      // the standalone worker counts the outcome in its own /metrics
      const metrics = await fetch(`http://127.0.0.1:${workerMetricsPort}/metrics`).then((r) => r.text());
      expect(metrics).toMatch(/shyb_settlements_final_total\{status="PAID",route="NATIONAL"\} 1/);
    } finally {
      await sim.close();
    }
  }, 120_000);
});
