import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';

// The one supervisor of the project's processes: `npm start`'s dev server, `npm run cluster`'s
// services, and the worker and API processes of the bench, chaos and the cluster torture (which
// SIGKILL them on purpose). Children must never outlive their stack, not even when the stack itself
// is SIGKILLed: on Linux each child is started through util-linux `setpriv --pdeathsig SIGKILL`, so
// the kernel kills it when its parent dies. Elsewhere the exit handler below covers every death
// except SIGKILL.

let pdeathsig: boolean | undefined;
function hasSetpriv(): boolean {
  if (pdeathsig === undefined) {
    pdeathsig = process.platform === 'linux' && spawnSync('setpriv', ['--pdeathsig', 'SIGKILL', '--', 'true']).status === 0;
  }
  return pdeathsig;
}

const live = new Set<ChildProcess>();
let exitHook = false;

/** spawn() whose child dies with this process; `asUser` (when root, Linux) runs it as that user. */
export function spawnTied(cmd: string, args: string[], opts: SpawnOptions = {}, asUser?: string): ChildProcess {
  const user = asUser ? ['--reuid', asUser, '--regid', asUser, '--init-groups'] : [];
  const child = hasSetpriv() ? spawn('setpriv', [...user, '--pdeathsig', 'SIGKILL', '--', cmd, ...args], opts) : spawn(cmd, args, opts);
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => {
      for (const c of live) c.kill('SIGKILL');
    });
  }
  return child;
}

/** A process some other code starts (and waits for: the Temporal dev server opens its port first). */
export interface Launched {
  process: ChildProcess;
  /** The last lines it printed, for the 'exited' event. */
  output?: () => string;
}

export interface ServiceSpec {
  name: string;
  /** The command, spawned tied to us. Either cmd (with args) or launch. */
  cmd?: string;
  args?: string[];
  /** Starts the process and resolves once it serves; `ready` waits for it. */
  launch?: () => Promise<Launched>;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Appends stdout and stderr here; unset = ignored. */
  logFile?: string;
  /** Keeps the last 2 KB of stderr for the 'exited' event (cmd only, without logFile). */
  keepOutput?: boolean;
  /** Restart after an unexpected exit (default true). */
  restart?: boolean;
  /** A fixed pause before a restart; default 1 s, doubling while it dies within 30 s of its start, at most 30 s. */
  restartDelayMs?: number;
  /** Stop restarting after this many unexpected exits within withinMs ('gave-up' event). */
  giveUp?: { deaths: number; withinMs: number };
  /** The signal that stops it cleanly (default SIGTERM; PostgreSQL's fast shutdown is SIGINT). */
  stopSignal?: NodeJS.Signals;
  /** Run as this user (root only, Linux). */
  user?: string;
}

export type ServiceEvent = {
  service: string;
  event: 'started' | 'exited' | 'restarting' | 'gave-up';
  pid?: number;
  code?: number | null;
  signal?: string | null;
  /** 'exited': the last output; 'gave-up': why. */
  output?: string;
  error?: string;
};

/**
 * One long-running process under supervision: an unexpected exit is reported at once and, unless
 * restart is off, the process is started again (what systemd or Kubernetes would do).
 */
export class Service {
  child?: ChildProcess;
  /** Unexpected exits (each followed by a restart unless restart is off) and planned restarts. */
  restarts = 0;
  /** Resolves when the latest start serves (at once for a cmd); rejects if a launch failed. */
  ready: Promise<void> = Promise.resolve();
  private stopping = false;
  private startedAt = 0;
  private quickDeaths = 0;
  private deaths: number[] = [];
  private exitWaiters: Array<() => void> = [];

  constructor(
    readonly spec: ServiceSpec,
    private readonly onEvent: (e: ServiceEvent) => void = () => undefined,
  ) {}

  get pid(): number | undefined {
    return this.child?.exitCode === null && this.child.signalCode === null ? this.child.pid : undefined;
  }

