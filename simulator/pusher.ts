import got from 'got';
import type { Logger } from '../common/logger';

export interface PushJob {
  kind: 'SE03' | 'SE05';
  route: 'NATIONAL' | 'WUQI';
  url: string;
  body: Record<string, unknown>;
  ecToken: string;
  /** true when this push is a fault (forged/wrong amount): counted apart. */
  injected?: boolean;
}

export interface PushCounters {
  scheduled: number;
  attempts: number;
  acked: number;
  gaveUp: number;
  dropped: number;
  /** keyed "SE03:<ecToken>" / "SE05:<ecToken>" */
  byToken: Record<string, { attempts: number; acked: number }>;
}

/** Delivers pushes, retrying until the receiver acknowledges ({"infcode":0}, or xxfhm P001 for 五期). */
export class Pusher {
  readonly counters: PushCounters = { scheduled: 0, attempts: 0, acked: 0, gaveUp: 0, dropped: 0, byToken: {} };
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;
  private generation = 0;

  constructor(
    private readonly settings: () => { pushRetryMs: number; pushMaxAttempts: number },
    private readonly log: Logger,
  ) {}

  /** Schedules a push; resolves when the first attempt has finished (for push-before-reply). */
  push(job: PushJob, delayMs = 0): Promise<void> {
    this.counters.scheduled += 1;
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        void this.attempt(job, 1).finally(resolve);
      }, delayMs);
      this.timers.add(t);
    });
  }

  drop(job: PushJob): void {
    this.counters.dropped += 1;
    this.log.info({ kind: job.kind, ecToken: job.ecToken }, 'push dropped (fault)');
  }

  private async attempt(job: PushJob, n: number, generation = this.generation): Promise<void> {
    if (this.stopped || generation !== this.generation) return;
    this.counters.attempts += 1;
    const per = (this.counters.byToken[`${job.kind}:${job.ecToken}`] ??= { attempts: 0, acked: 0 });
    per.attempts += 1;
    let acked = false;
    try {
      const res = await got.post(job.url, { json: job.body, timeout: { request: 10_000 }, retry: { limit: 0 }, throwHttpErrors: false, responseType: 'text' });
      const reply = JSON.parse(res.body) as Record<string, unknown>;
      acked = res.statusCode === 200 && (job.route === 'NATIONAL' ? reply.infcode === 0 : reply.xxfhm === 'P001');
    } catch {
      acked = false;
    }
    if (acked) {
      this.counters.acked += 1;
      per.acked += 1;
      return;
    }
    const { pushRetryMs, pushMaxAttempts } = this.settings();
    if (n >= pushMaxAttempts || this.stopped || generation !== this.generation) {
      this.counters.gaveUp += 1;
      this.log.warn({ kind: job.kind, ecToken: job.ecToken, attempts: n }, 'push given up');
      return;
    }
    const t = setTimeout(() => {
      this.timers.delete(t);
      void this.attempt(job, n + 1, generation);
    }, pushRetryMs);
    this.timers.add(t);
  }

  /** Forgets pending deliveries and counters (the simulator's reset). */
  reset(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.generation += 1;
    Object.assign(this.counters, { scheduled: 0, attempts: 0, acked: 0, gaveUp: 0, dropped: 0, byToken: {} });
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
