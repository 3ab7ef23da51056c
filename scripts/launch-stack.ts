import * as path from 'node:path';
import type { NativeConnection, Worker } from '@temporalio/worker';
import type { ApiServer } from '../api/server';
import { loadConfig, type Config } from '../common/config';
import type { Logger } from '../common/logger';
import { startSimulator, type Simulator } from '../simulator/server';
import { startDevServer, type DevServerOptions } from './dev-server';
import { Service, type ServiceEvent, type ServiceSpec } from './supervise';

/**
 * The one stack launcher: Temporal (a dev server it starts, or an address someone else runs), the
 * platform simulator, the worker(s) and the API(s), with the configuration given; it says where
 * each one answers and stops them in order. `npm start` runs the worker and the API in its own
 * process; the bench, chaos and `npm run cluster` (the torture's stack) run them as supervised
 * processes. Every child is a supervise.ts Service: restarted after a crash, SIGKILLable on purpose.
 */

export const ROOT = path.resolve(__dirname, '..');

export type TemporalSpec =
  /** A dev server of ours; `restart` supervises it (a crash restarts it on the same SQLite file). */
  | { devServer: DevServerOptions; restart?: Pick<ServiceSpec, 'restartDelayMs' | 'giveUp'> }
  /** Someone else's: a suite's dev server, `npm run cluster`'s Temporal; `stop` ends it with the stack. */
  | { address: string; stop?: () => Promise<void> };

/** A node entry point run as a supervised process. */
export interface ProcessSpec extends Pick<ServiceSpec, 'restart' | 'restartDelayMs' | 'keepOutput' | 'logFile'> {
  name: string;
  /** Relative to the repository root; run by node with tsx's loader, so a SIGKILL hits it, not a wrapper. */
  script: string;
  env?: NodeJS.ProcessEnv;
  /** Its HTTP port: the role sets API_PORT, WORKER_METRICS_PORT or SIMULATOR_PORT from it. */
  port?: number;
  /** launchStack waits until GET <port><readyPath> answers 200. */
  readyPath?: string;
}

/** One worker and one API in this process (what `npm start` does). */
export interface InProcess {
  inProcess: { log: Logger; port?: number; host?: string };
}

export interface StackSpec {
  temporal: TemporalSpec;
  /** In this process (with `prodPath`: PLATFORM_URL and WUQI_URL point at it unless env has them), as a process, or none. */
  simulator?: { inProcess: Parameters<typeof startSimulator>[0]; prodPath?: boolean } | { process: ProcessSpec };
  /** Every worker's and API's configuration (each process gets process.env under it). */
  env: NodeJS.ProcessEnv;
  workers?: ProcessSpec[] | InProcess;
  apis?: ProcessSpec[] | InProcess;
  /** Prebuilds the workflow bundle into `file` (from `entry`, default the production workflows) for the worker processes. */
  bundle?: { file: string; entry?: string };
  onEvent?: (e: ServiceEvent) => void;
}

export interface LaunchedStack {
  temporalAddress: string;
  /** The dev server, when the stack started one. */
  temporal?: Service;
  /** The in-process simulator (faults, ledger, tokens). */
  sim?: Simulator;
  simulatorUrl?: string;
  /** What the workers and the APIs were configured with. */
  env: NodeJS.ProcessEnv;
  /** The in-process roles' configuration. */
  config?: Config;
  services: Map<string, Service>;
  workers: Service[];
  apis: Service[];
  apiUrls: string[];
  worker?: { worker: Worker; running: Promise<void>; connection: NativeConnection };
  api?: ApiServer;
  stop(): Promise<void>;
}

const NODE_TS = ['--import', 'tsx'];
const inProcess = <T>(x: T[] | InProcess | undefined): x is InProcess => !!x && !Array.isArray(x);
const url = (port: number) => `http://127.0.0.1:${port}`;

