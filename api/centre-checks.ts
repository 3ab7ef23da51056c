import { WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import { describeRun, retryingOf, type Retrying } from './run-retrying';
import { centreCheckOptions, centreCheckWorkflowId, emptyCentreCheckResult, previousShanghaiDay, type CentreCheckResult } from '../common/centre-check';
import type { Config } from '../common/config';
import { formatDate } from '../protocol/shanghai-time';
import { centreCheckResultQuery, type centreCheck } from '../workflows/centre-check';
import { query } from './service/queries';

// The daily centre check over HTTP (issue 18, 3): start (or join) a day's run, read its result, and list the
// recent days for the console's review queue. The result is the workflow's query while it runs and its
// result once closed; a batch the centre does not answer shows as `retrying` (the pending activity's attempt).

export interface CentreCheckView extends CentreCheckResult {
  workflowId: string;
  /** while a batch is retried because the centre does not answer: its attempt, the last error, the next try */
  retrying?: Retrying;
}

/** How long POST waits for the run to end before answering 202. */
export const POST_WAIT_MS = 3_000;
/** The console's review queue shows the checks of this many recent days. */
export const RECENT_DAYS = 7;

const DAY_MS = 24 * 60 * 60_000;
const empty = (date: string): CentreCheckResult => emptyCentreCheckResult(date, 'failed', '');

export class CentreChecks {
  constructor(
    private readonly client: Client,
    private readonly config: Config,
  ) {}

  private handle(date: string): WorkflowHandle<typeof centreCheck> {
    return this.client.workflow.getHandle(centreCheckWorkflowId(this.config.TEMPORAL_TASK_QUEUE, date));
  }

  /** The day's last run, or undefined when none ran. */
  async read(date: string): Promise<CentreCheckView | undefined> {
    const h = this.handle(date);
    const d = await describeRun(h);
    if (!d) return undefined;
    const workflowId = h.workflowId;
    if (d.status.name === 'COMPLETED') return { ...(await h.result()), workflowId };
    if (d.status.name === 'RUNNING') {
      const result = await query(workflowId, () => h.query(centreCheckResultQuery));
      const retrying = retryingOf(d);
      return { ...result, workflowId, ...(retrying ? { retrying } : {}) };
    }
    // failed, terminated, cancelled, timed out: what it had reached, marked failed
    const partial = await h.query(centreCheckResultQuery).catch(() => empty(date));
    return { ...partial, status: 'failed', workflowId };
  }

  /** Starts the day's check, or joins the one running; waits up to waitMs for it to end. */
  async start(date: string, waitMs = POST_WAIT_MS): Promise<{ done: boolean; view: CentreCheckView }> {
    const workflowId = centreCheckWorkflowId(this.config.TEMPORAL_TASK_QUEUE, date);
    // a running check of the day is joined; a closed one is run again (the centre's books may have moved)
    const h = await this.client.workflow.start<typeof centreCheck>('centreCheck', {
      taskQueue: this.config.TEMPORAL_TASK_QUEUE,
      workflowId,
      args: [{ date, ...centreCheckOptions(this.config) }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    });
    try {
      const result = await this.client.connection.withDeadline(Date.now() + waitMs, () => h.result());
      return { done: true, view: { ...result, workflowId } };
    } catch {
      // not ended within the wait (or the run failed): the caller polls GET
      return { done: false, view: (await this.read(date)) ?? { ...empty(date), status: 'running', workflowId } };
    }
  }

  /** Differences of the previous Shanghai day's check once it has ended (listed and not listed); undefined before. */
  async lastDifferences(now = Date.now()): Promise<number | undefined> {
    const v = await this.read(previousShanghaiDay(now));
    return v && v.status !== 'running' ? v.differences.length + v.differencesNotListed : undefined;
  }

  /** The checks of the last RECENT_DAYS days that found differences, could not ask some orders, or are not finished. */
  async recent(now = Date.now()): Promise<CentreCheckView[]> {
    const days = Array.from({ length: RECENT_DAYS + 1 }, (_, i) => formatDate(now - i * DAY_MS));
    const views = await Promise.all(days.map((d) => this.read(d)));
    return views.filter((v): v is CentreCheckView => !!v && (v.status !== 'finished' || v.differences.length > 0 || v.unavailable.length > 0));
  }
}
