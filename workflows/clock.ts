import * as wf from '@temporalio/workflow';

/**
 * The time a workflow may branch on (deadline passed? ecToken still valid? cash-refund grace over?).
 *
 * Date.now() in a workflow is meant to be the start of the current workflow task, the same on every
 * replay. With SDK 1.24.0 it is not always: when a worker dies and another takes its task over after
 * the sticky queue times out, the first run of that task can see the previous task's time while a
 * later replay sees the task's own. A deadline decided on that time flips between the two runs, and
 * the order stops replaying (TMPRL1100; found by `npm run chaos`, guarded by test/replay's skewed-Date replays).
 *
 * So decisions read this clock instead. It moves only on facts written in the history: the
 * workflow's start, the timers we started and saw fire, and the wall time a query activity put in its
 * answer (`at`, recorded in the marker). It may trail the real time by a task's latency until the
 * next query answer brings it up to date: a deadline can pass that much late, never differently on
 * a replay.
 */
export class HistoryClock {
  private t: number;

  constructor(start: number = wf.workflowInfo().startTime.getTime()) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  /** A timer of `ms` that we started when this clock read `from` has fired. */
  fired(from: number, ms: number): void {
    this.t = Math.max(this.t, from + ms);
  }

  /** An activity answered at this wall time (its result is in the history, so replays see it too). */
  saw(at: number | undefined): void {
    if (typeof at === 'number' && Number.isFinite(at)) this.t = Math.max(this.t, at);
  }
}
