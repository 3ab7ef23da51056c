// What the deliverWebhook activity sends the day's event log (workflows/event-log.ts): its report signal and
// how long a log stays open. Apart from the log workflow, so the activity can import it while the workflow
// imports the activity's type: no import cycle.
import { defineSignal } from '@temporalio/workflow';
import type { WebhookEvent } from './webhook-event';

export interface DeliveryReport {
  event: WebhookEvent;
  attempt: number;
  at: string;
  delivered: boolean;
  httpStatus?: number;
  error?: string;
}

/** How long a day's log stays open for redeliveries (it is queryable afterwards until the namespace's retention). */
export const EVENT_LOG_OPEN_MS = 35 * 24 * 60 * 60_000;

export const eventReportSignal = defineSignal<[DeliveryReport]>('webhookEventReport');
