import { createHash } from 'node:crypto';
import { WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import { tsToDate } from '@temporalio/common/lib/time';
import type { Config } from '../../common/config';
import { CashAmountKey, ChannelKey, RouteKey, SettlementStatusKey } from '../../common/search-attributes';
import { awaitOutcomeUpdate, refundHome, refundStatusQuery, statusQuery, type SettlementView } from '../../workflows/messages';
import { inboxPageQuery, inboxWorkflowId, MAX_INBOX_ITEMS, type InboxPage, type InboxPush } from '../../workflows/push-inbox';
import { isQueryNotReady, WorkflowNotReady } from '../health';
import { STATUS_MEMO_KEY, type StatusMemo } from '../../workflows/status-memo';
import type { EcTokenIndex } from './ectoken-index';
import { NotFound } from './errors';
import { apiCentreWord } from '../centre-word';
import type { CentreWord } from '../../protocol/centre-suggestion';

/** Where a visibility list page starts: the server's page token and the fingerprint of its query (a type: encodeCursor takes a Record). */
export type PagePosition = {
  p: string;
  f: string;
};

/** A cursor given for a list query other than its own, or one the server refuses: the caller's error. */
export class CursorRefused extends Error {}

const fingerprint = (query: string) => createHash('sha256').update(query).digest('hex').slice(0, 16);

/**
 * A query, with the server cancelling it (CANCELLED), shedding it (RESOURCE_EXHAUSTED) or refusing it
 * (FAILED_PRECONDITION, the workflow task is failing) as WorkflowNotReady: a 503, not a 500.
 */
export async function query<T>(workflowId: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isQueryNotReady(err)) throw new WorkflowNotReady(workflowId, err);
    throw err;
  }
}

/** How long a status read waits for the workflow's own answer before reading the kept status. */
export const STATUS_QUERY_BUDGET_MS = 1_000;

export interface ReadStatus {
  view: SettlementView;
  /** workflow: the status query (the full view); visibility: the status memo, read without a worker. */
  source: 'workflow' | 'visibility';
}

export interface ListFilter {
  status?: string;
  from?: string;
  to?: string;
  ecToken?: string;
  limit: number;
  /** the previous page's position (nextCursor) */
  cursor?: PagePosition;
}

export interface ReviewItem {
  orderNo: string;
  reason?: string;
  route?: string;
  medfeeSumamt: string;
  refund?: SettlementView['refund'];
  /** the centre's word on the review (workflows/centre-review.ts), masked */
  centre?: CentreWord;
  suggestion?: string;
}

/** The reads: workflow queries for one order, Temporal visibility for lists. Nothing here changes state. */
export class SettlementQueries {
  constructor(
    private readonly client: Client,
    private readonly config: Config,
    private readonly tokens: EcTokenIndex,
  ) {}

  private handle(orderNo: string): WorkflowHandle {
    return this.client.workflow.getHandle(orderNo);
  }

