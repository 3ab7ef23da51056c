import { inboxPageQuery, inboxPushSignal, inboxQuery, MAX_ENTRY_CHARS, type InboxPush } from '../../workflows/push-inbox';
import { TASK_QUEUE, useTimeSkipping } from './env';

// The day's push inbox (workflows/push-inbox.ts) with the real bundle: it keeps at most its capacity
// and counts the rest, keeps an oversized entry's identifiers only and flags it, and pages.
const ts = useTimeSkipping(60_000);

const push = (i: number, output: Record<string, unknown> = {}): InboxPush => ({
  receivedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
  kind: 'SE03',
  route: 'NATIONAL',
  ecToken: `TOK${i}`,
  why: 'UNKNOWN_ECTOKEN',
  output: { payStatus: '1', orderNo: `T${i}`, amount: '1.00', ...output },
});

test('a full inbox counts what it does not keep; pages follow next to the end', async () => {
  const handle = await ts.client.workflow.start('pushInbox', { taskQueue: TASK_QUEUE, workflowId: `inbox-cap-${Date.now()}`, args: [60_000, 3] });
  for (let i = 0; i < 5; i++) await handle.signal(inboxPushSignal, push(i));
  expect((await handle.query(inboxQuery)).map((p) => p.ecToken)).toEqual(['TOK0', 'TOK1', 'TOK2']);
  const first = await handle.query(inboxPageQuery, { from: 0, limit: 2 });
  expect(first).toMatchObject({ total: 3, dropped: 2, capacity: 3, next: 2 });
  expect(first.items.map((p) => [p.index, p.ecToken])).toEqual([
    [0, 'TOK0'],
    [1, 'TOK1'],
  ]);
  const last = await handle.query(inboxPageQuery, { from: first.next!, limit: 2 });
  expect(last.items.map((p) => [p.index, p.ecToken])).toEqual([[2, 'TOK2']]);
  expect(last.next).toBeUndefined();
  await handle.terminate();
});

test('an entry larger than MAX_ENTRY_CHARS keeps its identifiers and amount only, flagged truncated', async () => {
  const handle = await ts.client.workflow.start('pushInbox', { taskQueue: TASK_QUEUE, workflowId: `inbox-size-${Date.now()}`, args: [60_000] });
  await handle.signal(inboxPushSignal, push(7, { junk: 'x'.repeat(MAX_ENTRY_CHARS + 1) }));
  const [kept] = await handle.query(inboxQuery);
  expect(kept).toMatchObject({ ecToken: 'TOK7', truncated: true, output: { payStatus: '1', orderNo: 'T7', amount: '1.00' } });
  expect(JSON.stringify(kept).length).toBeLessThan(1_000);
  await handle.terminate();
});
