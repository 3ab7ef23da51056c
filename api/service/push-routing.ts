import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Config } from '../../common/config';
import type { Logger } from '../../common/logger';
import type { PayResult, RefundResult } from '../../protocol/pay-result';
import { compactDate, formatDate } from '../../protocol/shanghai-time';
import { payPushSignal, refundHome, refundPushSignal } from '../../workflows/messages';
import { boundedEntry, inboxPushSignal, inboxWorkflowId, type InboxPush } from '../../workflows/push-inbox';
import { STATUS_MEMO_KEY, type StatusMemo } from '../../workflows/status-memo';
import type { EcTokenIndex } from './ectoken-index';

export type Delivery = 'signalled' | 'inbox';

/**
 * What the inbox keeps of a push: the SE03/SE05 table fields the schemas validated (V13 §2.3.2,
 * §2.3.4), as scalars. Unknown keys a sender adds are dropped (the schemas pass them through), and
 * so is payResponse: it may name the person, and finance matches an orphan by its trade fields.
 */
const INBOX_FIELDS = ['ecToken', 'payStatus', 'refundStatus', 'orderNo', 'tradeNo', 'refundNo', 'amount', 'channel', 'billTime', 'gmt', 'rmt'] as const;

export function inboxOutput(raw: Record<string, unknown>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const k of INBOX_FIELDS) {
    const v = raw[k];
    if (typeof v === 'string' || typeof v === 'number') out[k] = v;
  }
  return out;
}

/**
 * The platform's pushes to the workflow they belong to: SE03 to the order, SE05 to its refund, and
 * to the day's inbox when no running workflow takes them (unknown ecToken, order closed).
 */
export class PushRouter {
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly client: Client,
    private readonly config: Config,
    private readonly log: Logger,
    private readonly tokens: EcTokenIndex,
  ) {}

  /** Runs Temporal calls for one push under a gRPC deadline, so nothing retries past it. */
  private bounded<T>(fn: () => Promise<T>, ms = 4_500): Promise<T> {
    const p = this.client.connection.withDeadline(Date.now() + ms, fn);
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p)).catch(() => undefined);
    return p;
  }

  /** Waits for push deliveries still running (bounded by their deadline), before closing. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  /** Delivers an SE03 result. Resolves once Temporal has recorded it (signal or inbox). */
  deliverPayPush(result: PayResult, route: InboxPush['route'], raw: Record<string, unknown>): Promise<Delivery> {
    return this.bounded(() =>
      this.deliver('SE03', result.ecToken, route, raw, (orderNo) => this.client.workflow.getHandle(orderNo).signal(payPushSignal, result)),
    );
  }

  /** Delivers an SE05 result to the workflow that owns the order's refund (its home). */
  deliverRefundPush(result: RefundResult, route: InboxPush['route'], raw: Record<string, unknown>): Promise<Delivery> {
    return this.bounded(() =>
      this.deliver('SE05', result.ecToken, route, raw, async (orderNo) =>
        this.client.workflow.getHandle(await this.refundHomeOf(orderNo)).signal(refundPushSignal, result),
      ),
    );
  }

  /**
   * The refund's home as the order's status memo points to it (a describe: no worker needed): the order
   * itself since patch one-refund-model, the refund child for older orders (their memo's pointer, or none).
   */
  private async refundHomeOf(orderNo: string): Promise<string> {
    const memo = (await this.client.workflow.getHandle(orderNo).describe()).memo?.[STATUS_MEMO_KEY] as StatusMemo | undefined;
    return refundHome(orderNo, memo?.refund);
  }

  private async deliver(
    kind: InboxPush['kind'],
    ecToken: string,
    route: InboxPush['route'],
    raw: Record<string, unknown>,
    signal: (orderNo: string) => Promise<void>,
  ): Promise<Delivery> {
    const orderNo = await this.tokens.orderNoFor(ecToken);
    if (!orderNo) {
      await this.toInbox({ kind, route, ecToken, why: 'UNKNOWN_ECTOKEN', output: raw });
      return 'inbox';
    }
    try {
      await signal(orderNo);
      return 'signalled';
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      await this.toInbox({ kind, route, ecToken, why: 'ORDER_CLOSED', output: raw, matchedOrderNo: orderNo, matchedBy: 'ecToken' });
      return 'inbox';
    }
  }

  private async toInbox(pushed: Omit<InboxPush, 'receivedAt'>): Promise<void> {
    const item = { ...pushed, output: inboxOutput(pushed.output) };
    const now = Date.now();
    const day = formatDate(now);
    this.log.warn({ kind: item.kind, why: item.why, ecToken: item.ecToken }, 'push recorded in the inbox');
    await this.client.workflow.signalWithStart('pushInbox', {
      taskQueue: this.config.TEMPORAL_TASK_QUEUE,
      workflowId: inboxWorkflowId(this.config.TEMPORAL_TASK_QUEUE, day),
      args: [7 * 24 * 60 * 60_000],
      signal: inboxPushSignal,
      signalArgs: [boundedEntry({ ...item, receivedAt: new Date(now).toISOString() })],
      staticSummary: `Push inbox ${compactDate(now)}`,
    });
  }
}
