import { createHash } from 'node:crypto';
import { Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { claimKey, type ClaimSpace } from '../../activities/claim-activities';
import type { Config } from '../../common/config';
import { settlementStarts } from '../../common/metrics';
import type { Logger } from '../../common/logger';
import { EcTokenKey, OrderNoKey, SettlementStatusKey } from '../../common/search-attributes';
import { formatYuan, toFen } from '../../protocol/money';
import { newOrderNo } from '../../protocol/msgid';
import {
  remedyRefundUpdate,
  requestRefundUpdate,
  resolveRefundUpdate,
  resolveUpdate,
  refundHome,
  type RefundRequest,
  type SettlementInput,
} from '../../workflows/messages';
import { inboxWorkflowId, matchInboxUpdate } from '../../workflows/push-inbox';
import { STATUS_MEMO_KEY, type StatusMemo } from '../../workflows/status-memo';
import type { EcTokenIndex } from './ectoken-index';
import { Conflict, NotFound } from './errors';
import type { SettlementQueries } from './queries';

export type StartInput = Omit<SettlementInput, 'orderNo' | 'timing'>;

/** What an update's refusal means to the caller, by the command that was refused. */
function updateError(err: unknown, code: string): Error {
  if (err instanceof Conflict || err instanceof NotFound) return err;
  if (err instanceof WorkflowUpdateFailedError) return new Conflict((err.cause as Error | undefined)?.message ?? err.message, code);
  if (err instanceof WorkflowNotFoundError) return new Conflict('the order is closed', 'ORDER_CLOSED');
  return err as Error;
}

/** The writes: start a settlement, refund, resolve, match an inbox push. */
export class SettlementCommands {
  constructor(
    private readonly client: Client,
    private readonly claims: ClaimSpace,
    private readonly config: Config,
    private readonly log: Logger,
    private readonly queries: SettlementQueries,
    private readonly tokens: EcTokenIndex,
    /** the client shares an in-process worker's connection (api/server.ts, EAGER_START) */
    private readonly eagerStart = false,
  ) {}

  private handle(orderNo: string): WorkflowHandle {
    return this.client.workflow.getHandle(orderNo);
  }

  /**
   * Starts a settlement. Two race-free claims (activities/claim-activities.ts), neither costing a worker task:
   * - an idempotency key: a repeat with the same request gets the first orderNo, a different request 409;
   * - an ecToken: it belongs to at most one order, so a second order on it is refused with 409 naming the first.
   */
  async start(input: StartInput, idempotencyKey?: string): Promise<{ orderNo: string; created: boolean }> {
    let orderNo = newOrderNo(this.config.FIXMEDINS_CODE);
    const queue = this.config.TEMPORAL_TASK_QUEUE;
    const requestHash = createHash('sha256').update(JSON.stringify(input)).digest('hex');
    if (idempotencyKey) {
      const keyHash = createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40);
      const c = await claimKey(this.claims, queue, `idem:${keyHash}`, { orderNo, requestHash });
      if (!c.won) {
        if (c.memo.requestHash !== requestHash) throw new Conflict('idempotency key was already used for a different request', 'IDEMPOTENCY_KEY_REUSED');
        orderNo = c.memo.orderNo;
      }
    }
    const ecToken = 'ecToken' in input.identity ? input.identity.ecToken : undefined;
    if (ecToken) {
      // the request (and key) is in the memo: the very same request, retried after a crash between this
      // claim and the start below, starts the order it claimed for instead of being refused
      const sameRequest = createHash('sha256')
        .update(`${requestHash}\n${idempotencyKey ?? ''}`)
        .digest('hex');
      const c = await claimKey(this.claims, queue, `ectoken:${ecToken}`, { orderNo, request: sameRequest });
      if (!c.won && c.memo.orderNo !== orderNo) {
        if (c.memo.request !== sameRequest)
          throw new Conflict(
            `this ecToken already belongs to order ${c.memo.orderNo}; a new payment needs a fresh e-voucher`,
            'ECTOKEN_IN_USE',
            c.memo.orderNo,
          );
        orderNo = c.memo.orderNo;
      }
    }
    return { orderNo, created: await this.startSettlement(orderNo, input) };
  }

  /** Returns true when this call started the workflow. */
  private async startSettlement(orderNo: string, input: StartInput): Promise<boolean> {
    const ecToken = 'ecToken' in input.identity ? input.identity.ecToken : undefined;
    const medfee = formatYuan(toFen(input.payRequest.medfee_sumamt));
    try {
      const h = await this.client.workflow.start('settlement', {
        taskQueue: this.config.TEMPORAL_TASK_QUEUE,
        workflowId: orderNo,
        args: [
          {
            ...input,
            orderNo,
            defaultInsuplcAdmdvs: this.config.MDTRTAREA_ADMVS,
            wuqiOrgCode: this.config.wuqiOrgCode,
            timing: this.config.timing,
            ...(this.config.HIS_WEBHOOK_URL ? { webhooks: true } : {}),
          } satisfies SettlementInput,
        ],
        workflowIdConflictPolicy: 'FAIL',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        ...(this.eagerStart ? { requestEagerStart: true } : {}),
        // the status a read without a worker answers until the workflow's first status change (workflows/status-memo.ts)
        memo: {
          [STATUS_MEMO_KEY]: { orderNo, status: 'PROCESSING', medfeeSumamt: medfee, step: 'STARTED', ...(ecToken ? { ecToken } : {}) } satisfies StatusMemo,
        },
        typedSearchAttributes: [
          { key: OrderNoKey, value: orderNo },
          { key: SettlementStatusKey, value: 'PROCESSING' },
          ...(ecToken ? [{ key: EcTokenKey, value: ecToken }] : []),
        ],
        staticSummary: `SE02 ${orderNo} ¥${medfee} ${input.operator.opter_type === '5' ? '互联网医院' : '线上支付终端'}`,
        staticDetails: `orderNo **${orderNo}**\n\nmedfee_sumamt ¥${medfee}\n\nmdtrt_id ${input.payRequest.mdtrt_id} · chrg_bchno ${input.payRequest.chrg_bchno}`,
      });
      settlementStarts.inc({ eager: String(h.eagerlyStarted === true) });
      if (ecToken) this.tokens.remember(ecToken, orderNo);
      this.log.info({ orderNo }, 'settlement started');
      return true;
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
      throw err;
    }
  }

  /** Every request for the same refund gets that refund, also when it already finished and the order closed. */
  async refund(orderNo: string, req: RefundRequest) {
    await this.queries.status(orderNo); // 404 before anything else
    try {
      return await this.handle(orderNo).executeUpdate(requestRefundUpdate, { args: [req] });
    } catch (err) {
      // The order closed meanwhile (a fast refund): a closed order answers with the refund it has.
      // read through statusForRead: under load the query may not answer, and the status memo holds the refund too
      const after = await this.queries
        .statusForRead(orderNo)
        .then((r) => r.view)
        .catch(() => undefined);
      if (after?.refund && after.refund.status !== 'REFUND_FAILED' && !(err instanceof WorkflowUpdateFailedError)) return after.refund;
      if (after?.status === 'REFUNDED' && after.refund) return after.refund;
      throw updateError(err, 'REFUND_NOT_ALLOWED');
    }
  }

  /** by: the API key's name, recorded beside the operator (as for remedy and matchInbox). */
  async resolve(orderNo: string, r: { decision: 'PAID' | 'FAILED' | 'REFUNDED' | 'REFUND_FAILED'; operator: string; note: string; by?: string }) {
    const view = await this.queries.status(orderNo);
    try {
      if (r.decision === 'REFUNDED' || r.decision === 'REFUND_FAILED') {
        if (!view.refund) throw new Conflict('this settlement has no refund to resolve', 'RESOLVE_NOT_ALLOWED');
        // the refund's one home, as the order's view points to it (the order itself, or an older order's refund child)
        await this.client.workflow.getHandle(refundHome(orderNo, view.refund)).executeUpdate(resolveRefundUpdate, { args: [{ ...r, decision: r.decision }] });
        return this.queries.status(orderNo);
      }
      return await this.handle(orderNo).executeUpdate(resolveUpdate, { args: [{ ...r, decision: r.decision }] });
    } catch (err) {
      throw updateError(err, 'RESOLVE_NOT_ALLOWED');
    }
  }

  /** The audited SE07 remedy (workflows/refund.ts remedyRefundUpdate, sent to the refund's home): the refund checks SE06 first. */
  async remedy(orderNo: string, r: { operator: string; note: string; by?: string }) {
    const view = await this.queries.status(orderNo);
    if (!view.refund) throw new Conflict('this settlement has no refund', 'RESOLVE_NOT_ALLOWED');
    try {
      await this.client.workflow.getHandle(refundHome(orderNo, view.refund)).executeUpdate(remedyRefundUpdate, { args: [r] });
      return this.queries.status(orderNo);
    } catch (err) {
      throw updateError(err, 'RESOLVE_NOT_ALLOWED');
    }
  }

  async matchInbox(day: string, index: number, orderNo: string, operator: string, by?: string) {
    await this.queries.status(orderNo);
    try {
      return await this.client.workflow
        .getHandle(inboxWorkflowId(this.config.TEMPORAL_TASK_QUEUE, day))
        .executeUpdate(matchInboxUpdate, { args: [{ index, orderNo, operator, ...(by ? { by } : {}) }] });
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new NotFound(`no inbox for ${day}`, 'INBOX_NOT_FOUND');
      throw updateError(err, 'INBOX_MATCH_REFUSED');
    }
  }
}
