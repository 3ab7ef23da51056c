import { createHash } from 'node:crypto';
import {
  Client,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type WorkflowHandle,
} from '@temporalio/client';
import type { Config } from '../common/config';
import type { Logger } from '../common/logger';
import { CashAmountKey, ChannelKey, EcTokenKey, OrderNoKey, RouteKey, SettlementStatusKey } from '../common/search-attributes';
import { formatYuan, toFen } from '../protocol/money';
import { newOrderNo } from '../protocol/msgid';
import type { PayResult, RefundResult } from '../protocol/pay-result';
import { compactDate, formatDate } from '../protocol/shanghai-time';
import {
  awaitOutcomeUpdate,
  payPushSignal,
  refundPushSignal,
  refundStatusQuery,
  refundWorkflowId,
  requestRefundUpdate,
  resolveRefundUpdate,
  resolveUpdate,
  statusQuery,
  type RefundRequest,
  type SettlementInput,
  type SettlementView,
} from '../workflows/messages';
import { claimKey } from '../activities/claim-activities';
import { isQueryNotReady, WorkflowNotReady } from './health';
import { inboxPushSignal, inboxWorkflowId, matchInboxUpdate, type InboxPush } from '../workflows/push-inbox';

export class NotFound extends Error {}
export class Conflict extends Error {
  /** The order that holds what was asked for (e.g. the ecToken), when there is one. */
  constructor(
    message: string,
    readonly orderNo?: string,
  ) {
    super(message);
  }
}

/**
 * A query, with the server cancelling it (CANCELLED), shedding it (RESOURCE_EXHAUSTED) or refusing it
 * (FAILED_PRECONDITION, the workflow task is failing) as WorkflowNotReady: a 503, not a 500.
 */
async function query<T>(workflowId: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isQueryNotReady(err)) throw new WorkflowNotReady(workflowId, err);
    throw err;
  }
}

/** Everything the HTTP layer asks of Temporal. */
export class SettlementService {
  /** ecToken → orderNo for orders started here: spares a visibility query on the push path. */
  private readonly tokenCache = new Map<string, string>();

  constructor(
    readonly client: Client,
    private readonly config: Config,
    private readonly log: Logger,
  ) {}

  private handle(orderNo: string): WorkflowHandle {
    return this.client.workflow.getHandle(orderNo);
  }