/** PLATFORM_URL and WUQI_URL of a simulator on its prod path, which pushes SE03/SE05 and requires a 9001 sign_no (the test path never pushes, V13 §3.2). */
export function simulatorEnv(simulatorUrl: string): { PLATFORM_URL: string; WUQI_URL: string } {
  return { PLATFORM_URL: `${simulatorUrl}/gjptqzyy-prod/api/v1/route`, WUQI_URL: `${simulatorUrl}/wuqi` };
}

type Supervise = (s: ServiceSpec) => Service;

/** Starts the stack; on failure whatever started is stopped before the error is thrown. */
export async function launchStack(spec: StackSpec): Promise<LaunchedStack> {
  const services = new Map<string, Service>();
  const stack: LaunchedStack = { temporalAddress: '', env: { ...spec.env }, services, workers: [], apis: [], apiUrls: [], stop: () => stopStack(stack, spec) };
  const supervise: Supervise = (s) => {
    const svc = new Service(s, spec.onEvent);
    services.set(s.name, svc);
    return svc;
  };
  try {
    await startTemporal(spec, stack, supervise);
    await startPlatform(spec, stack, supervise);
    if (spec.bundle) {
      await buildBundle(spec.bundle.file, spec.bundle.entry, stack.env);
      stack.env.WORKFLOW_BUNDLE_PATH = spec.bundle.file;
    }
    if (inProcess(spec.workers) || inProcess(spec.apis)) stack.config = loadConfig(stack.env);
    await startWorkers(spec, stack, supervise);
    await startApis(spec, stack, supervise);
    const probes = [
      spec.simulator && 'process' in spec.simulator ? [spec.simulator.process] : [],
      Array.isArray(spec.workers) ? spec.workers : [],
      Array.isArray(spec.apis) ? spec.apis : [],
    ].flat();
    for (const p of probes) if (p.port && p.readyPath) await waitForHttp(`${url(p.port)}${p.readyPath}`, 120_000, services.get(p.name));
    return stack;
  } catch (err) {
    await stack.stop().catch(() => undefined);
    throw err;
  }
}

/** A node process of the stack: process.env, then the stack's configuration, then its own. */
const child = (p: ProcessSpec, env: NodeJS.ProcessEnv): ServiceSpec => ({
  ...p,
  cmd: process.execPath,
  args: [...NODE_TS, p.script],
  cwd: ROOT,
  env: { ...process.env, ...env, ...p.env },
});

async function startTemporal(spec: StackSpec, stack: LaunchedStack, supervise: Supervise): Promise<void> {
  if ('devServer' in spec.temporal) {
    const opts = spec.temporal.devServer;
    stack.temporal = supervise({ name: 'temporal', launch: () => startDevServer(opts), restart: !!spec.temporal.restart, ...spec.temporal.restart });
    await stack.temporal.start().ready;
    stack.temporalAddress = `127.0.0.1:${opts.port}`;
  } else stack.temporalAddress = spec.temporal.address;
  stack.env.TEMPORAL_ADDRESS = stack.temporalAddress;
}

/** Where the simulator pushes: CALLBACK_BASE_URL, else the first API process; an in-process API is set once it listens. */
function callbackBaseUrl(spec: StackSpec, stack: LaunchedStack): string | undefined {
  const first = Array.isArray(spec.apis) ? spec.apis[0]?.port : undefined;
  return stack.env.CALLBACK_BASE_URL ?? (first ? `${url(first)}/shyb` : undefined);
}

async function startPlatform(spec: StackSpec, stack: LaunchedStack, supervise: Supervise): Promise<void> {
  if (spec.simulator && 'inProcess' in spec.simulator) {
    const callback = callbackBaseUrl(spec, stack);
    const settings = { ...(callback ? { callbackBaseUrl: callback } : {}), ...spec.simulator.inProcess?.settings };
    stack.sim = await startSimulator({ ...spec.simulator.inProcess, settings });
    stack.simulatorUrl = stack.sim.url;
    if (spec.simulator.prodPath) stack.env = { ...simulatorEnv(stack.sim.url), ...stack.env };
  } else if (spec.simulator) {
    const p = spec.simulator.process;
    supervise(child(p, { ...stack.env, ...(p.port ? { SIMULATOR_PORT: String(p.port) } : {}) })).start();
    stack.simulatorUrl = p.port ? url(p.port) : undefined;
  }
}

