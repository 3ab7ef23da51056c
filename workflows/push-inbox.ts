import * as wf from '@temporalio/workflow';
import type { Route } from '../protocol/routing';
import { operatorLabel } from './operator-label';

// Pushes we acknowledged but could not attach to an order (unknown ecToken, or an order already
// closed) are kept here, one workflow per Shanghai day, so finance can see and match them.

export interface InboxPush {
  receivedAt: string;
  kind: 'SE03' | 'SE05';
  route: Route;
  ecToken: string;
  why: 'UNKNOWN_ECTOKEN' | 'ORDER_CLOSED';
  /** The push's validated SE03/SE05 fields (api/service/push-routing.ts keeps no others, and no payResponse). */
  output: Record<string, unknown>;
  /** Set when the output was larger than MAX_ENTRY_CHARS and only its identifiers were kept. */
  truncated?: true;
  matchedOrderNo?: string;
  matchedBy?: string;
}

/** A day's inbox keeps at most this many pushes; later ones are counted (dropped), not kept. */
export const MAX_INBOX_ITEMS = 2_000;
/** An entry's output above this many characters (as JSON) keeps only its identifiers and amount. */
export const MAX_ENTRY_CHARS = 2_048;
const KEPT_WHEN_TRUNCATED = ['orderNo', 'tradeNo', 'refundNo', 'amount', 'channel', 'payStatus', 'refundStatus'];

export interface InboxPage {
  items: Array<InboxPush & { index: number }>;
  /** The index to ask from for the next page; absent on the last page. */
  next?: number;
  total: number;
  /** Pushes refused this day because the inbox was full (MAX_INBOX_ITEMS). */
  dropped: number;
  capacity: number;
}

export const inboxPushSignal = wf.defineSignal<[InboxPush]>('inboxPush');
export const inboxQuery = wf.defineQuery<InboxPush[]>('inbox');
export const inboxPageQuery = wf.defineQuery<InboxPage, [{ from: number; limit: number }]>('inboxPage');
/** by: the API key's name that asked for it, recorded beside the operator. */
export const matchInboxUpdate = wf.defineUpdate<InboxPush, [{ index: number; orderNo: string; operator: string; by?: string }]>('matchInboxPush');

/** One inbox per task queue and Shanghai day, e.g. shyb-pay-push-inbox-2026-11-26. */
export const inboxWorkflowId = (taskQueue: string, shanghaiDate: string) => `${taskQueue}-push-inbox-${shanghaiDate}`;

/** An entry within MAX_ENTRY_CHARS: a larger output keeps only its identifiers, and says so. */
export function boundedEntry(p: InboxPush): InboxPush {
  if (JSON.stringify(p.output ?? {}).length <= MAX_ENTRY_CHARS) return p;
  const kept = Object.fromEntries(
    KEPT_WHEN_TRUNCATED.filter((k) => typeof p.output[k] === 'string' && (p.output[k] as string).length <= 64).map((k) => [k, p.output[k]]),
  );
  return { ...p, ecToken: String(p.ecToken).slice(0, 64), output: kept, truncated: true };
}

// Only handlers change here (no commands), so histories replay unchanged: the caps apply to state.
/** maxItems: MAX_INBOX_ITEMS unless a test asks for fewer. */
export async function pushInbox(openForMs: number, maxItems = MAX_INBOX_ITEMS): Promise<InboxPush[]> {
  const items: InboxPush[] = [];
  let dropped = 0;
  wf.setHandler(inboxPushSignal, (p) => {
    if (items.length >= maxItems) dropped++;
    else items.push(boundedEntry(p));
  });
  wf.setHandler(inboxQuery, () => items);
  wf.setHandler(inboxPageQuery, ({ from, limit }) => {
    const start = Math.max(0, Math.floor(from));
    const end = Math.min(items.length, start + Math.max(1, Math.floor(limit)));
    return {
      items: items.slice(start, end).map((p, i) => ({ ...p, index: start + i })),
      ...(end < items.length ? { next: end } : {}),
      total: items.length,
      dropped,
      capacity: maxItems,
    };
  });
  wf.setHandler(
    matchInboxUpdate,
    ({ index, orderNo, operator, by }) => {
      const item = items[index]!;
      item.matchedOrderNo = orderNo;
      item.matchedBy = operatorLabel(operator, by);
      return item;
    },
    {
      validator: ({ index, orderNo, operator }) => {
        if (!Number.isInteger(index) || !items[index]) throw new Error('no such inbox item');
        if (items[index]!.matchedOrderNo) throw new Error('already matched');
        if (!orderNo || !operator) throw new Error('orderNo and operator are required');
      },
    },
  );
  await wf.condition(() => false, openForMs).catch(() => undefined);
  await wf.condition(wf.allHandlersFinished);
  return items;
}
