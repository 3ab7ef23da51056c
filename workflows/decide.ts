// The one decision both workflows make over and over: a push, a poll answer, a timer or the end of
// our own money-moving request has happened — what now? Pure: no Temporal, no clock, no I/O, so it
// is unit-tested with tables and property-tested (test/unit/decide.test.ts).
//
// Settlement (SE02 → SE03 push / SE04 poll) and refund cash part (2208 → SE05 push / SE06 poll, SE07
// as the remedy) differ only in their WatchParams.

/** What a platform query answered, normalised. */
export type Answer<R> =
  | { kind: 'result'; result: R }
  /** the platform knows the order but has no final result yet (SE06 refundStatus 0 is a result with outcome 'pending') */
  | { kind: 'processing' }
  | { kind: 'notFound' }
  | { kind: 'unknown'; reason: string };

/** The end of our own money-moving request (an SE02 resubmission, or the SE07 remedy). */
export type SubmitOutcome = 'accepted' | 'unknown' | 'refused';

export type Stimulus<R> =
  | { type: 'push'; result: R }
  | { type: 'answer'; answer: Answer<R> }
  | { type: 'timer' }
  | { type: 'submitted'; outcome: SubmitOutcome; message?: string };

export type Decision<R> =
  | { do: 'wait' }
  | { do: 'query' }
  /** settlement: SE02 again (the documented rule in README "Readings of the spec") */
  | { do: 'resubmit'; why: string }
  /** refund: SE07 现金改账, only when the cash part failed or never started */
  | { do: 'remedy'; why: string }
  | { do: 'finish'; result: R; by: 'push' | 'poll' }
  | { do: 'fail'; reason: string }
  | { do: 'review'; reason: string };

export type Outcome = 'success' | 'failure' | 'pending';

export interface WatchParams<R> {
  /** A pushed result is applied only once a query agrees with it. */
  confirmPush: boolean;
  /** No final answer by then: review. */
  deadlineAt: number;
  /** Why a result must not be applied (amounts, ownership…), or undefined. */
  verify(r: R): string | undefined;
  /** Why a pushed result and a query answer disagree, or undefined. */
  agree(push: R, answer: R): string | undefined;
  outcome(r: R): Outcome;
  /** Settlement: SE02 may be sent again only within these bounds. */
  resubmit?: { notFoundBefore: number; max: number; tokenValidUntil: number };
  /** Settlement: an SE02 never received by the platform ends FAILED once the token cannot settle any more. */
  giveUp?: { at: number; reason: string };
  /** Refund: SE07 may be sent when the cash part failed, or nothing is seen by graceUntil. */
  remedy?: { graceUntil: number; max: number };
}

export interface WatchState<R> {
  /** Whether the platform is known to have our money-moving request (SE02 / SE07), or we cannot tell. */
  submitted: 'accepted' | 'unknown';
  /** A verified push waiting for an agreeing query. */
  candidate?: R;
  /** A push that failed verification: only a query can still decide the order. */
  pushDefect?: string;
  notFoundRun: number;
  /** SE02 resubmissions or SE07 remedies sent. */
  sent: number;
  /** The platform said "in progress" at some point: never a remedy then, unless it says failed. */
  sawPending: boolean;
}

export const initialWatch = <R>(submitted: 'accepted' | 'unknown'): WatchState<R> => ({ submitted, notFoundRun: 0, sent: 0, sawPending: false });

const wait = { do: 'wait' } as const;
const query = { do: 'query' } as const;

export function decide<R>(s: WatchState<R>, ev: Stimulus<R>, p: WatchParams<R>, now: number): { state: WatchState<R>; decision: Decision<R> } {
  const out = (state: WatchState<R>, decision: Decision<R>) => ({ state, decision });
  switch (ev.type) {
    case 'timer':
      return now >= p.deadlineAt ? out(s, { do: 'review', reason: deadlineReason(s) }) : out(s, query);

    case 'push': {
      const defect = p.verify(ev.result);
      // A push that does not add up is not proof either way: ask the platform at once.
      if (defect) return out({ ...s, pushDefect: defect }, query);
      const o = p.outcome(ev.result);
      if (o === 'pending') return out(pending(s, p), wait);
      if (!p.confirmPush && o === 'success') return out(s, { do: 'finish', result: ev.result, by: 'push' });
      return out({ ...s, candidate: ev.result }, query);
    }

    case 'submitted': {
      const sent = s.sent + 1;
      if (ev.outcome === 'refused' && p.remedy) return out({ ...s, sent }, { do: 'fail', reason: `SE07_REJECTED: ${ev.message ?? 'refused'}` });
      // A refused SE02 resubmission proves nothing about the first SE02: the outcome stays unknown.
      const submitted = ev.outcome === 'accepted' ? 'accepted' : s.submitted;
      return out({ ...s, sent, submitted, notFoundRun: 0 }, wait);
    }

    case 'answer':
      return onAnswer(s, ev.answer, p, now);
  }
}