async function startWorkers(spec: StackSpec, stack: LaunchedStack, supervise: Supervise): Promise<void> {
  if (inProcess(spec.workers)) {
    // loaded on use: a stack of processes (npm run cluster) needs none of the worker's or the API's modules
    const { createWorker } = await import('../worker/create-worker');
    const { worker, connection } = await createWorker({ config: stack.config!, log: spec.workers.inProcess.log });
    stack.worker = { worker, connection, running: worker.run() };
    return;
  }
  for (const w of spec.workers ?? [])
    stack.workers.push(supervise(child(w, { ...stack.env, ...(w.port ? { WORKER_METRICS_PORT: String(w.port) } : {}) })).start());
}

async function startApis(spec: StackSpec, stack: LaunchedStack, supervise: Supervise): Promise<void> {
  if (inProcess(spec.apis)) {
    const { log, port, host } = spec.apis.inProcess;
    const { startApi } = await import('../api/server');
    stack.api = await startApi(stack.config!, log, {
      ...(port !== undefined ? { port } : {}),
      ...(host ? { host } : {}),
      ...(stack.sim ? { simulatorUrl: stack.sim.url } : {}),
      // EAGER_START=on: the API starts settlements eagerly on the worker of this process
      ...(stack.worker ? { workerConnection: stack.worker.connection } : {}),
    });
    stack.apiUrls = [stack.api.url];
    if (stack.sim && !callbackBaseUrl(spec, stack)) stack.sim.platform.settings.callbackBaseUrl = `${stack.api.url}/shyb`;
    return;
  }
  for (const a of spec.apis ?? []) {
    stack.apis.push(supervise(child(a, { ...stack.env, ...(a.port ? { API_PORT: String(a.port) } : {}) })).start());
    if (a.port) stack.apiUrls.push(url(a.port));
  }
}

/** Workers first (in-flight tasks drain), then the APIs, the 9002 sign-out, the simulator, Temporal. */
async function stopStack(stack: LaunchedStack, spec: StackSpec): Promise<void> {
  for (const s of stack.services.values()) s.markStopping();
  if (stack.worker) {
    stack.worker.worker.shutdown();
    await stack.worker.running.catch(() => undefined);
  }
  await Promise.all(stack.workers.map((w) => w.stop()));
  await stack.api?.close();
  // after the API: with EAGER_START the API's client uses this connection
  await stack.worker?.connection.close();
  await Promise.all(stack.apis.map((a) => a.stop()));
  if (stack.worker) await (await import('../platform/sign-in')).signOutAll(); // 9002 before the simulator goes
  await stack.sim?.close();
  await stack.services.get(spec.simulator && 'process' in spec.simulator ? spec.simulator.process.name : '')?.stop();
  await stack.temporal?.stop();
  if (!('devServer' in spec.temporal)) await spec.temporal.stop?.();
}

/** scripts/build-workflow-bundle.ts in a child: webpack's memory is given back when it exits. */
function buildBundle(file: string, entry: string | undefined, env: NodeJS.ProcessEnv): Promise<void> {
  let failed: string | undefined;
  const svc = new Service(
    {
      name: 'workflow-bundle',
      cmd: process.execPath,
      args: [...NODE_TS, 'scripts/build-workflow-bundle.ts', file, ...(entry ? [entry] : [])],
      cwd: ROOT,
      env: { ...process.env, ...env },
      restart: false,
      keepOutput: true,
    },
    (e) => {
      if (e.event === 'exited' && e.code !== 0) failed = `workflow bundle: exit ${e.code ?? e.signal}: ${e.output ?? ''}`;
    },
  );
  svc.start();
  return svc.exited().then(() => {
    if (failed) throw new Error(failed);
  });
}

export async function waitForHttp(target: string, timeoutMs: number, service?: Service): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await fetch(target, { signal: AbortSignal.timeout(2_000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline)
      throw new Error(`${target} not ready after ${timeoutMs / 1000} s${service?.spec.logFile ? `; see ${service.spec.logFile}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
