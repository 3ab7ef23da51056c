import { ApplicationFailure, Context } from '@temporalio/activity';
import got from 'got';
import type { Config } from '../common/config';
import type { Logger } from '../common/logger';
import { webhookDeliveries } from '../common/metrics';
import { webhookHeaders, webhookSecrets } from '../common/webhook-signing';
import { formatDate } from '../protocol/shanghai-time';
import { EVENT_LOG_OPEN_MS, eventReportSignal, type DeliveryReport } from '../workflows/event-log-signal';
import { eventBody, eventLogWorkflowId, standardEvent, type LegacyWebhookEvent, type WebhookEvent } from '../workflows/webhook-event';

export type { WebhookEvent } from '../workflows/webhook-event';

export interface WebhookDelivery {
  delivered: boolean;
  attempt: number;
  httpStatus?: number;
  detail?: string;
}

/**
 * deliverWebhook POSTs one event with the Standard Webhooks headers (common/webhook-signing.ts). It
 * throws on a non-2xx answer, a timeout or a connection error, so Temporal retries it with backoff
 * (the caller's retry policy) until the receiver accepts. It reports to the day's event log
 * (workflows/event-log.ts) on its first attempt and when the HIS accepts: at most two signals per
 * event, however long an outage lasts. A redelivery runs inside the log, which records it itself.
 */
export function createWebhookActivities(deps: { config: Config; log: Logger }) {
  const { config, log } = deps;
  const secrets = webhookSecrets(config.HIS_WEBHOOK_SECRET);

  /** Into the event log; a failure fails the attempt, so the log misses no event (the HIS de-duplicates on webhook-id). */
  async function toLog(r: DeliveryReport): Promise<void> {
    const day = formatDate(Date.parse(r.event.timestamp));
    await Context.current().client.workflow.signalWithStart('webhookEventLog', {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowId: eventLogWorkflowId(config.TEMPORAL_TASK_QUEUE, day),
      args: [EVENT_LOG_OPEN_MS],
      signal: eventReportSignal,
      signalArgs: [r],
      staticSummary: `Webhook events ${day}`,
    });
  }

  return {
    async deliverWebhook(input: WebhookEvent | LegacyWebhookEvent, opts: { redelivery?: boolean } = {}): Promise<WebhookDelivery> {
      const attempt = Context.current().info.attempt;
      const event = standardEvent(input);
      const url = config.HIS_WEBHOOK_URL;
      if (!url || secrets.length === 0) {
        webhookDeliveries.inc({ type: event.type, outcome: 'unconfigured' });
        return { delivered: false, attempt, detail: 'HIS_WEBHOOK_URL / HIS_WEBHOOK_SECRET are not set on the worker' };
      }
      const body = eventBody(event);
      const ctx = { orderNo: event.data.orderNo, eventId: event.id, type: event.type, attempt, redelivery: opts.redelivery === true };
      let status: number | undefined;
      let error: string | undefined;
      try {
        const res = await got.post(url, {
          body,
          headers: { 'content-type': 'application/json', ...webhookHeaders(secrets, event.id, body), 'user-agent': 'shyb-pay-webhook/2' },
          timeout: { request: config.HIS_WEBHOOK_TIMEOUT_MS },
          throwHttpErrors: false,
          followRedirect: false,
          retry: { limit: 0 }, // Temporal retries, with backoff and across crashes
        });
        status = res.statusCode;
        if (status < 200 || status >= 300) error = `the HIS answered HTTP ${status}`;
      } catch (err) {
        error = `webhook not delivered: ${(err as Error).message}`;
      }
      const delivered = error === undefined;
      webhookDeliveries.inc({ type: event.type, outcome: delivered ? 'delivered' : status === undefined ? 'unreachable' : 'refused' });
      if (!opts.redelivery && (attempt === 1 || delivered)) {
        await toLog({
          event,
          attempt,
          at: new Date().toISOString(),
          delivered,
          ...(status !== undefined ? { httpStatus: status } : {}),
          ...(error ? { error } : {}),
        });
      }
      if (!delivered) {
        log.warn({ ...ctx, status, err: error }, 'webhook not delivered');
        throw ApplicationFailure.retryable(error!, status === undefined ? 'WebhookUndelivered' : 'WebhookRefused');
      }
      log.info({ ...ctx, status }, 'webhook delivered');
      return { delivered: true, attempt, httpStatus: status! };
    },
  };
}
export type WebhookActivities = ReturnType<typeof createWebhookActivities>;
