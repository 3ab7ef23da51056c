import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';

// Children of a stack (`npm start`, `npm run cluster`) must never outlive it, not even when the
// stack itself is SIGKILLed: on Linux each child is started through util-linux `setpriv
// --pdeathsig SIGKILL`, so the kernel kills it when its parent dies. Elsewhere the exit handler
// below covers every death except SIGKILL.

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

export interface ServiceSpec {
  name: string;
  cmd: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Appends stdout and stderr here; unset = ignored. */
  logFile?: string;
  /** Restart after an unexpected exit (default true). */
  restart?: boolean;
  /** The signal that stops it cleanly (default SIGTERM; PostgreSQL's fast shutdown is SIGINT). */
  stopSignal?: NodeJS.Signals;
  /** Run as this user (root only, Linux). */
  user?: string;
}

export type ServiceEvent = { service: string; event: 'started' | 'exited' | 'restarting'; pid?: number; code?: number | null; signal?: string | null };

/**
 * One long-running process under supervision: an unexpected exit is reported at once and, unless
 * restart is off, the process is started again after a second (what systemd or Kubernetes would do).
 */
export class Service {
  child?: ChildProcess;
  restarts = 0;
  private stopping = false;
  private startedAt = 0;
  private quickDeaths = 0;
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
    const out = this.spec.logFile ? fs.openSync(this.spec.logFile, 'a') : 'ignore';
    // its own process group: a Ctrl-C in the terminal reaches the supervisor only, which then stops
    // the services in order (they still die with it: spawnTied)
    const child = spawnTied(this.spec.cmd, this.spec.args, { cwd: this.spec.cwd, env: this.spec.env ?? process.env, stdio: ['ignore', out, out], detached: true }, this.spec.user);
    if (typeof out === 'number') fs.closeSync(out);
    this.child = child;
    this.startedAt = Date.now();
    this.onEvent({ service: this.spec.name, event: 'started', pid: child.pid });
    child.once('exit', (code, signal) => {
      const waiters = this.exitWaiters.splice(0);
      for (const w of waiters) w();
      if (this.stopping) return;
      this.onEvent({ service: this.spec.name, event: 'exited', pid: child.pid, code, signal });
      if (this.spec.restart === false) return;
      this.restarts++;
      // 1 s, doubling while it keeps dying within 30 s of its start, at most 30 s
      this.quickDeaths = Date.now() - this.startedAt < 30_000 ? this.quickDeaths + 1 : 0;
      setTimeout(() => {
        if (this.stopping || this.child !== child) return;
        this.onEvent({ service: this.spec.name, event: 'restarting' });
        this.start();
      }, Math.min(30_000, 1_000 * 2 ** Math.max(0, this.quickDeaths - 1)));
    });
    return this;
  }

  /** Sends a signal (the supervisor restarts the process if it dies of it). */
  kill(signal: NodeJS.Signals): void {
    this.child?.kill(signal);
  }

  /** A planned restart: stop cleanly, start again. */
  async restart(graceMs = 10_000): Promise<void> {
    await this.stop(graceMs);
    this.restarts++;
    this.start();
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
