import * as wf from '@temporalio/workflow';
import type { WebhookActivities } from '../activities/webhook-activities';
import { formatYuan, toFen } from '../protocol/money';
import { webhookAmountsOf } from '../routes';
import type { SettlementView } from './messages';
import { eventId, eventType, type WebhookEvent, type WebhookEventData, type WebhookStatus } from './webhook-event';

// Webhooks to the HIS, kept out of the payment path: a delivery is started and never awaited where
// the status is set, so a receiver outage cannot delay or change the payment. Its outcome is recorded
// as an order event (WEBHOOK_DELIVERED / WEBHOOK_FAILED). The workflow waits for pending deliveries
// only just before it closes, after everything else is done.

const WEBHOOK_STATUSES = new Set<string>(['PAID', 'FAILED', 'NEEDS_REVIEW', 'REFUNDED', 'REFUND_FAILED']);

// Retries with backoff (1 s, 2 s, 4 s ... at most 10 min apart) for up to a day; the activity's own
// HTTP timeout (HIS_WEBHOOK_TIMEOUT_MS, at most 50 s) stays under startToClose.
const delivery = wf.proxyActivities<WebhookActivities>({
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '24 hours',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

/** The event for the status just set; its id and body are the same on every attempt (workflows/webhook-event.ts). */
export function webhookEvent(view: SettlementView, seq: number, occurredAt: string): WebhookEvent {
  const yuan = (v: string | number | undefined) => (v === undefined ? undefined : formatYuan(toFen(v)));
  const amounts: WebhookEventData['amounts'] = { medfeeSumamt: yuan(view.medfeeSumamt)! };
  // the fund, account and cash parts as the route reads its settlement (routes/<route>/ webhookAmounts)
  const parts = webhookAmountsOf(view);
  if (parts) Object.assign(amounts, parts);
  if (view.status === 'REFUNDED' && view.refund?.cashAmount !== undefined) amounts.refundedCash = yuan(view.refund.cashAmount);
  const status = view.status as WebhookStatus;
  return {
    id: eventId(view.orderNo, seq, occurredAt),
    type: eventType(status, view.refund?.status === 'NEEDS_REVIEW'),
    timestamp: occurredAt,
    data: { orderNo: view.orderNo, status, ...(view.reason ? { reason: view.reason } : {}), occurredAt, amounts },
  };
}

/** enabled comes from the workflow input (set by the API when HIS_WEBHOOK_URL is configured). */
export function webhooks(opts: { enabled: boolean; record: (type: 'WEBHOOK_DELIVERED' | 'WEBHOOK_FAILED', detail?: string) => void }) {
  let seq = 0;
  let pending = 0;
  return {
    /** Call where the status is set: starts a delivery for the statuses the HIS hears about. */
    notify(view: SettlementView): void {
      if (!opts.enabled || !WEBHOOK_STATUSES.has(view.status)) return;
      seq += 1;
      const ev = webhookEvent(view, seq, new Date(Date.now()).toISOString());
      pending += 1;
      void delivery
        .deliverWebhook(ev)
        .then(
          (r) =>
            opts.record(
              r.delivered ? 'WEBHOOK_DELIVERED' : 'WEBHOOK_FAILED',
              `${ev.id}: ${r.delivered ? `HTTP ${r.httpStatus} on attempt ${r.attempt}` : r.detail}`,
            ),
          (err: unknown) => opts.record('WEBHOOK_FAILED', `${ev.id}: ${failure(err)}`),
        )
        .finally(() => (pending -= 1));
    },
    /** Before the workflow closes: an unfinished delivery would be abandoned. */
    drained: () => wf.condition(() => pending === 0),
  };
}

function failure(err: unknown): string {
  const e = err as { message?: string; cause?: { message?: string } };
  return [e.message, e.cause?.message].filter(Boolean).join(': ').slice(0, 200);
}
