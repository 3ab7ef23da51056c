import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { onStopSignals } from '../common/stop-signals';
import { ensureBinaries, ensureUiServer, ROOT, TEMPORAL_SERVER_VERSION, TEMPORAL_UI_VERSION, type ClusterBinaries } from './cluster-build';
import { preparePostgres, pgBin, type PostgresSetup } from './cluster-postgres';
import { canConnect, freePort } from './dev-server';
import { launchStack, waitForHttp } from './launch-stack';
import { Service, type ServiceEvent, type ServiceSpec } from './supervise';
const { requireTemporalCli } = require('./temporal-cli');

/**
 * `npm run cluster`: shyb-pay as production runs it, on one machine.
 *   PostgreSQL (private, under DATA_DIR/cluster) → schema setup/update (temporal-sql-tool)
 *   → Temporal frontend, history, matching and worker as four processes (one config template,
 *     temporal-docker/config/temporal-postgres.yaml, the one compose mounts)
 *   → namespaces (orders + claims) + search attributes (temporal-docker/scripts/create-namespace.sh, as compose)
 *   → the platform simulator, two shyb workers (MSGID_INSTANCE 0 and 1), two API processes.
 * Every process is supervised: an unexpected exit is logged and the process restarted.
 */

export const TEMPLATE = path.join(ROOT, 'temporal-docker/config/temporal-postgres.yaml');
const DYNAMIC_CONFIG = path.join(ROOT, 'temporal-docker/dynamicconfig/production-sql.yaml');
const SCRIPTS = path.join(ROOT, 'temporal-docker/scripts');
export const TEMPORAL_SERVICES = ['history', 'matching', 'frontend', 'worker'] as const;

const PORT_NAMES = [
  'postgres',
  'frontendGrpc',
  'frontendHttp',
  'frontendMembership',
  'historyGrpc',
  'historyMembership',
  'matchingGrpc',
  'matchingMembership',
  'workerGrpc',
  'workerMembership',
  'api0',
  'api1',
  'simulator',
  'workerMetrics0',
  'workerMetrics1',
  'ui',
] as const;
export type Ports = Record<(typeof PORT_NAMES)[number], number>;

export interface ClusterOptions {
  /** Everything lives under <dataDir>/cluster. */
  dataDir: string;
  log?: (line: string) => void;
  /** Passed to the workers (e.g. faster polling in the torture test). */
  settlementTiming?: string;
  logLevel?: string;
  /** The Temporal UI (built from the Go module proxy on first use); default on. */
  ui?: boolean;
}

export interface TemporalCluster {
  address: string;
  home: string;
  ports: Ports;
  postgres: PostgresSetup;
  services: Map<string, Service>;
  stop(): Promise<void>;
}

export interface Cluster extends TemporalCluster {
  uiUrl?: string;
  apiUrls: string[];
  apiKey: string;
  simulatorUrl: string;
  workerMetricsUrls: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Ports are chosen free at run time (tests run side by side) and kept in <home>/ports.json, so a
 * restart of the cluster on the same DATA_DIR gets the same addresses when they are still free.
 */
async function choosePorts(home: string): Promise<Ports> {
  const file = path.join(home, 'ports.json');
  if (fs.existsSync(file)) {
    const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as Ports;
    const busy = await Promise.all(PORT_NAMES.map((n) => (typeof saved[n] === 'number' ? canConnect(saved[n]) : Promise.resolve(true))));
    if (!busy.some(Boolean)) return saved;
  }
  const used = new Set<number>();
  const ports = {} as Ports;
  for (const n of PORT_NAMES) {
    // Temporal stores membership ports in a smallint column: those must stay below 32768, under
    // the kernel's ephemeral range, so they are drawn at random from 20000-32000 and tried
    const pick = n.endsWith('Membership') ? () => bindable(20_000 + Math.floor(Math.random() * 12_000)) : () => freePort();
    let p = await pick();
    while (!p || used.has(p)) p = await pick();
    used.add(p);
    ports[n] = p;
  }
  fs.writeFileSync(file, `${JSON.stringify(ports, null, 2)}\n`);
  return ports;
}

function bindable(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(undefined));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(port)));
  });
}

function secretFile(file: string, make: () => string): string {
  if (!fs.existsSync(file)) fs.writeFileSync(file, make(), { mode: 0o600 });
  return fs.readFileSync(file, 'utf8').trim();
}

