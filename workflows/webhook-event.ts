// The HIS's webhook events, as plain data: built in the settlement workflow (workflows/webhook.ts),
// sent by the deliverWebhook activity, kept in the day's event log (workflows/event-log.ts) and
// listed by the API. No Temporal imports here, so all three can use it.
import { compactDate } from '../protocol/shanghai-time';

/** Every event type the HIS may receive (docs/finance.md "Webhooks"). */
export const WEBHOOK_EVENT_TYPES = [
  'settlement.paid',
  'settlement.failed',
  'settlement.needs_review',
  'refund.refunded',
  'refund.failed',
  'refund.needs_review',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The statuses an event is sent for, and what the HIS does with each. */
export type WebhookStatus = 'PAID' | 'FAILED' | 'NEEDS_REVIEW' | 'REFUNDED' | 'REFUND_FAILED';

/** What the HIS receives: small, no personal data, amounts as yuan strings made from integer fen. */
export interface WebhookEventData {
  orderNo: string;
  status: WebhookStatus;
  reason?: string;
  /** When the status was set (workflow time), not when this attempt was sent. */
  occurredAt: string;
  amounts: {
    medfeeSumamt: string;
    fundPaySumamt?: string;
    acctPay?: string;
    psnCashPay?: string;
    refundedCash?: string;
  };
}

/** One event: `id` goes out as webhook-id, the rest as the body `{type, timestamp, data}` (the Standard Webhooks payload shape). */
export interface WebhookEvent {
  /** Deterministic per order and sequence: every attempt and every redelivery carries the same id. */
  id: string;
  type: WebhookEventType;
  /** = data.occurredAt */
  timestamp: string;
  data: WebhookEventData;
}

/** What workflows started before the Standard Webhooks events pass to deliverWebhook (their histories keep it). */
export interface LegacyWebhookEvent extends WebhookEventData {
  id: string;
  type: 'settlement.status';
}

export function eventType(status: WebhookStatus, refundUnderReview: boolean): WebhookEventType {
  switch (status) {
    case 'PAID':
      return 'settlement.paid';
    case 'FAILED':
      return 'settlement.failed';
    case 'REFUNDED':
      return 'refund.refunded';
    case 'REFUND_FAILED':
      return 'refund.failed';
    case 'NEEDS_REVIEW':
      return refundUnderReview ? 'refund.needs_review' : 'settlement.needs_review';
  }
}

/**
 * `evt_<Shanghai yyyyMMdd of occurredAt>_<orderNo>_<sequence>`: the day names the event log that keeps
 * it (so a redelivery finds it by id alone), the order and its sequence make it unique.
 */
export const eventId = (orderNo: string, seq: number, occurredAt: string) => `evt_${compactDate(Date.parse(occurredAt))}_${orderNo}_${seq}`;

export const EVENT_ID_FORMAT = /^evt_(\d{4})(\d{2})(\d{2})_([0-9A-Za-z]{1,64})_(\d{1,4})$/;

/** The Shanghai day (yyyy-MM-dd) whose event log keeps this id; undefined for a malformed id. */
export function eventDay(id: string): string | undefined {
  const m = EVENT_ID_FORMAT.exec(id);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
}

/** The body sent to the HIS: exactly the bytes that are signed. */
export const eventBody = (e: WebhookEvent): string => JSON.stringify({ type: e.type, timestamp: e.timestamp, data: e.data });

/** A legacy event in today's form: same order, sequence and status, so its attempts share one id. */
export function standardEvent(e: WebhookEvent | LegacyWebhookEvent): WebhookEvent {
  if (e.type !== 'settlement.status') return e;
  const { id, type: _legacy, ...data } = e;
  const seq = Number(/-(\d+)-[A-Z_]+$/.exec(id)?.[1] ?? 0);
  return { id: eventId(data.orderNo, seq, data.occurredAt), type: eventType(data.status, false), timestamp: data.occurredAt, data };
}

/** One event log per task queue and Shanghai day, e.g. shyb-pay-webhook-events-2026-11-27. */
export const eventLogWorkflowId = (taskQueue: string, day: string) => `${taskQueue}-webhook-events-${day}`;
