import { spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { searchAttributeArgs } from '../common/search-attributes';
import { onStopSignals } from '../common/stop-signals';
import { spawnTied } from './supervise';
const { requireTemporalCli } = require('./temporal-cli');

// WAL + synchronous=NORMAL: a commit survives a crash of any process; only an OS crash or power
// loss can drop the last commits. The default rollback journal fsyncs every write and is ~10x slower.
// TEMPORAL_SQLITE_PRAGMAS overrides (comma-separated), e.g. "synchronous=full".
const DEFAULT_PRAGMAS = (process.env.TEMPORAL_SQLITE_PRAGMAS ?? 'journal_mode=wal,synchronous=normal')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);

export interface DevServerOptions {
  port: number;
  uiPort?: number;
  /** SQLite file; omitted = in memory. */
  dbFile?: string;
  /** For a file DB. Default: WAL with synchronous=NORMAL (see docs/operations.md on durability). */
  sqlitePragmas?: string[];
  headless?: boolean;
  codecEndpoint?: string;
  logLevel?: string;
  /** Namespaces besides `default`. Default: `default-claims`, where the claims of `default`'s orders live (config.claimNamespace). */
  namespaces?: string[];
  /** Default: captured, the last lines kept for errors (DevServer.output). */
  stdio?: 'inherit' | 'ignore';
}

export interface DevServer {
  address: string;
  process: ChildProcess;
  /** The last lines it printed (empty with stdio 'inherit' or 'ignore'). */
  output(): string;
  stop(): Promise<void>;
}

/** Starts `temporal server start-dev` with the project's search attributes and waits for gRPC. */
export async function startDevServer(opts: DevServerOptions): Promise<DevServer> {
  // never adopt whatever already listens there (e.g. a dev server orphaned by an earlier run)
  if (await canConnect(opts.port)) throw new PortInUseError(opts.port);
  // The CLI picks its HTTP, metrics and internal service ports itself ("a random free port"): it
  // frees each one and binds it again later, and on a busy machine another process can take one in
  // between. The server then exits at once; a new attempt picks other ports.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(opts);
    } catch (err) {
      if (!(err instanceof DevServerExitedEarly) || attempt >= START_ATTEMPTS || (await canConnect(opts.port))) throw err;
      process.stderr.write(`temporal dev server exited during start (attempt ${attempt} of ${START_ATTEMPTS}); starting it again\n${err.output}\n`);
    }
  }
}

const START_ATTEMPTS = 3;

async function startOnce(opts: DevServerOptions): Promise<DevServer> {
  const cli: string = requireTemporalCli();
  const args = devServerArgs(opts);
  // its own process group, so a terminal's Ctrl-C reaches the stack, which stops it in order;
  // spawnTied still ends it if the stack dies
  const child = spawnTied(cli, args, { stdio: opts.stdio === 'inherit' ? 'inherit' : ['ignore', 'pipe', 'pipe'], detached: true });
  const output = opts.stdio === 'ignore' ? undefined : tail(child);
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const deadline = Date.now() + 60_000;
  while (!(await canConnect(opts.port))) {
    if (exited) throw new DevServerExitedEarly(`${cli} ${args.join(' ')}`, output?.() ?? '');
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('temporal dev server did not open its port within 60 s');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    address: `127.0.0.1:${opts.port}`,
    process: child,
    output: output ?? (() => ''),
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}

/** The claims namespace of the dev server's `default` namespace (TEMPORAL_CLAIM_NAMESPACE unset). */
export const DEFAULT_CLAIM_NAMESPACE = 'default-claims';

function devServerArgs(opts: DevServerOptions): string[] {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(opts.port), '--log-level', opts.logLevel ?? 'error'];
  if (opts.dbFile) {
    fs.mkdirSync(path.dirname(opts.dbFile), { recursive: true });
    args.push('--db-filename', opts.dbFile);
    for (const p of opts.sqlitePragmas ?? DEFAULT_PRAGMAS) args.push('--sqlite-pragma', p);
  }
  if (opts.headless) args.push('--headless');
  else {
    args.push('--ui-port', String(opts.uiPort ?? opts.port + 1000), '--ui-disable-news-fetch');
    if (opts.codecEndpoint) args.push('--ui-codec-endpoint', opts.codecEndpoint);
  }
  for (const ns of opts.namespaces ?? [DEFAULT_CLAIM_NAMESPACE]) args.push('--namespace', ns);
  args.push(
    ...searchAttributeArgs(),
    '--dynamic-config-value',
    'frontend.enableUpdateWorkflowExecution=true',
    '--dynamic-config-value',
    'frontend.enableUpdateWorkflowExecutionAsyncAccepted=true',
    '--dynamic-config-value',
    'frontend.enableExecuteMultiOperation=true',
  );
  return args;
}

