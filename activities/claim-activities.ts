import { createHash } from 'node:crypto';
import { Client, Connection, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { NamespaceNotFoundError } from '@temporalio/common';
import type { Config } from '../common/config';
import { dataConverter } from '../common/data-converter';
import { temporalConnectionOptions } from '../common/temporal-connection';

// Race-free claims through Temporal's workflow-ID uniqueness: `ectoken:<ecToken>` (one order per
// e-voucher), `setl:<setl_id>` (one order per platform settlement), `idem:<key hash>` (idempotency).
// The claim is a `claim` workflow whose ID is the key and whose memo holds the owner; a second start
// fails with "already started", and a describe of the ID names the owner.
//
// Claims live in their own namespace (config.claimNamespace), so the orders' namespace lists orders
// only (the Temporal UI's default list). No worker polls that namespace and none needs to: a claim's
// start delay is longer than its execution timeout, so it never gets a workflow task; it holds its ID
// (Running) for CLAIM_HOLD, then times out and keeps holding it, closed, for the namespace's retention.

/** Longer than an order lives (its 30-day refund window), so a claim outlives its order. */
export const CLAIM_HOLD = '40 days';
/** Past CLAIM_HOLD: the claim times out before its first workflow task would be scheduled. */
const CLAIM_START_DELAY = '41 days';

export interface ClaimMemo {
  orderNo: string;
  [extra: string]: string;
}

/**
 * Where claims are made and read. `legacy`: the orders' namespace, where claims made before they had
 * their own namespace still hold their keys (CLAIM_LEGACY_NAMESPACE_CHECK); a claim is refused while one
 * is there, so an ecToken claimed by an order started before the upgrade stays that order's.
 */
export interface ClaimSpace {
  claims: Client;
  legacy?: Client;
}

/** The claim space for an orders' client: a client of the claims namespace on the same connection. */
export function claimSpace(orders: Client, config: Config): ClaimSpace {
  if (config.claimNamespace === orders.options.namespace) return { claims: orders };
  const claims = new Client({ connection: orders.connection, namespace: config.claimNamespace, dataConverter: dataConverter(config) });
  return { claims, ...(config.CLAIM_LEGACY_NAMESPACE_CHECK === 'on' ? { legacy: orders } : {}) };
}

/** One claim space per task queue (one deployment of one hospital): its own orders, its own keys. */
export const claimWorkflowId = (taskQueue: string, key: string) => {
  const [kind] = key.split(':', 1);
  return `claim-${kind}-${createHash('sha256').update(`${taskQueue}\n${key}`).digest('hex').slice(0, 40)}`;
};

/** Claims `key` for memo.orderNo; answers the memo of whoever holds it (this one if the claim won). */
export async function claimKey(space: ClaimSpace, taskQueue: string, key: string, memo: ClaimMemo): Promise<{ won: boolean; memo: ClaimMemo }> {
  const workflowId = claimWorkflowId(taskQueue, key);
  // before the start: a claim started here first would name this order, for good, over the legacy owner
  const legacy = space.legacy && (await memoOf(space.legacy, workflowId));
  if (legacy) return { won: false, memo: legacy };
  try {
    await space.claims.workflow.start('claim', {
      taskQueue,
      workflowId,
      args: [],
      memo,
      startDelay: CLAIM_START_DELAY,
      workflowExecutionTimeout: CLAIM_HOLD,
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      workflowIdConflictPolicy: 'FAIL',
    });
    return { won: true, memo };
  } catch (err) {
    if (err instanceof NamespaceNotFoundError) throw missingNamespace(space.claims.options.namespace);
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    return { won: false, memo: (await memoOf(space.claims, workflowId))! };
  }
}

/** The memo of the claim on `key`, in the claims namespace or else a legacy one; undefined when nobody claimed it. */
export async function claimHolder(space: ClaimSpace, taskQueue: string, key: string): Promise<ClaimMemo | undefined> {
  const workflowId = claimWorkflowId(taskQueue, key);
  try {
    return (await memoOf(space.claims, workflowId)) ?? (space.legacy && (await memoOf(space.legacy, workflowId)));
  } catch (err) {
    throw err instanceof NamespaceNotFoundError ? missingNamespace(space.claims.options.namespace) : err;
  }
}

async function memoOf(client: Client, workflowId: string): Promise<ClaimMemo | undefined> {
  try {
    const memo = (await client.workflow.getHandle(workflowId).describe()).memo as Partial<ClaimMemo> | undefined;
    return typeof memo?.orderNo === 'string' && memo.orderNo ? (memo as ClaimMemo) : undefined;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

const GRPC_NOT_FOUND = 5;

/**
 * Fails a worker's or the API's start when the claims namespace is missing: every claim would fail, so
 * no order could start or prove it owns its ecToken (Worker.create checks only the orders' namespace).
 */
export async function requireClaimNamespace(service: { describeNamespace(req: { namespace: string }): Promise<unknown> }, config: Config): Promise<void> {
  try {
    await service.describeNamespace({ namespace: config.claimNamespace });
  } catch (err) {
    // anything else (Temporal restarting, say) is left to the claims themselves, which fail and are retried
    if ((err as { code?: number }).code === GRPC_NOT_FOUND) throw missingNamespace(config.claimNamespace);
  }
}

function missingNamespace(ns: string): Error {
  return new Error(
    `the claims namespace "${ns}" does not exist: create it (temporal-docker/scripts/create-namespace.sh, CLAIM_NAMESPACE=${ns}) or set TEMPORAL_CLAIM_NAMESPACE`,
  );
}

/** The workflows' `claim` activity (a local activity: one RPC to Temporal, two with the legacy check; no task round trip). */
export function createClaimActivities(config: Config) {
  let space: Promise<ClaimSpace> | undefined;
  const getSpace = () =>
    (space ??= Connection.connect(temporalConnectionOptions(config)).then((connection) =>
      claimSpace(new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: dataConverter(config) }), config),
    ));
  return {
    activities: {
      async claim(a: { key: string; orderNo: string }): Promise<{ owner: string }> {
        const r = await claimKey(await getSpace(), config.TEMPORAL_TASK_QUEUE, a.key, { orderNo: a.orderNo });
        return { owner: r.memo.orderNo };
      },
    },
    close: async (): Promise<void> => {
      if (space) await (await space).claims.connection.close().catch(() => undefined);
    },
  };
}
