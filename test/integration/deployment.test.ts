import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_SEARCH_ATTRIBUTES } from '../../common/search-attributes';
import { CONFIG_VARIABLES } from '../../common/config';
import { createLogger } from '../../common/logger';
import { registry } from '../../common/metrics';
import { parse } from 'yaml';
import { startSimulator } from '../../simulator/server';
import { TEMPORAL_SERVER_VERSION } from '../../scripts/cluster-build';
import { TEMPLATE } from '../../scripts/cluster';
import { freePort } from '../../scripts/dev-server';
import { apiClient } from '../helpers/api-client';
import { loadCompose, readEnvFile, type ComposeFile } from '../helpers/compose';
import { waitFor } from '../helpers/receiver';
const { requireTemporalCli } = require('../../scripts/temporal-cli');

// The production deployment, checked without a Docker engine or docker-compose: the compose file,
// interpolated as Compose does, validates against the Compose Specification's JSON schema; every
// long-running service has a healthcheck and the variables it needs; no secret is committed; the
// build context leaves out the host's data; and the image's build and run commands (compiled JS +
// prebuilt workflow bundle) really settle an order.
const ROOT = path.resolve(__dirname, '../..');
const DOCKER = path.join(ROOT, 'temporal-docker');
const COMPOSE = path.join(DOCKER, 'docker-compose.yml');
const example = readEnvFile(path.join(DOCKER, '.env.example'));
// what an operator fills in
const filled = {
  ...example,
  POSTGRES_PASSWORD: 'pg-secret-1',
  PLATFORM_URL: 'http://fp.example/gjptqzyy-prod/api/v1/route',
  WUQI_URL: 'http://fp.example/wuqi',
  FIXMEDINS_CODE: 'H31011000053',
  FIXMEDINS_NAME: 'hospital',
  API_KEYS: 'his-app:his:a-real-key-0123456789',
  CALLBACK_ALLOW: '10.20.30.40',
  PAYLOAD_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
};
const ONE_SHOT = ['temporal-schema', 'temporal-namespace', 'shyb-config-check'];