  /**
   * Starts a settlement. Two race-free claims (activities/claim-activities.ts), neither costing a worker task:
   * - an idempotency key: a repeat with the same request gets the first orderNo, a different request 409;
   * - an ecToken: it belongs to at most one order, so a second order on it is refused with 409 naming the first.
   */
  async start(input: Omit<SettlementInput, 'orderNo' | 'timing'>, idempotencyKey?: string): Promise<{ orderNo: string; created: boolean }> {
    let orderNo = newOrderNo(this.config.FIXMEDINS_CODE);
    const queue = this.config.TEMPORAL_TASK_QUEUE;
    const requestHash = createHash('sha256').update(JSON.stringify(input)).digest('hex');
    if (idempotencyKey) {
      const keyHash = createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40);
      const c = await claimKey(this.client, queue, `idem:${keyHash}`, { orderNo, requestHash });
      if (!c.won) {
        if (c.memo.requestHash !== requestHash) throw new Conflict('idempotency key was already used for a different request');
        orderNo = c.memo.orderNo;
      }
    }
    const ecToken = 'ecToken' in input.identity ? input.identity.ecToken : undefined;
    if (ecToken) {
      // the request (and key) is in the memo: the very same request, retried after a crash between this
      // claim and the start below, starts the order it claimed for instead of being refused
      const sameRequest = createHash('sha256').update(`${requestHash}\n${idempotencyKey ?? ''}`).digest('hex');
      const c = await claimKey(this.client, queue, `ectoken:${ecToken}`, { orderNo, request: sameRequest });
      if (!c.won && c.memo.orderNo !== orderNo) {
        if (c.memo.request !== sameRequest) throw new Conflict(`this ecToken already belongs to order ${c.memo.orderNo}; a new payment needs a fresh e-voucher`, c.memo.orderNo);
        orderNo = c.memo.orderNo;
      }
    }
    return { orderNo, created: await this.startSettlement(orderNo, input) };
  }

  /** Returns true when this call started the workflow. */
  private async startSettlement(orderNo: string, input: Omit<SettlementInput, 'orderNo' | 'timing'>): Promise<boolean> {
    const ecToken = 'ecToken' in input.identity ? input.identity.ecToken : undefined;
    const medfee = formatYuan(toFen(input.payRequest.medfee_sumamt));
    try {
      await this.client.workflow.start('settlement', {
        taskQueue: this.config.TEMPORAL_TASK_QUEUE,
        workflowId: orderNo,
        args: [{ ...input, orderNo, defaultInsuplcAdmdvs: this.config.MDTRTAREA_ADMVS, timing: this.config.timing, ...(this.config.HIS_WEBHOOK_URL ? { webhooks: true } : {}) } satisfies SettlementInput],
        workflowIdConflictPolicy: 'FAIL',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        typedSearchAttributes: [
          { key: OrderNoKey, value: orderNo },
          { key: SettlementStatusKey, value: 'PROCESSING' },
          ...(ecToken ? [{ key: EcTokenKey, value: ecToken }] : []),
        ],
        staticSummary: `SE02 ${orderNo} ¥${medfee} ${input.operator.opter_type === '5' ? '互联网医院' : '线上支付终端'}`,
        staticDetails: `orderNo **${orderNo}**\n\nmedfee_sumamt ¥${medfee}\n\nmdtrt_id ${input.payRequest.mdtrt_id} · chrg_bchno ${input.payRequest.chrg_bchno}`,
      });
      if (ecToken) this.tokenCache.set(ecToken, orderNo);
      this.log.info({ orderNo }, 'settlement started');
      return true;
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
      throw err;
    }
  }

  async status(orderNo: string): Promise<SettlementView> {
    try {
      const view = await query(orderNo, () => this.handle(orderNo).query(statusQuery));
      if (view.ecToken) this.tokenCache.set(view.ecToken, orderNo);
      return view;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError || (err as Error).name === 'WorkflowNotFoundError') throw new NotFound(`no settlement ${orderNo}`);
      throw err;
    }
  }

  /** The status once the settlement has left PROCESSING, or after waitMs, whichever comes first. */
  async statusAfterWait(orderNo: string, waitMs: number): Promise<SettlementView> {
    const view = await this.status(orderNo);
    if (view.status !== 'PROCESSING') return view;
    try {
      return await this.client.connection.withDeadline(Date.now() + waitMs, () => this.handle(orderNo).executeUpdate(awaitOutcomeUpdate));
    } catch {
      return this.status(orderNo); // deadline reached (or the order closed meanwhile): answer what we know now
    }
  }

  /** Every request for the same refund gets that refund, also when it already finished and the order closed. */
  async refund(orderNo: string, req: RefundRequest) {
    await this.status(orderNo); // 404 before anything else
    try {
      return await this.handle(orderNo).executeUpdate(requestRefundUpdate, { args: [req] });
    } catch (err) {
      // The order closed meanwhile (a fast refund): a closed order answers with the refund it has.
      const after = await this.status(orderNo).catch(() => undefined);
      if (after?.refund && after.refund.status !== 'REFUND_FAILED' && !(err instanceof WorkflowUpdateFailedError)) return after.refund;
      if (after?.status === 'REFUNDED' && after.refund) return after.refund;
      throw this.updateError(err);
    }
  }

  async resolve(orderNo: string, r: { decision: 'PAID' | 'FAILED' | 'REFUNDED' | 'REFUND_FAILED'; operator: string; note: string }) {
    const view = await this.status(orderNo);
    try {
      if (r.decision === 'REFUNDED' || r.decision === 'REFUND_FAILED') {
        if (!view.refund) throw new Conflict('this settlement has no refund to resolve');
        await this.client.workflow.getHandle(refundWorkflowId(orderNo)).executeUpdate(resolveRefundUpdate, { args: [{ ...r, decision: r.decision }] });
        return this.status(orderNo);
      }
      return await this.handle(orderNo).executeUpdate(resolveUpdate, { args: [{ ...r, decision: r.decision }] });
    } catch (err) {
      throw this.updateError(err);
    }
  }

  private updateError(err: unknown): Error {
    if (err instanceof Conflict || err instanceof NotFound) return err;
    if (err instanceof WorkflowUpdateFailedError) return new Conflict((err.cause as Error | undefined)?.message ?? err.message);
    if (err instanceof WorkflowNotFoundError) return new Conflict('the order is closed');
    return err as Error;
  }

  async list(filter: { status?: string; from?: string; to?: string; ecToken?: string; limit: number }) {
    const clauses = ['WorkflowType = "settlement"'];
    if (filter.status) clauses.push(`SettlementStatus = "${filter.status}"`);
    if (filter.ecToken) clauses.push(`EcToken = "${filter.ecToken}"`); // the schema allows letters and digits only
    if (filter.from) clauses.push(`StartTime >= "${new Date(filter.from).toISOString()}"`);
    if (filter.to) clauses.push(`StartTime < "${new Date(filter.to).toISOString()}"`);
    const items = [];
    for await (const wf of this.client.workflow.list({ query: clauses.join(' AND '), pageSize: Math.min(filter.limit, 1000) })) {
      const sa = wf.typedSearchAttributes;
      items.push({
        orderNo: wf.workflowId,
        status: sa.get(SettlementStatusKey) ?? null,
        route: sa.get(RouteKey) ?? null,
        channel: sa.get(ChannelKey) ?? null,
        cashAmount: sa.get(CashAmountKey) ?? null,
        startedAt: wf.startTime.toISOString(),
        closed: wf.status.name !== 'RUNNING',
      });
      if (items.length >= filter.limit) break;
    }
    return items;
  }

  /** Status views of settlements that could have moved money between from and to. */
  async viewsActiveBetween(from: Date, to: Date): Promise<SettlementView[]> {
    // Only this deployment's task queue: another one sharing the namespace is not ours to report (nor to query).
    const query = `WorkflowType = "settlement" AND TaskQueue = "${this.config.TEMPORAL_TASK_QUEUE}" AND StartTime < "${to.toISOString()}" AND (ExecutionStatus = "Running" OR CloseTime >= "${from.toISOString()}")`;
    const ids: string[] = [];
    for await (const wf of this.client.workflow.list({ query, pageSize: 500 })) ids.push(wf.workflowId);
    const views: SettlementView[] = [];
    for (let i = 0; i < ids.length; i += 20) {
      views.push(...(await Promise.all(ids.slice(i, i + 20).map((id) => this.status(id)))));
    }
    return views;
  }

  /** NEEDS_REVIEW settlements with their reasons. */
  async reviews(): Promise<Array<{ orderNo: string; reason?: string; route?: string; medfeeSumamt: string; refund?: unknown }>> {
    const out = [];
    for await (const wf of this.client.workflow.list({ query: 'WorkflowType = "settlement" AND SettlementStatus = "NEEDS_REVIEW"' })) {
      const v = await this.status(wf.workflowId);
      if (v.status === 'NEEDS_REVIEW') out.push({ orderNo: v.orderNo, reason: v.reason, route: v.route, medfeeSumamt: v.medfeeSumamt, refund: v.refund });
    }
    return out;
  }

  async matchInbox(day: string, index: number, orderNo: string, operator: string) {
    await this.status(orderNo);
    try {
      return await this.client.workflow.getHandle(inboxWorkflowId(this.config.TEMPORAL_TASK_QUEUE, day)).executeUpdate(matchInboxUpdate, { args: [{ index, orderNo, operator }] });
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new NotFound(`no inbox for ${day}`);
      throw this.updateError(err);
    }
  }

  /** Finds the order an ecToken belongs to: local cache, then visibility (retried briefly for its lag). */
  async orderNoForToken(ecToken: string): Promise<string | undefined> {
    const cached = this.tokenCache.get(ecToken);
    if (cached) return cached;
    const query = `WorkflowType = "settlement" AND EcToken = "${ecToken.replace(/["\\]/g, '')}"`;
    for (let i = 0; i < 5; i++) {
      for await (const wf of this.client.workflow.list({ query, pageSize: 1 })) {
        this.tokenCache.set(ecToken, wf.workflowId);
        return wf.workflowId;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    return undefined;
  }

  private readonly inFlight = new Set<Promise<unknown>>();

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
  deliverPayPush(result: PayResult, route: InboxPush['route'], raw: Record<string, unknown>): Promise<'signalled' | 'inbox'> {
    return this.bounded(() => this.deliver('SE03', result.ecToken, route, raw, (orderNo) => this.handle(orderNo).signal(payPushSignal, result)));
  }

  /** Delivers an SE05 result to the order's refund workflow. */
  deliverRefundPush(result: RefundResult, route: InboxPush['route'], raw: Record<string, unknown>): Promise<'signalled' | 'inbox'> {
    return this.bounded(() =>
      this.deliver('SE05', result.ecToken, route, raw, (orderNo) => this.client.workflow.getHandle(refundWorkflowId(orderNo)).signal(refundPushSignal, result)),
    );
  }

  private async deliver(
    kind: InboxPush['kind'],
    ecToken: string,
    route: InboxPush['route'],
    raw: Record<string, unknown>,
    signal: (orderNo: string) => Promise<void>,
  ): Promise<'signalled' | 'inbox'> {
    const orderNo = await this.orderNoForToken(ecToken);
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

  private async toInbox(item: Omit<InboxPush, 'receivedAt'>): Promise<void> {
    const now = Date.now();
    const day = formatDate(now);
    this.log.warn({ kind: item.kind, why: item.why, ecToken: item.ecToken }, 'push recorded in the inbox');
    await this.client.workflow.signalWithStart('pushInbox', {
      taskQueue: this.config.TEMPORAL_TASK_QUEUE,
      workflowId: inboxWorkflowId(this.config.TEMPORAL_TASK_QUEUE, day),
      args: [7 * 24 * 60 * 60_000],
      signal: inboxPushSignal,
      signalArgs: [{ ...item, receivedAt: new Date(now).toISOString() }],
      staticSummary: `Push inbox ${compactDate(now)}`,
    });
  }

  async inbox(day: string): Promise<InboxPush[]> {
    try {
      const id = inboxWorkflowId(this.config.TEMPORAL_TASK_QUEUE, day);
      return await query(id, () => this.client.workflow.getHandle(id).query<InboxPush[]>('inbox'));
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return [];
      throw err;
    }
  }

  async refundView(orderNo: string) {
    const id = refundWorkflowId(orderNo);
    return query(id, () => this.client.workflow.getHandle(id).query(refundStatusQuery));
  }
}

