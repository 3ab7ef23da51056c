import * as wf from '@temporalio/workflow';
import type { WebhookActivities } from '../activities/webhook-activities';
import { EVENT_LOG_OPEN_MS, eventReportSignal, type DeliveryReport } from './event-log-signal';
import type { WebhookEvent } from './webhook-event';

export { EVENT_LOG_OPEN_MS, eventReportSignal, type DeliveryReport };

// The durable webhook event log: one workflow per task queue and Shanghai day holds that day's
// events and how their delivery went, so it survives restarts and every API process reads the same
// log (GET /api/events). The deliverWebhook activity reports into it (signal-with-start) on its first
// attempt and when the HIS accepts; a redelivery (POST /api/events/{id}/redeliver) runs here.

export interface Delivery {
  /** pending: not accepted yet, Temporal retries for up to 24 hours; failed: a redelivery gave up. */
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastAttemptAt: string;
  httpStatus?: number;
  error?: string;
  deliveredAt?: string;
  redeliveries: number;
  redeliveredBy?: string[];
}

export interface LoggedEvent extends WebhookEvent {
  delivery: Delivery;
}

export interface EventLogPage {
  items: Array<LoggedEvent & { index: number }>;
  total: number;
  /** Events of this day not kept because the log was full (they were still delivered). */
  dropped: number;
  capacity: number;
}

/** A day keeps at most this many events: the signals stay far below Temporal's history limits. */
export const MAX_EVENTS_PER_DAY = 5_000;
export const eventPageQuery = wf.defineQuery<EventLogPage, [{ from: number; limit: number }]>('webhookEventPage');
export const eventByIdQuery = wf.defineQuery<LoggedEvent | null, [string]>('webhookEventById');
export const redeliverUpdate = wf.defineUpdate<LoggedEvent, [{ id: string; by: string }]>('redeliverWebhookEvent');

const redelivery = wf.proxyActivities<WebhookActivities>({
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '24 hours',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

const SHORT = 200;

export async function webhookEventLog(openForMs: number = EVENT_LOG_OPEN_MS, maxItems = MAX_EVENTS_PER_DAY): Promise<void> {
  const items: LoggedEvent[] = [];
  const byId = new Map<string, LoggedEvent>();
  const inFlight = new Set<string>();
  let dropped = 0;

  const report = (r: DeliveryReport) => {
    let e = byId.get(r.event.id);
    if (!e) {
      if (items.length >= maxItems) return void dropped++;
      e = { ...r.event, delivery: { state: 'pending', attempts: 0, lastAttemptAt: r.at, redeliveries: 0 } };
      items.push(e);
      byId.set(e.id, e);
    }
    const d = e.delivery;
    if (d.state === 'delivered' && !r.delivered) return; // a late report of an earlier failed attempt
    d.attempts = Math.max(d.attempts, r.attempt);
    d.lastAttemptAt = r.at;
    if (r.httpStatus !== undefined) d.httpStatus = r.httpStatus;
    if (r.delivered) {
      d.state = 'delivered';
      d.deliveredAt ??= r.at;
      delete d.error;
    } else if (r.error) d.error = r.error.slice(0, SHORT);
  };

  wf.setHandler(eventReportSignal, report);
  wf.setHandler(eventByIdQuery, (id) => byId.get(id) ?? null);
  wf.setHandler(eventPageQuery, ({ from, limit }) => {
    const start = Math.max(0, Math.floor(from));
    const end = Math.min(items.length, start + Math.max(1, Math.floor(limit)));
    return { items: items.slice(start, end).map((e, i) => ({ ...e, index: start + i })), total: items.length, dropped, capacity: maxItems };
  });
  wf.setHandler(
    redeliverUpdate,
    ({ id, by }) => {
      const e = byId.get(id)!;
      e.delivery.redeliveries += 1;
      e.delivery.redeliveredBy = [...(e.delivery.redeliveredBy ?? []), by].slice(-10);
      e.delivery.state = 'pending';
      inFlight.add(id);
      const { delivery: _d, ...event } = e;
      // not awaited: the caller gets 202 at once; the outcome shows in the log
      void redelivery
        .deliverWebhook(event, { redelivery: true })
        .then(
          (r) =>
            report({
              event: e,
              attempt: r.attempt,
              at: new Date(Date.now()).toISOString(),
              delivered: r.delivered,
              ...(r.httpStatus ? { httpStatus: r.httpStatus } : {}),
              ...(r.detail ? { error: r.detail } : {}),
            }),
          (err: unknown) => {
            e.delivery.state = 'failed';
            e.delivery.error = String((err as Error).cause ? ((err as Error).cause as Error).message : (err as Error).message).slice(0, SHORT);
          },
        )
        .finally(() => inFlight.delete(id));
      return e;
    },
    {
      validator: ({ id }) => {
        if (!byId.has(id)) throw new Error(`no event ${id} in this log`);
        if (inFlight.has(id)) throw new Error(`a redelivery of ${id} is already under way`);
      },
    },
  );

  await wf.condition(() => false, openForMs).catch(() => undefined);
  await wf.condition(() => inFlight.size === 0 && wf.allHandlersFinished());
}