describe('the compose file', () => {
  const { doc, interpolationErrors, schemaErrors } = loadCompose(COMPOSE, filled);
  const services = (doc as ComposeFile).services;

  test('validates against the Compose Specification schema and has every service', () => {
    expect(interpolationErrors).toEqual([]);
    expect(schemaErrors).toEqual([]);
    expect(Object.keys(services).sort()).toEqual(
      [
        'postgresql',
        'temporal-schema',
        'temporal',
        'temporal-namespace',
        'temporal-ui',
        'shyb-config-check',
        'shyb-worker',
        'shyb-worker-2',
        'shyb-api',
        'prometheus',
        'grafana',
      ].sort(),
    );
  });

  test('the schema check has teeth: a misspelt key and a bad depends_on condition are errors', () => {
    const tmp = path.join(ROOT, `.compose-bad-${process.pid}.yml`);
    const text = fs.readFileSync(COMPOSE, 'utf8').replace('    healthcheck:', '    healtcheck:').replace('condition: service_healthy', 'condition: healthy');
    fs.writeFileSync(tmp, text);
    try {
      const bad = loadCompose(tmp, filled);
      expect(bad.schemaErrors.length).toBeGreaterThan(0);
    } finally {
      fs.rmSync(tmp, { force: true });
    }
  });

  test('every long-running service has a healthcheck; the one-shots gate what depends on them', () => {
    for (const [name, s] of Object.entries(services)) {
      if (ONE_SHOT.includes(name)) continue;
      expect({ name, healthcheck: Array.isArray(s.healthcheck?.test) }).toEqual({ name, healthcheck: true });
    }
    for (const name of ['shyb-worker', 'shyb-api']) {
      expect(services[name]!.depends_on).toMatchObject({
        'shyb-config-check': { condition: 'service_completed_successfully' },
        'temporal-namespace': { condition: 'service_completed_successfully' },
      });
      expect(services[name]!.healthcheck!.test.join(' ')).toContain('/readyz');
    }
  });

  test('each service gets the variables it needs, and only the API gets the API keys', () => {
    const env = (n: string) => services[n]!.environment ?? {};
    for (const n of ['shyb-worker', 'shyb-worker-2', 'shyb-api', 'shyb-config-check']) {
      expect(env(n)).toMatchObject({
        TEMPORAL_ADDRESS: 'temporal:7233',
        PLATFORM_URL: filled.PLATFORM_URL,
        WUQI_URL: filled.WUQI_URL,
        PAYLOAD_KEYS: filled.PAYLOAD_KEYS,
        FIXMEDINS_CODE: 'H31011000053',
      });
    }
    expect(env('shyb-worker').MSGID_INSTANCE).toBe('0');
    expect(env('shyb-worker-2').MSGID_INSTANCE).toBe('1');
    expect(env('shyb-api').API_KEYS).toBe(filled.API_KEYS);
    expect(env('shyb-config-check').API_KEYS).toBe(filled.API_KEYS);
    expect(env('shyb-worker').API_KEYS).toBeUndefined();
    expect(env('temporal')).toMatchObject({
      POSTGRES_SEEDS: 'postgresql',
      POSTGRES_PWD: 'pg-secret-1',
      TEMPORAL_CONFIG_FILE: '/etc/temporal/config/shyb/temporal-postgres.yaml',
    });
    expect(env('temporal-schema')).toMatchObject({ POSTGRES_PWD: 'pg-secret-1' });
    // the UI sends its cookies to the codec endpoint: the codec session (api/codec-routes.ts)
    expect(env('temporal-ui')).toMatchObject({ TEMPORAL_CODEC_ENDPOINT: 'http://localhost:3000/codec', TEMPORAL_CODEC_INCLUDE_CREDENTIALS: 'true' });
    expect(env('shyb-api').CODEC_CORS_ORIGINS).toBe(env('temporal-ui').TEMPORAL_CORS_ORIGINS);
  });

  test('every variable of .env.example reaches the containers that read it, under its own name', () => {
    // each variable set to a value of its own: whatever compose drops or hard-codes shows up missing
    const mark = (v: string) => `m-${v.toLowerCase().replace(/_/g, '-')}`;
    const marked = Object.fromEntries(Object.keys(example).map((v) => [v, mark(v)]));
    const rendered = loadCompose(COMPOSE, { ...filled, ...marked });
    expect(rendered.interpolationErrors).toEqual([]);
    const svc = rendered.doc.services;
    const shybConfig = Object.keys(example).filter((v) => CONFIG_VARIABLES.includes(v));
    // read by the API's HTTP edge only (and checked by shyb-config-check); the worker has no /api
    const apiOnly = [
      'API_KEYS',
      'CODEC_KEYS',
      'CALLBACK_ALLOW',
      'API_PUBLIC_URL',
      'TRUST_PROXY',
      'RATE_LIMIT_PER_MINUTE',
      'HTTP_HEADERS_TIMEOUT_MS',
      'HTTP_REQUEST_TIMEOUT_MS',
      'HTTP_KEEPALIVE_TIMEOUT_MS',
    ];
    expect(apiOnly.filter((v) => !shybConfig.includes(v))).toEqual([]);
    const missing: string[] = [];
    for (const v of shybConfig) {
      const readers = apiOnly.includes(v) ? ['shyb-api', 'shyb-config-check'] : ['shyb-worker', 'shyb-worker-2', 'shyb-api', 'shyb-config-check'];
      for (const n of readers) if (svc[n]!.environment?.[v] !== mark(v)) missing.push(`${v} -> ${n}`);
    }
    expect(missing).toEqual([]);
    // the worker never gets the API's keys
    for (const v of ['API_KEYS', 'CODEC_KEYS', 'CALLBACK_ALLOW']) expect(svc['shyb-worker']!.environment?.[v]).toBeUndefined();
    // the rest (versions, PostgreSQL, the UI, the published addresses) is used somewhere in the file
    const text = JSON.stringify(rendered.doc);
    const unused = Object.keys(example).filter((v) => !shybConfig.includes(v) && !text.includes(mark(v)));
    expect(unused).toEqual([]);
  });

  test('Temporal and its UI are published on the host loopback only, unless the operator says otherwise; the API is published', () => {
    expect(services.temporal!.ports).toEqual(['127.0.0.1:7233:7233']);
    expect(services['temporal-ui']!.ports).toEqual(['127.0.0.1:8080:8080']);
    expect(services['shyb-api']!.ports).toEqual(['3000:3000']);
    for (const [name, s] of Object.entries(services)) {
      for (const p of s.ports ?? []) if (name !== 'shyb-api') expect({ name, p }).toEqual({ name, p: expect.stringMatching(/^127\.0\.0\.1:/) });
    }
    const opened = loadCompose(COMPOSE, { ...filled, TEMPORAL_UI_BIND_HOST: '0.0.0.0' }).doc.services;
    expect(opened['temporal-ui']!.ports).toEqual(['0.0.0.0:8080:8080']);
    expect(opened.temporal!.ports).toEqual(['127.0.0.1:7233:7233']);
  });

  test('an external Temporal with mTLS or an API key: address, certificate paths and key reach every shyb container, the files mounted read-only', () => {
    const ext = {
      ...filled,
      TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233',
      TEMPORAL_TLS_CERT: '/etc/shyb/tls/client.pem',
      TEMPORAL_TLS_KEY: '/etc/shyb/tls/client.key',
      TEMPORAL_API_KEY: 'cloud-key',
    };
    const svc = loadCompose(COMPOSE, ext).doc.services;
    for (const n of ['shyb-worker', 'shyb-worker-2', 'shyb-api', 'shyb-config-check']) {
      expect(svc[n]!.environment).toMatchObject({
        TEMPORAL_ADDRESS: ext.TEMPORAL_ADDRESS,
        TEMPORAL_TLS_CERT: ext.TEMPORAL_TLS_CERT,
        TEMPORAL_TLS_KEY: ext.TEMPORAL_TLS_KEY,
        TEMPORAL_API_KEY: 'cloud-key',
      });
      expect(svc[n]!.volumes).toContain('./tls:/etc/shyb/tls:ro');
    }
    // the certificate directory never enters git or the image
    expect(fs.readFileSync(path.join(ROOT, '.gitignore'), 'utf8')).toMatch(/^temporal-docker\/tls\/$/m);
    expect(fs.readFileSync(path.join(ROOT, '.dockerignore'), 'utf8')).toMatch(/^temporal-docker\/tls$/m);
  });

  describe('the observability profile', () => {
    const OBS = path.join(DOCKER, 'observability');
    const dashboard = JSON.parse(fs.readFileSync(path.join(OBS, 'grafana/dashboards/shyb-pay.json'), 'utf8')) as {
      panels: Array<{ title: string; description: string; targets: Array<{ expr: string }> }>;
    };
    const rules = (
      parse(fs.readFileSync(path.join(OBS, 'alerts.yml'), 'utf8')) as {
        groups: Array<{ rules: Array<{ alert: string; expr: string; labels: { panel: string } }> }>;
      }
    ).groups.flatMap((g) => g.rules);
    const panelId = (p: { description: string }) => /\(panel ([a-z0-9-]+)\)/.exec(p.description)?.[1];
    // the metric names an expression reads (a histogram's _bucket/_sum/_count are its series)
    const metricsOf = (expr: string) => [...expr.matchAll(/\b((?:shyb|temporal)_[a-z0-9_]+)/g)].map((m) => m[1]!.replace(/_(bucket|sum|count)$/, ''));
    const known = new Set(registry.getMetricsAsArray().map((m) => m.name));

    test('Prometheus and Grafana run only in the profile, with healthchecks, Grafana on loopback, every mounted file present', () => {
      for (const n of ['prometheus', 'grafana']) {
        expect(services[n]!.profiles).toEqual(['observability']);
        for (const v of services[n]!.volumes!.filter((v) => v.startsWith('./') && !v.includes('ops-key')))
          expect({ v, exists: fs.existsSync(path.join(DOCKER, v.split(':')[0]!)) }).toEqual({ v, exists: true });
      }
      expect(services.grafana!.ports).toEqual(['127.0.0.1:3001:3000']);
      const prom = parse(fs.readFileSync(path.join(OBS, 'prometheus.yml'), 'utf8')) as {
        rule_files: string[];
        scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }>; authorization?: { credentials_file: string } }>;
      };
      expect(prom.rule_files).toEqual(['/etc/prometheus/alerts.yml']);
      const targets = prom.scrape_configs.flatMap((c) => c.static_configs.flatMap((s) => s.targets));
      expect(targets).toEqual(expect.arrayContaining(['shyb-worker:9100', 'shyb-worker:9464', 'shyb-api:3000']));
      // the API's /metrics needs an ops key: read from the mounted file, never written in the config
      expect(prom.scrape_configs.find((c) => c.job_name === 'shyb-api')!.authorization!.credentials_file).toBe('/etc/prometheus/ops-key');
      const ds = parse(fs.readFileSync(path.join(OBS, 'grafana/provisioning/datasources/prometheus.yml'), 'utf8')) as {
        datasources: Array<{ uid: string; url: string }>;
      };
      expect(ds.datasources[0]).toMatchObject({ uid: 'prometheus', url: 'http://prometheus:9090' });
      const provider = parse(fs.readFileSync(path.join(OBS, 'grafana/provisioning/dashboards/shyb-pay.yml'), 'utf8')) as {
        providers: Array<{ options: { path: string } }>;
      };
      expect(services.grafana!.volumes).toContain(`./observability/grafana/dashboards:${provider.providers[0]!.options.path}:ro`);
    });

    test("the dashboard has the issue's panels, each reading metrics the code exports", () => {
      expect(dashboard.panels.map(panelId).sort()).toEqual([
        'centre-check',
        'orphan-pushes',
        'push-to-final-p99',
        'review-backlog',
        'se02-latency',
        'settlements-per-minute',
        'sign-in-state',
        'webhook-failures',
      ]);
      for (const p of dashboard.panels) {
        const used = p.targets.flatMap((t) => metricsOf(t.expr));
        expect({ panel: p.title, reads: used.length > 0 }).toEqual({ panel: p.title, reads: true });
        for (const m of used) expect({ panel: p.title, m, exported: known.has(m) }).toEqual({ panel: p.title, m, exported: true });
      }
    });

    test('every panel has an alert rule on the same metrics, and every rule reads exported metrics', () => {
      for (const p of dashboard.panels) {
        const rule = rules.find((r) => r.labels.panel === panelId(p));
        expect({ panel: panelId(p), rule: rule?.alert }).toEqual({ panel: panelId(p), rule: expect.any(String) });
        expect(metricsOf(rule!.expr)).toEqual(expect.arrayContaining(p.targets.flatMap((t) => metricsOf(t.expr))));
      }
      for (const r of rules)
        for (const m of metricsOf(r.expr)) expect({ rule: r.alert, m, exported: known.has(m) }).toEqual({ rule: r.alert, m, exported: true });
    });

    test('the metric checks have teeth: a misspelt metric is not exported', () => {
      expect(metricsOf('rate(shyb_settlement_final_total[5m])').every((m) => known.has(m))).toBe(false);
    });
  });

  test('the Temporal server runs the one config template that npm run cluster runs', () => {
    const mount = services.temporal!.volumes!.find((v) => v.endsWith(':/etc/temporal/config/shyb:ro'))!;
    expect(path.resolve(DOCKER, mount.split(':')[0]!, path.basename(TEMPLATE))).toBe(TEMPLATE);
    expect(fs.readFileSync(TEMPLATE, 'utf8').split('\n')[0]).toBe('# enable-template');
  });

  test('without the secrets filled in, compose refuses to start and names them', () => {
    const { interpolationErrors: missing } = loadCompose(COMPOSE, example);
    const names = new Set(missing.map((e) => e.split(':')[0]));
    expect([...names].sort()).toEqual([
      'API_KEYS',
      'CALLBACK_ALLOW',
      'FIXMEDINS_CODE',
      'FIXMEDINS_NAME',
      'PAYLOAD_KEYS',
      'PLATFORM_URL',
      'POSTGRES_PASSWORD',
      'WUQI_URL',
    ]);
  });

  test('versions are the ones the tests and the cluster run', () => {
    const cli = execFileSync(requireTemporalCli(), ['--version'], { encoding: 'utf8' });
    const [, server, ui] = /Server (\d+\.\d+)\.\d+, UI ([\d.]+)/.exec(cli)!;
    expect(example.TEMPORAL_VERSION).toBe(TEMPORAL_SERVER_VERSION.slice(1));
    expect(example.TEMPORAL_VERSION!.startsWith(`${server}.`)).toBe(true);
    expect(example.TEMPORAL_UI_VERSION).toBe(ui);
    expect(services.temporal!.image).toBe(`temporalio/server:${example.TEMPORAL_VERSION}`);
    expect(services['temporal-ui']!.image).toBe(`temporalio/ui:${ui}`);
    // the defaults in the compose file agree with .env.example
    const defaults = loadCompose(COMPOSE, { ...filled, TEMPORAL_VERSION: undefined, TEMPORAL_UI_VERSION: undefined, TEMPORAL_ADMINTOOLS_VERSION: undefined })
      .doc.services;
    expect(defaults.temporal!.image).toBe(`temporalio/server:${example.TEMPORAL_VERSION}`);
    expect(defaults['temporal-ui']!.image).toBe(`temporalio/ui:${ui}`);
  });
});