function runScript(script: string, env: NodeJS.ProcessEnv, logFile: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = fs.openSync(logFile, 'a');
    const c = spawn('sh', [path.join(SCRIPTS, script)], { env, stdio: ['ignore', out, out] });
    fs.closeSync(out);
    const t = setTimeout(() => c.kill('SIGKILL'), timeoutMs);
    c.once('exit', (code) => {
      clearTimeout(t);
      if (code === 0) resolve();
      else reject(new Error(`${script} failed (exit ${code}); see ${logFile}:\n${fs.readFileSync(logFile, 'utf8').trim().split('\n').slice(-8).join('\n')}`));
    });
  });
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number, service?: Service): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} not ready after ${timeoutMs / 1000} s${service?.spec.logFile ? `; see ${service.spec.logFile}` : ''}`);
    await sleep(250);
  }
}

function pgReady(pg: PostgresSetup): Promise<boolean> {
  return Promise.resolve(spawnSync(pgBin('pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(pg.port)]).status === 0);
}

/** The orders' namespace and the claims' (activities/claim-activities.ts), both made by create-namespace.sh. */
export const CLUSTER_NAMESPACE = 'default';
export const CLUSTER_CLAIM_NAMESPACE = 'default-claims';

/** PostgreSQL, the schemas, the four Temporal services and the namespaces: what `--cluster` benchmarks. */
export async function startTemporalCluster(opts: ClusterOptions): Promise<TemporalCluster> {
  const say = opts.log ?? ((l: string) => process.stdout.write(`[cluster] ${l}\n`));
  const home = path.join(path.resolve(opts.dataDir), 'cluster');
  const logs = path.join(home, 'logs');
  fs.mkdirSync(logs, { recursive: true });
  const bins: ClusterBinaries = ensureBinaries(say);
  const ports = await choosePorts(home);
  const services = new Map<string, Service>();
  const onEvent = (e: ServiceEvent) => {
    if (e.event === 'exited') say(`${e.service} (pid ${e.pid}) exited ${e.signal ? `on ${e.signal}` : `with code ${e.code}`}; restarting it`);
    else if (e.event === 'restarting') say(`${e.service} restarting`);
  };
  const add = (spec: ServiceSpec) => {
    const s = new Service({ logFile: path.join(logs, `${spec.name}.log`), ...spec }, onEvent).start();
    services.set(spec.name, s);
    return s;
  };
  const stop = async () => {
    for (const s of services.values()) s.markStopping();
    for (const name of [...services.keys()].reverse()) await services.get(name)!.stop(15_000);
  };

  try {
    const t0 = Date.now();
    const pg = preparePostgres(home, ports.postgres);
    const pgService = add(pg.spec);
    await waitUntil('PostgreSQL', () => pgReady(pg), 60_000, pgService);

    const dbEnv = { POSTGRES_SEEDS: '127.0.0.1', DB_PORT: String(pg.port), POSTGRES_USER: pg.user, POSTGRES_PWD: pg.password };
    const pathWith = (...dirs: string[]) => [...dirs, process.env.PATH ?? ''].join(path.delimiter);
    await runScript(
      'setup-postgres.sh',
      { ...process.env, ...dbEnv, SCHEMA_DIR: bins.schemaDir, PATH: pathWith(path.dirname(bins.sqlTool), path.dirname(pgBin('pg_isready'))) },
      path.join(logs, 'schema.log'),
      120_000,
    );

    const serverEnv: NodeJS.ProcessEnv = {
      ...process.env,
      ...dbEnv,
      LOG_LEVEL: 'warn',
      NUM_HISTORY_SHARDS: '4',
      BIND_ON_IP: '127.0.0.1',
      TEMPORAL_BROADCAST_ADDRESS: '127.0.0.1',
      DYNAMIC_CONFIG_FILE_PATH: DYNAMIC_CONFIG,
      FRONTEND_GRPC_PORT: String(ports.frontendGrpc),
      FRONTEND_HTTP_PORT: String(ports.frontendHttp),
      FRONTEND_MEMBERSHIP_PORT: String(ports.frontendMembership),
      HISTORY_GRPC_PORT: String(ports.historyGrpc),
      HISTORY_MEMBERSHIP_PORT: String(ports.historyMembership),
      MATCHING_GRPC_PORT: String(ports.matchingGrpc),
      MATCHING_MEMBERSHIP_PORT: String(ports.matchingMembership),
      WORKER_GRPC_PORT: String(ports.workerGrpc),
      WORKER_MEMBERSHIP_PORT: String(ports.workerMembership),
    };
    for (const svc of TEMPORAL_SERVICES) {
      const s = add({ name: svc, cmd: bins.server, args: ['--config-file', TEMPLATE, '--allow-no-auth', 'start', '--service', svc], env: serverEnv });
      // on a fresh database the first process writes the cluster metadata; the others racing it
      // would fail their start ("SaveClusterMetadata encountered version mismatch")
      if (svc === 'history') await waitUntil('history', () => canConnect(ports.historyGrpc), 60_000, s);
    }
    const address = `127.0.0.1:${ports.frontendGrpc}`;
    const cli: string = requireTemporalCli();
    await runScript(
      'create-namespace.sh',
      { ...process.env, TEMPORAL_ADDRESS: address, NAMESPACE: CLUSTER_NAMESPACE, CLAIM_NAMESPACE: CLUSTER_CLAIM_NAMESPACE, PATH: pathWith(path.dirname(cli)) },
      path.join(logs, 'namespace.log'),
      180_000,
    );
    say(`Temporal ${TEMPORAL_SERVER_VERSION} on PostgreSQL ready at ${address} (${Math.round((Date.now() - t0) / 1000)} s)`);
    return { address, home, ports, postgres: pg, services, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The whole production-shaped stack: the Temporal cluster, then the shyb processes by launch-stack.ts. */
export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  const say = opts.log ?? ((l: string) => process.stdout.write(`[cluster] ${l}\n`));
  const temporal = await startTemporalCluster({ ...opts, log: say });
  const { home, ports, services } = temporal;
  const logs = path.join(home, 'logs');
  const onEvent = (e: ServiceEvent) => {
    if (e.event === 'exited') say(`${e.service} (pid ${e.pid}) exited ${e.signal ? `on ${e.signal}` : `with code ${e.code}`}; restarting it`);
  };
  try {
    // production-shaped secrets: generated once, kept 0600 under DATA_DIR, never in the repository
    const apiKey = secretFile(path.join(home, 'api-key'), () => randomBytes(24).toString('hex'));
    const payloadKeys = secretFile(path.join(home, 'payload-keys'), () => `k1:${randomBytes(32).toString('base64')}`);
    const simulatorUrl = `http://127.0.0.1:${ports.simulator}`;
    const apiUrls = [ports.api0, ports.api1].map((p) => `http://127.0.0.1:${p}`);
    const ui = opts.ui === false ? undefined : ensureUiServer(say);
    const uiUrl = ui ? `http://127.0.0.1:${ports.ui}` : undefined;
    const logFile = (name: string) => path.join(logs, `${name}.log`);
    const stack = await launchStack({
      temporal: { address: temporal.address },
      env: {
        TEMPORAL_NAMESPACE: CLUSTER_NAMESPACE,
        TEMPORAL_CLAIM_NAMESPACE: CLUSTER_CLAIM_NAMESPACE,
        TEMPORAL_TASK_QUEUE: 'shyb-pay',
        PLATFORM_URL: `${simulatorUrl}/gjptqzyy-test/api/v1/route`,
        WUQI_URL: `${simulatorUrl}/wuqi`,
        SIMULATOR_PORT: String(ports.simulator),
        DATA_DIR: path.join(home, 'shyb'),
        PAYLOAD_KEYS: payloadKeys,
        API_KEYS: `cluster:his+finance+ops:${apiKey}`, // the drivers settle, read, resolve and scrape with one key
        // with keys the configuration requires it: the simulator pushes from this host
        CALLBACK_ALLOW: '127.0.0.1,::1',
        LOG_LEVEL: opts.logLevel ?? 'info',
        // the platform pushes to API 0 (a 前置机 has one callback address; a load balancer in production)
        CALLBACK_BASE_URL: `${apiUrls[0]}/shyb`,
        ...(opts.settlementTiming ? { SETTLEMENT_TIMING: opts.settlementTiming } : {}),
        ...(uiUrl ? { CODEC_CORS_ORIGINS: `${uiUrl},http://localhost:${ports.ui}` } : {}),
      },
      simulator: { process: { name: 'simulator', script: 'simulator/main.ts', port: ports.simulator, logFile: logFile('simulator') } },
      bundle: { file: path.join(home, 'workflow-bundle.js') },
      workers: ([0, 1] as const).map((i) => ({
        name: `shyb-worker-${i}`,
        script: 'worker/main.ts',
        port: ports[`workerMetrics${i}`],
        readyPath: '/readyz',
        env: { MSGID_INSTANCE: String(i) },
        logFile: logFile(`shyb-worker-${i}`),
      })),
      apis: ([0, 1] as const).map((i) => ({
        name: `api-${i}`,
        script: 'api/main.ts',
        port: ports[`api${i}`],
        readyPath: '/readyz',
        logFile: logFile(`api-${i}`),
      })),
      onEvent,
    });
    // one map of every supervised process (the torture SIGKILLs by name); the shyb ones stop first
    for (const [name, svc] of stack.services) services.set(name, svc);
    if (ui) {
      // the compose UI's variables, on the UI server's own docker config template
      const s = new Service(
        {
          name: 'temporal-ui',
          cmd: ui.bin,
          args: ['--root', ui.moduleDir, '--config', 'config', '--env', 'docker', 'start'],
          logFile: logFile('temporal-ui'),
          env: {
            ...process.env,
            TEMPORAL_ADDRESS: temporal.address,
            TEMPORAL_UI_PORT: String(ports.ui),
            TEMPORAL_CORS_ORIGINS: `${uiUrl},http://localhost:${ports.ui}`,
            TEMPORAL_CODEC_ENDPOINT: `${apiUrls[0]}/codec`,
            TEMPORAL_CODEC_PASS_ACCESS_TOKEN: 'false',
            TEMPORAL_CODEC_INCLUDE_CREDENTIALS: 'true',
            TEMPORAL_DISABLE_NEWS_FETCH: 'true',
          },
        },
        onEvent,
      ).start();
      services.set('temporal-ui', s);
      await waitForHttp(uiUrl!, 60_000, s);
    }
    const workerMetricsUrls = [ports.workerMetrics0, ports.workerMetrics1].map((p) => `http://127.0.0.1:${p}`);
    return { ...temporal, ...(uiUrl ? { uiUrl } : {}), apiUrls, apiKey, simulatorUrl, workerMetricsUrls };
  } catch (err) {
    await temporal.stop();
    throw err;
  }
}

