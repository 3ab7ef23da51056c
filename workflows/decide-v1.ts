// FROZEN: the decision as it was before the rules of issue 19 item 8 (workflows/decide.ts). Kept only so
// that orders whose watch started before the patch 'watch-rules-v2' replay the decisions they made
// (workflows/watch.ts picks it with wf.patched). Never change it; delete it with the patch once no
// such order is open (the refund window is 30 days).
//
// The one decision both workflows make over and over: a push, a poll answer, a timer or the end of
// our own money-moving request has happened — what now? Pure: no Temporal, no clock, no I/O, so it
// is unit-tested with tables and property-tested (test/unit/decide.test.ts).
//
// Settlement (SE02 → SE03 push / SE04 poll) and refund cash part (the insurance call → SE05 push / SE06 poll, SE07
// as the remedy) differ only in their WatchParams.

import type { Answer, Decision, Stimulus, WatchParams, WatchState } from './decide';

const wait = { do: 'wait' } as const;
const query = { do: 'query' } as const;

export function decideV1<R>(s: WatchState<R>, ev: Stimulus<R>, p: WatchParams<R>, now: number): { state: WatchState<R>; decision: Decision<R> } {
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
  return {
    state,
    decision: {
      do: 'fail',
      reason: 'CASH_REFUND_FAILED: the cash part failed after the SE07 remedy; the insurance part is refunded, request the refund again',
    },
  };
}

function deadlineReason<R>(s: WatchState<R>): string {
  if (s.pushDefect) return `PUSH_UNCONFIRMED: push: ${s.pushDefect}; no agreeing query by the deadline`;
  if (s.candidate) return 'PUSH_UNCONFIRMED: no query agreed with the push by the deadline';
  return s.submitted === 'unknown' ? 'SUBMIT_OUTCOME_UNKNOWN: no result by the deadline' : 'NO_FINAL_RESULT: no result by the deadline';
}