test('.env.example documents every variable the configuration reads, and no secret is committed', () => {
  const text = fs.readFileSync(path.join(DOCKER, '.env.example'), 'utf8');
  for (const v of CONFIG_VARIABLES) expect({ v, documented: new RegExp(`\\b${v}\\b`).test(text) }).toEqual({ v, documented: true });
  for (const secret of ['API_KEYS', 'POSTGRES_PASSWORD', 'PAYLOAD_KEYS', 'CODEC_KEYS'])
    expect({ secret, value: example[secret] }).toEqual({ secret, value: '' });
  const tracked = execFileSync('git', ['ls-files', 'temporal-docker'], { cwd: ROOT, encoding: 'utf8' }).split('\n');
  expect(tracked).not.toContain('temporal-docker/.env');
  expect(fs.readFileSync(COMPOSE, 'utf8')).not.toMatch(/change-me|POSTGRES_PASSWORD:-/);
});

test('the namespace script registers exactly the search attributes the code uses', () => {
  const script = fs.readFileSync(path.join(DOCKER, 'scripts/create-namespace.sh'), 'utf8');
  const listed = /for sa in ([^;]+);/.exec(script)![1]!.trim().split(/\s+/).sort();
  const types: Record<string, string> = { KEYWORD: 'Keyword', DATETIME: 'Datetime', DOUBLE: 'Double' };
  expect(listed).toEqual(ALL_SEARCH_ATTRIBUTES.map((k) => `${k.name}=${types[k.type]}`).sort());
});

