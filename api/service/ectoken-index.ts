import type { Client } from '@temporalio/client';
import { claimHolder, type ClaimSpace } from '../../activities/claim-activities';

/** Entries kept in memory; the oldest goes first (a push for it then asks Temporal again). */
const MAX_CACHED = 100_000;

/**
 * ecToken → orderNo, for routing the platform's pushes. Every order's ecToken is claimed before its
 * SE02 is sent (by the API when the HIS gives one, by the workflow when it decodes a QR code): the
 * claim is a workflow whose ID is derived from `ectoken:<token>` and whose memo names the owner, in the
 * claims namespace, or in the orders' one for claims made before the upgrade (activities/claim-activities.ts).
 * So a describe of that ID answers on any API process, with no prior read and no visibility lag; a push
 * can only follow its SE02, hence its claim. A local cache of answers saves the RPC for repeats. Orders
 * older than these claims are looked up by the EcToken search attribute (visibility), once.
 */
export class EcTokenIndex {
  private readonly cache = new Map<string, string>();

  /** `claims`: claimSpace(client, config); without it only claims in the orders' namespace are read, the rest through visibility. */
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly claims: ClaimSpace = { claims: client },
  ) {}

  remember(ecToken: string, orderNo: string): void {
    this.cache.set(ecToken, orderNo);
    if (this.cache.size > MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
  }

  async orderNoFor(ecToken: string): Promise<string | undefined> {
    const cached = this.cache.get(ecToken);
    if (cached) return cached;
    const orderNo = (await this.claimOwner(ecToken)) ?? (await this.fromVisibility(ecToken));
    if (orderNo) this.remember(ecToken, orderNo);
    return orderNo;
  }

  /** The owner named by the ecToken's claim, or undefined when nobody claimed it. */
  private async claimOwner(ecToken: string): Promise<string | undefined> {
    return (await claimHolder(this.claims, this.taskQueue, `ectoken:${ecToken}`))?.orderNo;
  }

  private async fromVisibility(ecToken: string): Promise<string | undefined> {
    const query = `WorkflowType = "settlement" AND EcToken = "${ecToken.replace(/["\\]/g, '')}"`;
    for await (const wf of this.client.workflow.list({ query, pageSize: 1 })) return wf.workflowId;
    return undefined;
  }
}
