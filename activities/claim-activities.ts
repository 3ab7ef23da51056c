import { createHash } from 'node:crypto';
import { Client, Connection, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Config } from '../common/config';
import { dataConverter } from '../common/data-converter';
import { temporalConnectionOptions } from '../common/temporal-connection';

// Race-free claims through Temporal's workflow-ID uniqueness: `ectoken:<ecToken>` (one order per
// e-voucher), `setl:<setl_id>` (one order per platform settlement), `idem:<key hash>` (idempotency).
// The claim is a `claim` workflow whose ID is the key and whose memo holds the owner. It is started
// with a long start delay, so it costs no worker task: the server holds the ID (Running) and the memo,
// and a second start fails with "already started", whose memo names the owner.

/** Longer than an order lives (its 30-day refund window), so a claim outlives its order. */
export const CLAIM_HOLD = '40 days';

export interface ClaimMemo {
  orderNo: string;
  [extra: string]: string;
}

/** One claim space per task queue (one deployment of one hospital): its own orders, its own keys. */
export const claimWorkflowId = (taskQueue: string, key: string) => {
  const [kind] = key.split(':', 1);
  return `claim-${kind}-${createHash('sha256').update(`${taskQueue}\n${key}`).digest('hex').slice(0, 40)}`;
};

/** Claims `key` for memo.orderNo; answers the memo of whoever holds it (this one if the claim won). */
export async function claimKey(client: Client, taskQueue: string, key: string, memo: ClaimMemo): Promise<{ won: boolean; memo: ClaimMemo }> {
  const workflowId = claimWorkflowId(taskQueue, key);
  try {
    await client.workflow.start('claim', {
      taskQueue,
      workflowId,
      args: [],
      memo,
      startDelay: CLAIM_HOLD,
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      workflowIdConflictPolicy: 'FAIL',
    });
    return { won: true, memo };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    const d = await client.workflow.getHandle(workflowId).describe();
    return { won: false, memo: d.memo as ClaimMemo };
  }
}

/** The workflows' `claim` activity (a local activity: one RPC to Temporal, no task round trip). */
export function createClaimActivities(config: Config) {
  let client: Promise<Client> | undefined;
  const getClient = () =>
    (client ??= Connection.connect(temporalConnectionOptions(config)).then(
      (connection) => new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: dataConverter(config) }),
    ));
  return {
    activities: {
      async claim(a: { key: string; orderNo: string }): Promise<{ owner: string }> {
        const r = await claimKey(await getClient(), config.TEMPORAL_TASK_QUEUE, a.key, { orderNo: a.orderNo });
        return { owner: r.memo.orderNo };
      },
    },
    close: async (): Promise<void> => {
      if (client) await (await client).connection.close().catch(() => undefined);
    },
  };
}