  async status(orderNo: string): Promise<SettlementView> {
    try {
      const view = await query(orderNo, () => this.handle(orderNo).query(statusQuery));
      if (view.ecToken) this.tokens.remember(view.ecToken, orderNo);
      return view;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError || (err as Error).name === 'WorkflowNotFoundError') throw new NotFound(`no settlement ${orderNo}`);
      throw err;
    }
  }

  /**
   * The status for a reader (GET /api/settlements/{orderNo}): the workflow's query when it answers within
   * STATUS_QUERY_BUDGET_MS, else the status memo the workflow writes at every status change, read with a
   * describe, which needs no worker (workflows/status-memo.ts). So a worker restart under load is never a
   * 503 while Temporal itself answers. The memo has no events, setlinfo or psn_no.
   */
  async statusForRead(orderNo: string): Promise<ReadStatus> {
    try {
      const view = await this.client.connection.withDeadline(Date.now() + STATUS_QUERY_BUDGET_MS, () => this.status(orderNo));
      return { view, source: 'workflow' };
    } catch (err) {
      if (err instanceof NotFound) throw err;
      const kept = await this.keptStatus(orderNo).catch((e: unknown) => (e instanceof NotFound ? Promise.reject(e) : undefined));
      if (kept) return { view: kept, source: 'visibility' };
      throw err;
    }
  }

  /** The status memo (undefined for orders started before it existed). */
  private async keptStatus(orderNo: string): Promise<SettlementView | undefined> {
    let memo: Record<string, unknown> | undefined;
    try {
      memo = (await this.handle(orderNo).describe()).memo;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new NotFound(`no settlement ${orderNo}`);
      throw err;
    }
    const kept = memo?.[STATUS_MEMO_KEY] as StatusMemo | undefined;
    return kept?.status ? { ...kept, orderNo, events: [] } : undefined;
  }

  /** The status once the settlement has left PROCESSING, or after waitMs, whichever comes first. */
  async statusAfterWait(orderNo: string, waitMs: number): Promise<ReadStatus> {
    const first = await this.statusForRead(orderNo);
    // without a worker no Update can run: the kept status is the answer
    if (first.view.status !== 'PROCESSING' || first.source === 'visibility') return first;
    try {
      return {
        view: await this.client.connection.withDeadline(Date.now() + waitMs, () => this.handle(orderNo).executeUpdate(awaitOutcomeUpdate)),
        source: 'workflow',
      };
    } catch {
      return this.statusForRead(orderNo); // deadline reached (or the order closed meanwhile): answer what we know now
    }
  }

  /** One page of settlements, newest first as visibility orders them; next: where the following page starts. */
  async list(filter: ListFilter) {
    // Our task queue only: another deployment's (another payload key's) executions are not ours to list.
    const clauses = ['WorkflowType = "settlement"', `TaskQueue = "${this.config.TEMPORAL_TASK_QUEUE}"`];
    if (filter.status) clauses.push(`SettlementStatus = "${filter.status}"`);
    if (filter.ecToken) clauses.push(`EcToken = "${filter.ecToken}"`); // the schema allows letters and digits only
    if (filter.from) clauses.push(`StartTime >= "${new Date(filter.from).toISOString()}"`);
    if (filter.to) clauses.push(`StartTime < "${new Date(filter.to).toISOString()}"`);
    const page = await this.listPage(clauses.join(' AND '), Math.min(filter.limit, 1000), filter.cursor);
    const items = page.executions.map((wf) => {
      const sa = decodeTypedSearchAttributes(wf.searchAttributes?.indexedFields);
      return {
        orderNo: wf.execution?.workflowId ?? '',
        status: sa.get(SettlementStatusKey) ?? null,
        route: sa.get(RouteKey) ?? null,
        channel: sa.get(ChannelKey) ?? null,
        cashAmount: sa.get(CashAmountKey) ?? null,
        startedAt: wf.startTime ? tsToDate(wf.startTime).toISOString() : '',
        closed: Boolean(wf.closeTime), // a running execution has no close time
      };
    });
    return { items, next: page.next };
  }

  /**
   * One page of a visibility list, read raw so that the server's nextPageToken can be handed out (wrapped
   * in an opaque cursor): the SDK's list iterator hides it. Only search attributes are read, no memo, so
   * nothing here needs the payload codec.
   */
  private async listPage(query: string, pageSize: number, from?: PagePosition) {
    const f = fingerprint(query);
    if (from && from.f !== f) throw new CursorRefused('the cursor belongs to a list with other filters: pass the same filters as the page it came from');
    const read = (token?: Buffer) =>
      this.client.workflowService.listWorkflowExecutions({ namespace: this.config.TEMPORAL_NAMESPACE, query, pageSize, nextPageToken: token });
    let res;
    try {
      res = await read(from ? Buffer.from(from.p, 'base64') : undefined);
    } catch (err) {
      // A page token the server cannot read (altered, from another server) fails as INVALID_ARGUMENT, or as
      // UNKNOWN on some stores: when the same query without it answers, the cursor is at fault (a 400, not a 500).
      const code = (err as { code?: number }).code; // gRPC: 2 UNKNOWN, 3 INVALID_ARGUMENT (not UNAVAILABLE, not a deadline)
      if (
        from &&
        (code === 2 || code === 3) &&
        (await read(undefined).then(
          () => true,
          () => false,
        ))
      )
        throw new CursorRefused('the server does not know this cursor (altered, or from another server)');
      throw err;
    }
    const token = res.nextPageToken;
    const next: PagePosition | undefined = token && token.length > 0 ? { p: Buffer.from(token).toString('base64'), f } : undefined;
    return { executions: res.executions, next };
  }

  /** Status views of settlements that could have moved money between from and to. */
  async viewsActiveBetween(from: Date, to: Date): Promise<SettlementView[]> {
    // Only this deployment's task queue: another one sharing the namespace is not ours to report (nor to query).
    const q = `WorkflowType = "settlement" AND TaskQueue = "${this.config.TEMPORAL_TASK_QUEUE}" AND StartTime < "${to.toISOString()}" AND (ExecutionStatus = "Running" OR CloseTime >= "${from.toISOString()}")`;
    const ids: string[] = [];
    for await (const wf of this.client.workflow.list({ query: q, pageSize: 500 })) ids.push(wf.workflowId);
    const views: SettlementView[] = [];
    for (let i = 0; i < ids.length; i += 20) {
      views.push(...(await Promise.all(ids.slice(i, i + 20).map((id) => this.status(id)))));
    }
    return views;
  }

  /** NEEDS_REVIEW settlements with their reasons, every page (the CLI). */
  async reviews(): Promise<ReviewItem[]> {
    const out: ReviewItem[] = [];
    let cursor: PagePosition | undefined;
    do {
      const page = await this.reviewsPage(500, cursor);
      out.push(...page.items);
      cursor = page.next;
    } while (cursor);
    return out;
  }

  /** One page of NEEDS_REVIEW settlements; an order that left review since visibility listed it is skipped. */
  async reviewsPage(limit: number, cursor?: PagePosition): Promise<{ items: ReviewItem[]; next?: PagePosition }> {
    // our task queue only, as list: another deployment's orders are not ours to query
    const page = await this.listPage(
      `WorkflowType = "settlement" AND TaskQueue = "${this.config.TEMPORAL_TASK_QUEUE}" AND SettlementStatus = "NEEDS_REVIEW"`,
      limit,
      cursor,
    );
    const items: ReviewItem[] = [];
    for (const wf of page.executions) {
      const v = await this.status(wf.execution?.workflowId ?? '');
      if (v.status === 'NEEDS_REVIEW')
        items.push({ orderNo: v.orderNo, reason: v.reason, route: v.route, medfeeSumamt: v.medfeeSumamt, refund: v.refund, ...apiCentreWord(v.review) });
    }
    return { items, ...(page.next ? { next: page.next } : {}) };
  }

  /** The day's inbox of pushes that found no running order. */
  async inbox(day: string): Promise<InboxPush[]> {
    try {
      const id = inboxWorkflowId(this.config.TEMPORAL_TASK_QUEUE, day);
      return await query(id, () => this.client.workflow.getHandle(id).query<InboxPush[]>('inbox'));
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return [];
      throw err;
    }
  }

  /** One page of the day's inbox, from the index `from`; an empty page for a day without one. */
  async inboxPage(day: string, from: number, limit: number): Promise<InboxPage> {
    try {
      const id = inboxWorkflowId(this.config.TEMPORAL_TASK_QUEUE, day);
      return await query(id, () => this.client.workflow.getHandle(id).query(inboxPageQuery, { from, limit }));
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return { items: [], total: 0, dropped: 0, capacity: MAX_INBOX_ITEMS };
      throw err;
    }
  }

  /** The refund's full view (step, events), from its home: the order itself, or an older order's refund child. */
  async refundView(orderNo: string) {
    const id = refundHome(orderNo, (await this.statusForRead(orderNo)).view.refund);
    return query(id, () => this.client.workflow.getHandle(id).query(refundStatusQuery));
  }
}
