import * as wf from '@temporalio/workflow';
import type { AnsweredAt } from '../activities/contract';
import type { HistoryClock } from './clock';
import type { Patched } from './patches';
import { decideV1 } from './decide-v1';
import { decide, type Answer, type Decision, type Stimulus, type SubmitOutcome, type WatchParams, type WatchState } from './decide';

// Runs the shared decision (decide.ts) against Temporal: waits for a push or the next poll time,
// queries, resubmits or remedies, until the decision is final. Used by settlement and refund alike.

export interface WatchIo<R> {
  schedule: number[];
  every: number;
  /** The next queued push, if any (the signal handler queues them). */
  nextPush(): R | undefined;
  hasPush(): boolean;
  /** The answer, with the wall time it came (`at`, from the activity's result) when known. */
  query(): Promise<Answer<R> & AnsweredAt>;
  /** SE02 again (settlement) or SE07 (refund). */
  send(why: string, kind: 'resubmit' | 'remedy'): Promise<{ outcome: SubmitOutcome; message?: string }>;
  step(step: 'WAITING' | 'POLLING' | 'CONFIRMING' | 'RESUBMITTING' | 'REMEDY', nextPollAt?: number): void;
  /** The owner's patches (workflows/patches.ts). */
  patched: Patched;
}

/** The patch that moved every watch to decide.ts's rules (v2); decide-v1.ts goes with it. */
export const WATCH_RULES_PATCH = 'watch-rules-v2';

export type Final<R> = Extract<Decision<R>, { do: 'finish' | 'fail' | 'review' }>;

/** Every time comparison reads `clock` (never Date.now()), so a replay takes the same branches. */
/** `first`: a decision to carry out before anything else (a person's SE07 remedy). */
export async function watch<R>(start: WatchState<R>, p: WatchParams<R>, io: WatchIo<R>, clock: HistoryClock, first?: Decision<R>): Promise<Final<R>> {
  // A watch that began before the rules of issue 19 item 8 keeps deciding as it did (decide-v1.ts).
  const next = io.patched(WATCH_RULES_PATCH) ? decide : decideV1;
  let state = start;
  let d: Decision<R> = first ?? { do: 'wait' };
  let pollIdx = 0;
  for (;;) {
    let ev: Stimulus<R>;
    switch (d.do) {
      case 'wait': {
        const queued = io.nextPush();
        if (queued !== undefined) {
          ev = { type: 'push', result: queued };
          break;
        }
        const from = clock.now();
        const ms = Math.min(io.schedule[pollIdx] ?? io.every, p.deadlineAt - from);
        if (ms > 0) {
          io.step('WAITING', Date.now() + ms); // shown to people only: never decided on
          if (await wf.condition(io.hasPush, ms)) {
            ev = { type: 'push', result: io.nextPush()! };
            break;
          }
          clock.fired(from, ms);
        }
        pollIdx += 1;
        ev = { type: 'timer' };
        break;
      }
      case 'query': {
        io.step(state.candidate || state.pushDefect ? 'CONFIRMING' : 'POLLING');
        const { at, ...answer } = await io.query();
        clock.saw(at);
        ev = { type: 'answer', answer: answer as Answer<R> };
        break;
      }
      case 'resubmit':
      case 'remedy': {
        io.step(d.do === 'resubmit' ? 'RESUBMITTING' : 'REMEDY');
        const r = await io.send(d.why, d.do);
        ev = { type: 'submitted', ...r };
        pollIdx = 0;
        break;
      }
      default:
        return d;
    }
    ({ state, decision: d } = next(state, ev, p, clock.now()));
  }
}