test('the Dockerfile is multi-stage, Node 24 LTS, non-root, with a prebuilt workflow bundle', () => {
  const df = fs.readFileSync(path.join(DOCKER, 'Dockerfile'), 'utf8');
  expect(df.match(/^FROM /gm)).toHaveLength(2);
  expect(df.match(/^FROM node:24-bookworm-slim/gm)).toHaveLength(2);
  expect(df).toMatch(/^USER node$/m);
  expect(df).toContain('node dist/scripts/build-workflow-bundle.js dist/workflow-bundle.js');
  expect(df).toContain('WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js');
  expect(df).toContain('cp -r api/console/assets dist/api/console/ && cp -r api/demo-page/assets dist/api/demo-page/');
});

/** The build context Docker would send: every file not excluded by .dockerignore. */
function buildContext(): { files: string[]; bytes: number } {
  const patterns = fs
    .readFileSync(path.join(ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  expect(patterns.some((p) => p.startsWith('!'))).toBe(false); // the matcher below has no negation
  const toRe = (p: string) =>
    new RegExp(
      `^${p
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*\*\//g, '(?:.*/)?')
        .replace(/\*/g, '[^/]*')}$`,
    );
  const res = patterns.map(toRe);
  const ignored = (rel: string) => res.some((re) => re.test(rel));
  const files: string[] = [];
  let bytes = 0;
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = dir ? `${dir}/${e.name}` : e.name;
      if (ignored(rel)) continue;
      if (e.isDirectory()) walk(rel);
      else if (e.isFile()) {
        files.push(rel);
        bytes += fs.statSync(path.join(ROOT, rel)).size;
      }
    }
  };
  walk('');
  return { files, bytes };
}

