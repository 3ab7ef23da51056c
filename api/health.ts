import * as net from 'node:net';
import type { NextFunction, Request, Response } from 'express';
import type { Client } from '@temporalio/client';
import { sendProblem } from './errors';

const PROBE_EVERY_MS = 1_000;
const PROBE_DEADLINE_MS = 1_000;

/**
 * Watches the Temporal frontend once a second, so that while it is down the API answers a fast
 * 503 instead of letting each request wait out the SDK's retries and end in a 500.
 */
export class TemporalProbe {
  private up = true;
  private since = Date.now();
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private timeouts = 0;
  private inFlight: Promise<boolean> = Promise.resolve(true);

  constructor(
    private readonly client: Client,
    readonly address: string,
  ) {}

  start(): this {
    const tick = () =>
      void (this.inFlight = this.check()).finally(() => {
        if (!this.stopped) this.timer = setTimeout(tick, PROBE_EVERY_MS).unref();
      });
    tick();
    return this;
  }

  /** Resolves once no probe is in flight: close the connection after this, not before. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.inFlight;
  }

  get isUp(): boolean {
    return this.up;
  }

  /**
   * A TCP connect to the frontend, not an RPC: a refused connection (the server is gone) marks
   * Temporal down at once, while a busy but running server is never mistaken for a dead one (an
   * RPC deadline would be). Two timeouts in a row (an unreachable host) mark it down too.
   */
  async check(): Promise<boolean> {
    const result = await tcpProbe(this.address, PROBE_DEADLINE_MS);
    this.timeouts = result === 'timeout' ? this.timeouts + 1 : 0;
    const ok = result === 'open' || (result === 'timeout' && this.timeouts < 2 && this.up);
    if (ok !== this.up) this.since = Date.now();
    this.up = ok;
    return ok;
  }

  /** Readiness proper: the frontend answers an RPC. */
  async answers(): Promise<boolean> {
    const conn = this.client.connection;
    return conn
      .withDeadline(Date.now() + 2_000, () => conn.workflowService.getSystemInfo({}))
      .then(
        () => true,
        () => false,
      );
  }

  downFor(): number {
    return this.up ? 0 : Date.now() - this.since;
  }
}

export const temporalDownMessage = (address: string) => `Temporal (${address}) is unreachable: the request was not processed; retry shortly`;

/** 503 at once while the probe sees Temporal down. */
export function temporalGate(probe: TemporalProbe) {
  return (_req: Request, res: Response, next: NextFunction) => {
    if (probe.isUp) return next();
    res.setHeader('Retry-After', '2');
    return sendProblem(res, 'TEMPORAL_UNAVAILABLE', temporalDownMessage(probe.address));
  };
}

/**
 * A query the workflow could not answer this time: the server cancelled it ("1 CANCELLED: context
 * canceled", seen in the chaos run when workers are SIGKILLed), shed it ("8 RESOURCE_EXHAUSTED:
 * consistent query buffer is full", seen while a workflow waits for its next task) or refused it
 * (9 FAILED_PRECONDITION: the workflow task is failing and being retried). Transient
 * once a worker picks the workflow up again: a 503 with Retry-After, never a 500.
 */
export class WorkflowNotReady extends Error {
  constructor(
    readonly workflowId: string,
    cause: unknown,
  ) {
    super(`${workflowId} could not answer a query right now (is a worker running?); retry shortly`, { cause });
    this.name = 'WorkflowNotReady';
  }
}

/** gRPC CANCELLED (1), RESOURCE_EXHAUSTED (8) or FAILED_PRECONDITION (9) in a query error's cause chain (see WorkflowNotReady). */
export function isQueryNotReady(err: unknown): boolean {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, i = 0; e && i < 5; e = e.cause as typeof e, i++) {
    if (e.code === 1 || e.code === 8 || e.code === 9) return true;
  }
  return false;
}

/** gRPC UNAVAILABLE (14) or DEADLINE_EXCEEDED (4) anywhere in the cause chain: Temporal, not us. */
export function isTemporalUnavailable(err: unknown): boolean {
  return temporalErrorCode(err) !== undefined;
}

function temporalErrorCode(err: unknown): 4 | 14 | undefined {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, i = 0; e && i < 5; e = e.cause as typeof e, i++) {
    if (e.code === 14 || e.code === 4) return e.code;
  }
  return undefined;
}

/** The 503 message: unreachable, or (a deadline) reachable but not answering in time, e.g. no worker for a query. */
export function temporalErrorMessage(err: unknown, address: string): string {
  return temporalErrorCode(err) === 4 ? `Temporal (${address}) did not answer in time (is a worker running?); retry shortly` : temporalDownMessage(address);
}

function tcpProbe(address: string, timeoutMs: number): Promise<'open' | 'refused' | 'timeout'> {
  const i = address.lastIndexOf(':');
  return new Promise((resolve) => {
    const s = net.connect({ host: address.slice(0, i), port: Number(address.slice(i + 1)) });
    const done = (r: 'open' | 'refused' | 'timeout') => {
      s.destroy();
      resolve(r);
    };
    s.setTimeout(timeoutMs, () => done('timeout'));
    s.once('connect', () => done('open'));
    s.once('error', () => done('refused'));
  });
}
