import type { Client } from '@temporalio/client';

/** Entries kept in memory; the oldest goes first (a push for it then asks visibility). */
const MAX_CACHED = 100_000;

/**
 * ecToken → orderNo, for routing the platform's pushes: a local cache of the orders this process
 * started or read, then the EcToken search attribute (visibility), retried briefly for its lag.
 */
export class EcTokenIndex {
  private readonly cache = new Map<string, string>();

  constructor(private readonly client: Client) {}

  remember(ecToken: string, orderNo: string): void {
    this.cache.set(ecToken, orderNo);
    if (this.cache.size > MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
  }

  async orderNoFor(ecToken: string): Promise<string | undefined> {
    const cached = this.cache.get(ecToken);
    if (cached) return cached;
    const query = `WorkflowType = "settlement" AND EcToken = "${ecToken.replace(/["\\]/g, '')}"`;
    for (let i = 0; i < 5; i++) {
      for await (const wf of this.client.workflow.list({ query, pageSize: 1 })) {
        this.remember(ecToken, wf.workflowId);
        return wf.workflowId;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    return undefined;
  }
}
