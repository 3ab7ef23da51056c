import { WorkflowNotFoundError, type WorkflowExecutionDescription, type WorkflowHandle } from '@temporalio/client';

/** A day's run (centre check, day close) whose activity is being retried: the centre does not answer. */
export interface Retrying {
  attempt: number;
  lastFailure?: string;
  nextAttemptAt?: string;
}

const isoOf = (t?: { seconds?: unknown; nanos?: number | null } | null) =>
  t?.seconds ? new Date(Number(t.seconds) * 1000 + Math.floor((t.nanos ?? 0) / 1e6)).toISOString() : undefined;

/** The first pending activity past its first attempt, read from describe (no worker needed). */
export function retryingOf(d: WorkflowExecutionDescription): Retrying | undefined {
  const pending = d.raw.pendingActivities?.find((a) => (a.attempt ?? 1) > 1);
  if (!pending) return undefined;
  const nextAttemptAt = isoOf(pending.nextAttemptScheduleTime);
  return {
    attempt: pending.attempt ?? 2,
    ...(pending.lastFailure?.message ? { lastFailure: pending.lastFailure.message } : {}),
    ...(nextAttemptAt ? { nextAttemptAt } : {}),
  };
}

/** A day's run described, or undefined when none ran (no workflow with that ID). */
export async function describeRun(h: WorkflowHandle): Promise<WorkflowExecutionDescription | undefined> {
  try {
    return await h.describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}