/** The last 4 KB the server printed (it must be read anyway, or a full pipe would stall it). */
function tail(child: ChildProcess): () => string {
  let text = '';
  const keep = (d: Buffer) => void (text = (text + d.toString('utf8')).slice(-4096));
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', keep);
    (stream as { unref?: () => void } | null)?.unref?.(); // reading it must not keep our process alive
  }
  return () => text.trim();
}

export class DevServerExitedEarly extends Error {
  constructor(
    command: string,
    readonly output: string,
  ) {
    super(`temporal dev server exited early (${command})${output ? `: ${output.slice(-1000)}` : ''}`);
  }
}

export class PortInUseError extends Error {
  constructor(readonly port: number) {
    super(
      `port ${port} is already in use${whoListens(port) ?? ''}: stop that process (perhaps a Temporal dev server left by an earlier run) or choose another port (TEMPORAL_DEV_PORT)`,
    );
  }
}

/** Best effort, Linux: " by pid 123 (temporal)" from ss. */
function whoListens(port: number): string | undefined {
  const r = spawnSync('ss', ['-Hltnp', `sport = :${port}`], { encoding: 'utf8' });
  const m = /users:\(\("([^"]+)",pid=(\d+)/.exec(r.stdout ?? '');
  return m ? ` by pid ${m[2]} (${m[1]})` : undefined;
}

export function canConnect(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ port, host });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/**
 * A port that is free now, for a server that binds it later. It is drawn from below the kernel's
 * ephemeral range: a port from that range (what binding port 0 gives) can be handed to any process
 * that binds port 0 meanwhile, and the Temporal CLI binds several that way while it starts, so a
 * stack's API or simulator port could be taken before they listen. Never the same port twice per process.
 */
export async function freePort(): Promise<number> {
  const low = ephemeralLow();
  for (let attempt = 0; attempt < 200; attempt++) {
    // below the ephemeral range, leaving room for the UI's port + 1000 (devServerArgs)
    const port = 10_000 + Math.floor(Math.random() * (low - 1_000 - 10_000));
    if (handedOut.has(port)) continue;
    handedOut.add(port); // before the check: concurrent callers never get the same port
    if (await canBind(port)) return port;
    handedOut.delete(port);
  }
  throw new Error('no free port found below the ephemeral range');
}

const handedOut = new Set<number>();

/** Where the ephemeral range starts: Linux's ip_local_port_range, elsewhere the IANA dynamic range. */
function ephemeralLow(): number {
  try {
    const low = Number(fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    if (low > 12_000) return low; // room below it for ports from 10000 and their UI port + 1000
  } catch {
    // not Linux
  }
  return 49_152;
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

if (require.main === module) {
  // `npm run temporal:dev`: persistent SQLite under DATA_DIR, gRPC 7233, UI 8233.
  const dataDir = path.resolve(process.env.DATA_DIR ?? './.data');
  startDevServer({ port: 7233, uiPort: 8233, dbFile: path.join(dataDir, 'temporal.db'), stdio: 'inherit', logLevel: 'warn' })
    .then((s) => {
      process.stdout.write(`Temporal dev server on ${s.address}, UI http://127.0.0.1:8233\n`);
      const stop = () => void s.stop().then(() => process.exit(0));
      onStopSignals(stop);
    })
    .catch((err) => {
      process.stderr.write(`${(err as Error).message}\n`);
      process.exit(1);
    });
}