function onAnswer<R>(s: WatchState<R>, a: Answer<R>, p: WatchParams<R>, now: number): { state: WatchState<R>; decision: Decision<R> } {
  const out = (state: WatchState<R>, decision: Decision<R>) => ({ state, decision });
  const candidateFailed = s.candidate !== undefined && p.outcome(s.candidate) === 'failure';
  if (a.kind === 'unknown') return out({ ...s, notFoundRun: 0 }, wait);

  if (a.kind === 'processing' || a.kind === 'notFound') {
    // No such order/refund on the platform: that agrees with a pushed failure.
    if (candidateFailed && a.kind === 'notFound') return failure(s, s.candidate!, 'push', p);
    const state = { ...s, notFoundRun: a.kind === 'notFound' ? s.notFoundRun + 1 : 0, sawPending: s.sawPending || a.kind === 'processing' };
    if (a.kind === 'processing' || s.candidate) return out(state, wait);
    return out(state, onNothing(state, p, now));
  }

  const r = a.result;
  const defect = p.verify(r);
  if (defect) return out(s, { do: 'review', reason: `query: ${defect}${s.pushDefect ? `; push: ${s.pushDefect}` : ''}` });
  const o = p.outcome(r);
  if (o === 'pending') return out({ ...pending(s, p), notFoundRun: 0 }, wait);
  if (s.candidate) {
    const mismatch = p.agree(s.candidate, r);
    if (mismatch) return out(s, { do: 'review', reason: mismatch });
    return o === 'success' ? out(s, { do: 'finish', result: s.candidate, by: 'push' }) : failure(s, s.candidate, 'push', p);
  }
  return o === 'success' ? out(s, { do: 'finish', result: r, by: 'poll' }) : failure(s, r, 'poll', p);
}

/** "In progress" is the platform's latest word: an earlier pushed failure no longer stands. */
function pending<R>(s: WatchState<R>, p: WatchParams<R>): WatchState<R> {
  const failedCandidate = s.candidate !== undefined && p.outcome(s.candidate) === 'failure';
  return { ...s, sawPending: true, ...(failedCandidate ? { candidate: undefined } : {}) };
}

/** The platform has nothing (yet): resubmit, remedy, give up, or wait. */
function onNothing<R>(s: WatchState<R>, p: WatchParams<R>, now: number): Decision<R> {
  const rs = p.resubmit;
  if (rs && s.submitted === 'unknown' && s.notFoundRun >= rs.notFoundBefore && s.sent < rs.max && now < rs.tokenValidUntil) {
    return { do: 'resubmit', why: `platform has no order after ${s.notFoundRun} queries` };
  }
  if (p.giveUp && s.submitted === 'unknown' && now >= p.giveUp.at) return { do: 'fail', reason: p.giveUp.reason };
  const rm = p.remedy;
  if (rm && !s.sawPending && s.sent < rm.max && now >= rm.graceUntil) return { do: 'remedy', why: 'no cash refund after the grace period' };
  return wait;
}

/** A final failure: the refund cash part gets its remedy once; a settlement simply finishes failed. */
function failure<R>(s: WatchState<R>, r: R, by: 'push' | 'poll', p: WatchParams<R>): { state: WatchState<R>; decision: Decision<R> } {
  const state = { ...s, candidate: undefined };
  if (!p.remedy) return { state, decision: { do: 'finish', result: r, by } };
  if (s.sent < p.remedy.max) return { state: { ...state, sawPending: false }, decision: { do: 'remedy', why: `cash refund failed (by ${by})` } };
  return { state, decision: { do: 'fail', reason: 'CASH_REFUND_FAILED: the cash part failed after the SE07 remedy; the insurance part is refunded, request the refund again' } };
}

function deadlineReason<R>(s: WatchState<R>): string {
  if (s.pushDefect) return `PUSH_UNCONFIRMED: push: ${s.pushDefect}; no agreeing query by the deadline`;
  if (s.candidate) return 'PUSH_UNCONFIRMED: no query agreed with the push by the deadline';
  return s.submitted === 'unknown' ? 'SUBMIT_OUTCOME_UNKNOWN: no result by the deadline' : 'NO_FINAL_RESULT: no result by the deadline';
}
