import * as wf from '@temporalio/workflow';
import { decide, type Answer, type Decision, type Stimulus, type SubmitOutcome, type WatchParams, type WatchState } from './decide';

// Runs the shared decision (decide.ts) against Temporal: waits for a push or the next poll time,
// queries, resubmits or remedies, until the decision is final. Used by settlement and refund alike.

export interface WatchIo<R> {
  schedule: number[];
  every: number;
  /** The next queued push, if any (the signal handler queues them). */
  nextPush(): R | undefined;
  hasPush(): boolean;
  query(): Promise<Answer<R>>;
  /** SE02 again (settlement) or SE07 (refund). */
  send(why: string, kind: 'resubmit' | 'remedy'): Promise<{ outcome: SubmitOutcome; message?: string }>;
  step(step: 'WAITING' | 'POLLING' | 'CONFIRMING' | 'RESUBMITTING' | 'REMEDY', nextPollAt?: number): void;
}

export type Final<R> = Extract<Decision<R>, { do: 'finish' | 'fail' | 'review' }>;

export async function watch<R>(start: WatchState<R>, p: WatchParams<R>, io: WatchIo<R>): Promise<Final<R>> {
  let state = start;
  let d: Decision<R> = { do: 'wait' };
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
        const remaining = p.deadlineAt - Date.now();
        const ms = Math.min(io.schedule[pollIdx] ?? io.every, remaining);
        if (ms > 0) {
          io.step('WAITING', Date.now() + ms);
          if (await wf.condition(io.hasPush, ms)) {
            ev = { type: 'push', result: io.nextPush()! };
            break;
          }
        }
        pollIdx += 1;
        ev = { type: 'timer' };
        break;
      }
      case 'query':
        io.step(state.candidate || state.pushDefect ? 'CONFIRMING' : 'POLLING');
        ev = { type: 'answer', answer: await io.query() };
        break;
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
    ({ state, decision: d } = decide(state, ev, p, Date.now()));
  }
}