async function main() {
  const dataDir = path.resolve(process.env.DATA_DIR && process.env.DATA_DIR.trim() ? process.env.DATA_DIR : './.data');
  const c = await startCluster({ dataDir, logLevel: process.env.LOG_LEVEL || 'warn' });
  const lines = [
    'shyb-pay cluster is running (Temporal on PostgreSQL, every process supervised)',
    `  API              ${c.apiUrls.join('  ')}   (bearer key in ${path.join(c.home, 'api-key')})`,
    `  Temporal         ${c.address}   services: ${TEMPORAL_SERVICES.join(', ')} (Server ${TEMPORAL_SERVER_VERSION})`,
    `  Temporal UI      ${c.uiUrl ? `${c.uiUrl}   (UI ${TEMPORAL_UI_VERSION}; clear payloads after a codec session: ${c.apiUrls[0]}/codec/login)` : 'not available (see above)'}`,
    `  PostgreSQL       127.0.0.1:${c.postgres.port}   data ${c.postgres.dataDir}`,
    `  shyb workers     MSGID_INSTANCE 0 and 1; health ${c.workerMetricsUrls.map((u) => `${u}/readyz`).join('  ')}`,
    `  platform         ${c.simulatorUrl}   (simulator)`,
    `  logs             ${path.join(c.home, 'logs')}`,
    `Try: API_URL=${c.apiUrls[0]} SIMULATOR_URL=${c.simulatorUrl} API_KEY=$(cat ${path.join(c.home, 'api-key')}) npm run demo     Ctrl-C stops everything.`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const stop = () => {
    process.stdout.write('stopping the cluster...\n');
    void c.stop().then(() => {
      process.stdout.write('stopped\n');
      process.exit(0);
    });
  };
  onStopSignals(stop);
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`cluster: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
