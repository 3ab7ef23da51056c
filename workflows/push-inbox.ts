import * as wf from '@temporalio/workflow';

// Pushes we acknowledged but could not attach to an order (unknown ecToken, or an order already
// closed) are kept here, one workflow per Shanghai day, so finance can see and match them.

export interface InboxPush {
  receivedAt: string;
  kind: 'SE03' | 'SE05';
  route: 'NATIONAL' | 'WUQI';
  ecToken: string;
  why: 'UNKNOWN_ECTOKEN' | 'ORDER_CLOSED';
  /** The validated push output, as received. */
  output: Record<string, unknown>;
  matchedOrderNo?: string;
  matchedBy?: string;
}

export const inboxPushSignal = wf.defineSignal<[InboxPush]>('inboxPush');
export const inboxQuery = wf.defineQuery<InboxPush[]>('inbox');
export const matchInboxUpdate = wf.defineUpdate<InboxPush, [{ index: number; orderNo: string; operator: string }]>('matchInboxPush');

/** One inbox per task queue and Shanghai day, e.g. shyb-pay-push-inbox-2026-11-26. */
export const inboxWorkflowId = (taskQueue: string, shanghaiDate: string) => `${taskQueue}-push-inbox-${shanghaiDate}`;

export async function pushInbox(openForMs: number): Promise<InboxPush[]> {
  const items: InboxPush[] = [];
  wf.setHandler(inboxPushSignal, (p) => void items.push(p));
  wf.setHandler(inboxQuery, () => items);
  wf.setHandler(
    matchInboxUpdate,
    ({ index, orderNo, operator }) => {
      const item = items[index]!;
      item.matchedOrderNo = orderNo;
      item.matchedBy = operator;
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
