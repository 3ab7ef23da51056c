import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { Config } from '../../common/config';
import { formatDate, shanghaiDayRange } from '../../protocol/shanghai-time';
import { eventPageQuery, redeliverUpdate, type EventLogPage, type LoggedEvent } from '../../workflows/event-log';
import { eventDay, eventLogWorkflowId } from '../../workflows/webhook-event';
import { Conflict, NotFound } from './errors';
import { query } from './queries';

/** Where a reader of the event feed stands: a Shanghai day and an index in that day's log. */
export interface EventPosition {
  d: string;
  i: number;
}

/** A page reads at most this many days' logs, so an old cursor costs a bounded number of queries. */
const MAX_DAYS_PER_PAGE = 31;
const DAY_MS = 24 * 60 * 60_000;
const nextDay = (d: string) => formatDate(shanghaiDayRange(d).to);

/** The webhook event log (workflows/event-log.ts): one workflow per day, read in order across days. */
export class WebhookEventLog {
  constructor(
    private readonly client: Client,
    private readonly config: Config,
  ) {}

  private async dayPage(day: string, from: number, limit: number): Promise<EventLogPage | undefined> {
    const id = eventLogWorkflowId(this.config.TEMPORAL_TASK_QUEUE, day);
    try {
      return await query(id, () => this.client.workflow.getHandle(id).query(eventPageQuery, { from, limit }));
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined; // no event that day
      throw err;
    }
  }

  /**
   * Up to `limit` events after `from`, oldest first, crossing days up to today (Shanghai). `next` is
   * always given: an HIS polls with it to get what came since; `more` says whether to ask again now.
   */
  async page(from: EventPosition, limit: number, now = Date.now()): Promise<{ items: LoggedEvent[]; next: EventPosition; more: boolean }> {
    const today = formatDate(now);
    const items: LoggedEvent[] = [];
    let { d, i } = from;
    for (let days = 0; ; days++) {
      const page = await this.dayPage(d, i, limit - items.length);
      for (const { index: _index, ...e } of page?.items ?? []) items.push(e);
      i += page?.items.length ?? 0;
      const dayDone = i >= (page?.total ?? 0);
      if (items.length >= limit) return { items, next: { d, i }, more: !dayDone || d < today };
      if (d >= today) return { items, next: { d, i }, more: false };
      if (days + 1 >= MAX_DAYS_PER_PAGE) return { items, next: { d: nextDay(d), i: 0 }, more: true };
      d = nextDay(d);
      i = 0;
    }
  }

  /** Today's position when the caller gives none, or `days` back. */
  static start(now = Date.now(), daysBack = 0): EventPosition {
    return { d: formatDate(now - daysBack * DAY_MS), i: 0 };
  }

  /** Sends the event again (same webhook-id and body, a fresh timestamp and signature); the log records the outcome. */
  async redeliver(id: string, by: string): Promise<LoggedEvent> {
    const day = eventDay(id);
    if (!day) throw new NotFound(`no event ${id}`, 'EVENT_NOT_FOUND');
    const handle = this.client.workflow.getHandle(eventLogWorkflowId(this.config.TEMPORAL_TASK_QUEUE, day));
    try {
      return await handle.executeUpdate(redeliverUpdate, { args: [{ id, by }] });
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) {
        // no log that day, or the log closed (its redelivery window ended): which one, describe tells
        const closed = await handle.describe().then(
          () => true,
          () => false,
        );
        if (closed) throw new Conflict(`the event log of ${day} is closed: events older than its window cannot be redelivered`, 'REDELIVERY_NOT_ALLOWED');
        throw new NotFound(`no event ${id}`, 'EVENT_NOT_FOUND');
      }
      if (err instanceof WorkflowUpdateFailedError) {
        const why = (err.cause as Error | undefined)?.message ?? err.message;
        if (why.startsWith('no event')) throw new NotFound(why, 'EVENT_NOT_FOUND');
        throw new Conflict(why, 'REDELIVERY_NOT_ALLOWED');
      }
      throw err;
    }
  }
}