  start(): this {
    this.stopping = false;
    if (this.spec.launch) {
      this.ready = this.spec.launch().then((l) => this.watch(l.process, l.output));
    } else {
      this.ready = Promise.resolve();
      const { child, output } = this.spawnCommand();
      this.watch(child, output);
    }
    return this;
  }

  private spawnCommand(): { child: ChildProcess; output?: () => string } {
    const { cmd, args = [], logFile, keepOutput, cwd, env, user } = this.spec;
    if (!cmd) throw new Error(`service ${this.spec.name}: neither cmd nor launch`);
    const out = logFile ? fs.openSync(logFile, 'a') : 'ignore';
    const err = !logFile && keepOutput ? 'pipe' : out;
    // its own process group: a Ctrl-C in the terminal reaches the supervisor only, which then stops
    // the services in order (they still die with it: spawnTied)
    const child = spawnTied(cmd, args, { cwd, env: env ?? process.env, stdio: ['ignore', out, err], detached: true }, user);
    if (typeof out === 'number') fs.closeSync(out);
    if (err !== 'pipe') return { child };
    let tail = '';
    child.stderr!.on('data', (d: Buffer) => void (tail = (tail + d.toString('utf8')).slice(-2000)));
    return { child, output: () => tail.trim() };
  }

  private watch(child: ChildProcess, output?: () => string): void {
    this.child = child;
    this.startedAt = Date.now();
    this.onEvent({ service: this.spec.name, event: 'started', pid: child.pid });
    child.once('exit', (code, signal) => {
      for (const w of this.exitWaiters.splice(0)) w();
      if (this.stopping) return;
      this.onEvent({ service: this.spec.name, event: 'exited', pid: child.pid, code, signal, output: output?.() });
      if (this.spec.restart === false) return;
      this.restarts++;
      if (this.tooManyDeaths()) return;
      this.quickDeaths = Date.now() - this.startedAt < 30_000 ? this.quickDeaths + 1 : 0;
      setTimeout(() => {
        if (this.stopping || this.child !== child) return;
        this.onEvent({ service: this.spec.name, event: 'restarting' });
        this.start().ready.catch((err: Error) => this.onEvent({ service: this.spec.name, event: 'gave-up', error: `could not be restarted: ${err.message}` }));
      }, this.restartDelay());
    });
  }

  private restartDelay(): number {
    return this.spec.restartDelayMs ?? Math.min(30_000, 1_000 * 2 ** Math.max(0, this.quickDeaths - 1));
  }

  private tooManyDeaths(): boolean {
    const limit = this.spec.giveUp;
    if (!limit) return false;
    const now = Date.now();
    this.deaths = [...this.deaths.filter((t) => now - t < limit.withinMs), now];
    if (this.deaths.length < limit.deaths) return false;
    this.stopping = true;
    this.onEvent({
      service: this.spec.name,
      event: 'gave-up',
      error: `died ${this.deaths.length} times within ${Math.round(limit.withinMs / 60_000)} minutes`,
    });
    return true;
  }

  /** Sends a signal (the supervisor restarts the process if it dies of it). */
  kill(signal: NodeJS.Signals): void {
    this.child?.kill(signal);
  }

  /** A planned restart: stop cleanly, start again, wait until it serves. */
  async restart(graceMs = 10_000): Promise<void> {
    await this.stop(graceMs);
    this.restarts++;
    await this.start().ready;
  }

  /** Resolves when the current process has exited. */
  exited(): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return Promise.resolve();
    return new Promise((r) => this.exitWaiters.push(r));
  }

  /** No more restarts from now on (a stack that is shutting down marks all its services first). */
  markStopping(): void {
    this.stopping = true;
  }

  /** Stops for good: the stop signal, then SIGKILL after graceMs. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    const c = this.child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const done = this.exited();
    c.kill(this.spec.stopSignal ?? 'SIGTERM');
    const t = setTimeout(() => c.kill('SIGKILL'), graceMs);
    await done;
    clearTimeout(t);
  }
}
