import { ApplicationFailure, Context } from '@temporalio/activity';
import got from 'got';
import type { Config } from '../common/config';
import type { Logger } from '../common/logger';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signatureHeader } from '../common/webhook-signing';

/** What the HIS receives: small, no personal data, amounts as yuan strings made from integer fen. */
export interface WebhookEvent {
  /** Deterministic per order + sequence + status: a redelivery carries the same id (de-duplicate on it). */
  id: string;
  type: 'settlement.status';
  orderNo: string;
  status: 'PAID' | 'FAILED' | 'NEEDS_REVIEW' | 'REFUNDED' | 'REFUND_FAILED';
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

export interface WebhookDelivery {
  delivered: boolean;
  attempt: number;
  httpStatus?: number;
  detail?: string;
}

/**
 * deliverWebhook POSTs one event, signed. It throws on a non-2xx answer, a timeout or a connection
 * error, so Temporal retries it with backoff (the workflow's retry policy) until the receiver accepts.
 */
export function createWebhookActivities(deps: { config: Config; log: Logger }) {
  const { config, log } = deps;
  return {
    async deliverWebhook(event: WebhookEvent): Promise<WebhookDelivery> {
      const attempt = Context.current().info.attempt;
      const url = config.HIS_WEBHOOK_URL;
      const secret = config.HIS_WEBHOOK_SECRET;
      if (!url || !secret) return { delivered: false, attempt, detail: 'HIS_WEBHOOK_URL / HIS_WEBHOOK_SECRET are not set on the worker' };
      const body = JSON.stringify(event);
      let status: number;
      try {
        const res = await got.post(url, {
          body,
          headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signatureHeader(secret, body), [EVENT_ID_HEADER]: event.id, 'user-agent': 'shyb-pay-webhook/1' },
          timeout: { request: config.HIS_WEBHOOK_TIMEOUT_MS },
          throwHttpErrors: false,
          followRedirect: false,
          retry: { limit: 0 }, // Temporal retries, with backoff and across crashes
        });
        status = res.statusCode;
      } catch (err) {
        log.warn({ orderNo: event.orderNo, eventId: event.id, attempt, err: (err as Error).message }, 'webhook not delivered');
        throw ApplicationFailure.retryable(`webhook not delivered: ${(err as Error).message}`, 'WebhookUndelivered');
      }
      if (status < 200 || status >= 300) {
        log.warn({ orderNo: event.orderNo, eventId: event.id, attempt, status }, 'webhook refused by the HIS');
        throw ApplicationFailure.retryable(`the HIS answered HTTP ${status}`, 'WebhookRefused');
      }
      log.info({ orderNo: event.orderNo, eventId: event.id, attempt, status }, 'webhook delivered');
      return { delivered: true, attempt, httpStatus: status };
    },
  };
}
export type WebhookActivities = ReturnType<typeof createWebhookActivities>;