test('.dockerignore keeps dependencies, data, secrets and build output out of the image', () => {
  // make sure the things it must exclude exist here, as they do on a developer's machine
  const planted = [
    '.data/payload-key',
    'temporal-docker/.env',
    'temporal-docker/tls/client.key',
    'node_modules/.placeholder-dockerignore-test',
    'dist-dockerignore-test/x.js',
    'simulator/.data/x.db',
  ];
  const created = planted.filter((p) => !fs.existsSync(path.join(ROOT, p)));
  const simData = !fs.existsSync(path.join(ROOT, 'simulator/.data'));
  const tlsDir = !fs.existsSync(path.join(ROOT, 'temporal-docker/tls'));
  for (const p of created) {
    fs.mkdirSync(path.dirname(path.join(ROOT, p)), { recursive: true });
    fs.writeFileSync(path.join(ROOT, p), 'secret');
  }
  try {
    const { files, bytes } = buildContext();
    for (const p of planted) expect(files).not.toContain(p);
    expect(files.filter((f) => /(^|\/)(node_modules|\.data|\.temporal|\.cluster|\.git)\//.test(f))).toEqual([]);
    expect(files).toEqual(
      expect.arrayContaining(['package.json', 'package-lock.json', 'tsconfig.json', 'temporal-docker/Dockerfile', 'worker/main.ts', 'api/main.ts']),
    );
    expect(bytes).toBeLessThan(20 * 2 ** 20);
  } finally {
    for (const p of created) fs.rmSync(path.join(ROOT, p), { force: true });
    fs.rmSync(path.join(ROOT, 'dist-dockerignore-test'), { recursive: true, force: true });
    if (simData) fs.rmSync(path.join(ROOT, 'simulator/.data'), { recursive: true, force: true });
    if (tlsDir) fs.rmSync(path.join(ROOT, 'temporal-docker/tls'), { recursive: true, force: true });
  }
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
      await waitFor(async () => (await api.call('get', '/readyz').catch(() => ({ status: 0 }))).status === 200, 30_000, 200);
      // the worker's health endpoint: alive, and ready once it polls its task queue
      await waitFor(async () => (await fetch(`http://127.0.0.1:${workerMetricsPort}/readyz`).catch(() => undefined))?.status === 200, 30_000, 200);
      expect((await fetch(`http://127.0.0.1:${workerMetricsPort}/livez`)).status).toBe(200);
      const orderNo = await api.settle(sim.platform.issueToken('employee'), '801874939', '12.34');
      const v = await api.until(orderNo, (x) => x.status === 'PAID', 30_000);
      expect(v.setlinfo.medfee_sumamt).toBe('12.34');
      const consoleJs = await fetch(`http://127.0.0.1:${apiPort}/console/assets/console.js`);
      expect([consoleJs.status, consoleJs.headers.get('content-type')]).toEqual([200, expect.stringMatching(/javascript/)]);
      // the demo page's typed client runtime comes from node_modules (a production dependency, so the
      // image keeps it after `npm prune --omit=dev`), resolved by the compiled code
      const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
      expect(Object.keys(pkg.dependencies)).toContain('openapi-fetch');
      const served = execFileSync(process.execPath, ['-p', `require(${JSON.stringify(path.join(out, 'api/demo-page/routes.js'))}).OPENAPI_FETCH_MODULE`], {
        cwd: ROOT,
        encoding: 'utf8',
      }).trim();
      expect(fs.readFileSync(served, 'utf8')).toMatch(/createClient as default/);
      // the standalone worker counts the outcome in its own /metrics
      const metrics = await fetch(`http://127.0.0.1:${workerMetricsPort}/metrics`).then((r) => r.text());
      expect(metrics).toMatch(/shyb_settlements_final_total\{status="PAID",route="NATIONAL"\} 1/);
    } finally {
      await sim.close();
    }
  }, 300_000); // it compiles the whole project and bundles the workflows: minutes on a busy 2-core machine

  test('the config check of the compose stack: empty values are unset, placeholder keys are refused', () => {
    const check = (env: Record<string, string>) =>
      spawnSync(process.execPath, [path.join(out, 'scripts/check-config.js')], {
        cwd: ROOT,
        env: { PATH: process.env.PATH, DATA_DIR: path.join(out, 'data'), ...env },
        encoding: 'utf8',
      });
    const ok = check({ PAYLOAD_KEYS: '', API_KEYS: 'his-app:his:k-0123456789abcdef', CALLBACK_ALLOW: '10.20.30.40', WUQI_ORG_CODE: '', SETTLEMENT_TIMING: '' });
    expect({ status: ok.status, out: ok.stdout }).toMatchObject({ status: 0, out: expect.stringContaining('configuration ok') });
    const open = check({ API_KEYS: 'his-app:his:k-0123456789abcdef', CALLBACK_ALLOW: '' });
    expect({ status: open.status, err: open.stderr }).toEqual({ status: 2, err: expect.stringContaining('CALLBACK_ALLOW is required when API_KEYS is set') });
    const placeholder = check({ API_KEYS: 'his-app:his:change-me' });
    expect({ status: placeholder.status, err: placeholder.stderr }).toEqual({
      status: 2,
      err: expect.stringContaining('API_KEYS holds the placeholder "change-me"'),
    });
    const badKey = check({ PAYLOAD_KEYS: 'k1:c2hvcnQ=' });
    expect({ status: badKey.status, err: badKey.stderr }).toEqual({ status: 2, err: expect.stringContaining('must be 32 bytes') });
    // a bare key (no name, no role) is refused at start-up, naming the format and never the key
    const bare = check({ API_KEYS: 'k-0123456789abcdef', CALLBACK_ALLOW: '10.20.30.40' });
    expect({ status: bare.status, err: bare.stderr }).toEqual({
      status: 2,
      err: expect.stringContaining('API_KEYS entry 1 is a bare key: each entry is name:role:key'),
    });
    expect(bare.stderr).not.toContain('k-0123456789abcdef');
  });
});
