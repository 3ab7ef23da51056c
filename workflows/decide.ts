// The one decision both workflows make over and over: a push, a poll answer, a timer or the end of
// our own money-moving request has happened — what now? Pure: no Temporal, no clock, no I/O, so it
// is unit-tested with tables, properties and a bounded explorer of every short sequence
// (test/unit/decide*.test.ts).
//
// Settlement (SE02 → SE03 push / SE04 poll) and refund cash part (the insurance call → SE05 push / SE06 poll, SE07
// as the remedy) differ only in their WatchParams. The words are route- and flow-neutral: each
// workflow turns the codes below into its own reasons (NOTHING_SEEN → CASH_REFUND_NOT_SEEN…).
//
// The rules that move money (docs/spec-readings.md, "Pushes, processing and the rules that move money"):
// 1. Any push (verified or not), any "processing" answer and any result answer is the platform's sign
//    that it holds our request. After one: no second SE02, no "never received", no remedy on silence.
//    Only a verified query, a failure the platform confirms, or the deadline decides.
// 2. A second SE02 only after an SE02 whose outcome is unknown, `notFoundBefore` "not found" answers in
//    a row with no unknown answer between, no sign (rule 1), within the token's validity, at most `max`.
// 3. Pushes that contradict each other go to review.
// 4. Nothing that moves money (SE02 again, SE07) at or after the deadline.
// 5. A failure pushed after an SE02 whose outcome is unknown is concluded only once as many "not found"
//    answers in a row as rule 2 needs have confirmed it (so a forged −1 push decides nothing sooner
//    than the rule would), or at the deadline (review).
// 6. Refund: a remedy on a failure; after the remedy, a failure answer may predate it: it is final only
//    when a second query after the remedy says so too.

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
  { type: 'push'; result: R } | { type: 'answer'; answer: Answer<R> } | { type: 'timer' } | { type: 'submitted'; outcome: SubmitOutcome; message?: string };

/** Codes of a `fail` decision, each workflow words them (refund: SE07_REJECTED, CASH_REFUND_FAILED). */
export const FAIL = { remedyRefused: 'REMEDY_REFUSED', failedAfterRemedy: 'FAILED_AFTER_REMEDY' } as const;
/** Codes of a `review` decision (the reason starts with one). */
export const REVIEW = {
  pushConflict: 'PUSH_CONFLICT',
  pushUnconfirmed: 'PUSH_UNCONFIRMED',
  submitUnknown: 'SUBMIT_OUTCOME_UNKNOWN',
  noFinal: 'NO_FINAL_RESULT',
  nothingSeen: 'NOTHING_SEEN',
} as const;

export type Decision<R> =
  | { do: 'wait' }
  | { do: 'query' }
  /** settlement: SE02 again (rule 2) */
  | { do: 'resubmit'; why: string }
  /** refund: SE07 现金改账, only when the cash part failed, or (if the workflow allows it) on silence */
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
  /** Why two results disagree (a push and a query, or two pushes), or undefined. */
  agree(a: R, b: R): string | undefined;
  outcome(r: R): Outcome;
  /** Settlement: SE02 may be sent again only within these bounds (rule 2). */
  resubmit?: { notFoundBefore: number; max: number; tokenValidUntil: number };
  /** Settlement: an SE02 the platform never showed ends FAILED once the token cannot settle any more. */
  giveUp?: { at: number; reason: string };
  /**
   * Refund: SE07 on a failure. Nothing seen by graceUntil: review (NOTHING_SEEN), or the remedy when
   * `onSilence` is 'remedy' (CASH_REFUND_SILENCE=remedy).
   */
  remedy?: { graceUntil: number; max: number; onSilence: 'review' | 'remedy' };
}

export interface WatchState<R> {
  /** Whether the platform is known to have our money-moving request (SE02 / SE07), or we cannot tell. */
  submitted: 'accepted' | 'unknown';
  /** A verified push waiting for an agreeing query. */
  candidate?: R;
  /** A push that failed verification: only a query can still decide the order. */
  pushDefect?: string;
  /** "Not found" answers in a row (an unknown or processing answer ends the run). */
  notFoundRun: number;
  /** SE02 resubmissions or SE07 remedies sent. */
  sent: number;
  /** The platform said "in progress" at some point: never a remedy on silence then. */
  sawPending: boolean;
  /** Rule 1: a push, a "processing" or a result answer showed that the platform holds the request. */
  platformHolds?: boolean;
  /** Pushes seen (verified or not). */
  pushes?: number;
  /** Failure answers since the last remedy (rule 6). */
  failuresSinceRemedy?: number;
}

export const initialWatch = <R>(submitted: 'accepted' | 'unknown'): WatchState<R> => ({ submitted, notFoundRun: 0, sent: 0, sawPending: false });

type Step<R> = { state: WatchState<R>; decision: Decision<R> };
const wait = { do: 'wait' } as const;
const query = { do: 'query' } as const;
const out = <R>(state: WatchState<R>, decision: Decision<R>): Step<R> => ({ state, decision });

export function decide<R>(s: WatchState<R>, ev: Stimulus<R>, p: WatchParams<R>, now: number): Step<R> {
  switch (ev.type) {
    case 'timer':
      return now >= p.deadlineAt ? out(s, { do: 'review', reason: deadlineReason(s) }) : out(s, query);
    case 'push':
      return onPush({ ...s, platformHolds: true, pushes: (s.pushes ?? 0) + 1 }, ev.result, p);
    case 'submitted':
      return onSubmitted(s, ev, p);
    case 'answer':
      return onAnswer(s, ev.answer, p, now);
  }
}

function onPush<R>(s: WatchState<R>, r: R, p: WatchParams<R>): Step<R> {
  const defect = p.verify(r);
  // A push that does not add up is not proof either way: ask the platform at once.
  if (defect) return out({ ...s, pushDefect: defect }, query);
  const o = p.outcome(r);
  if (o === 'pending') return out(pending(s, p), wait);
  if (s.candidate) {
    const conflict = p.agree(s.candidate, r);
    if (conflict) return out(s, { do: 'review', reason: `${REVIEW.pushConflict}: ${conflict}` });
  }
  if (!p.confirmPush && o === 'success') return out(s, { do: 'finish', result: r, by: 'push' });
  return out({ ...s, candidate: r }, query);
}

function onSubmitted<R>(s: WatchState<R>, ev: Extract<Stimulus<R>, { type: 'submitted' }>, p: WatchParams<R>): Step<R> {
  const sent = s.sent + 1;
  if (ev.outcome === 'refused' && p.remedy) return out({ ...s, sent }, { do: 'fail', reason: `${FAIL.remedyRefused}: ${ev.message ?? 'refused'}` });
  // A refused SE02 resubmission proves nothing about the first SE02: the outcome stays unknown.
  const submitted = ev.outcome === 'accepted' ? 'accepted' : s.submitted;
  return out({ ...s, sent, submitted, notFoundRun: 0, failuresSinceRemedy: 0 }, wait);
}

function onAnswer<R>(s: WatchState<R>, a: Answer<R>, p: WatchParams<R>, now: number): Step<R> {
  if (a.kind === 'unknown') return out({ ...s, notFoundRun: 0 }, wait);
  if (a.kind === 'processing') return out({ ...pending(s, p), notFoundRun: 0 }, wait);
  if (a.kind === 'notFound') return onNotFound({ ...s, notFoundRun: s.notFoundRun + 1 }, p, now);
  const r = a.result;
  const defect = p.verify(r);
  if (defect) return out(s, { do: 'review', reason: `query: ${defect}${s.pushDefect ? `; push: ${s.pushDefect}` : ''}` });
  const held = { ...s, platformHolds: true, notFoundRun: 0 };
  const o = p.outcome(r);
  if (o === 'pending') return out(pending(held, p), wait);
  if (s.candidate) {
    const mismatch = p.agree(s.candidate, r);
    if (mismatch) return out(s, { do: 'review', reason: mismatch });
    return o === 'success' ? out(held, { do: 'finish', result: s.candidate, by: 'push' }) : failure(held, s.candidate, 'push', p, now);
  }
  return o === 'success' ? out(held, { do: 'finish', result: r, by: 'poll' }) : failure(held, r, 'poll', p, now);
}

/** "Not found": it confirms a pushed failure (rule 5), or it is silence (resubmit, give up, remedy, wait). */
function onNotFound<R>(s: WatchState<R>, p: WatchParams<R>, now: number): Step<R> {
  if (s.candidate !== undefined && p.outcome(s.candidate) === 'failure') {
    const needed = s.submitted === 'unknown' && p.resubmit ? p.resubmit.notFoundBefore : 1;
    return s.notFoundRun >= needed ? failure(s, s.candidate, 'push', p, now) : out(s, wait);
  }
  if (s.candidate) return out(s, wait);
  return onNothing(s, p, now);
}

/** "In progress" is the platform's latest word: an earlier pushed failure no longer stands. */
function pending<R>(s: WatchState<R>, p: WatchParams<R>): WatchState<R> {
  const failedCandidate = s.candidate !== undefined && p.outcome(s.candidate) === 'failure';
  return { ...s, sawPending: true, platformHolds: true, ...(failedCandidate ? { candidate: undefined } : {}) };
}

/** The platform shows nothing: resubmit, give up, remedy or review on silence, or wait. */
function onNothing<R>(s: WatchState<R>, p: WatchParams<R>, now: number): Step<R> {
  if (s.platformHolds || now >= p.deadlineAt) return out(s, wait); // rule 1, rule 4: only a verified query or the deadline
  const rs = p.resubmit;
  if (rs && s.submitted === 'unknown' && s.notFoundRun >= rs.notFoundBefore && s.sent < rs.max && now < rs.tokenValidUntil) {
    return out(s, { do: 'resubmit', why: `platform has no order after ${s.notFoundRun} queries` });
  }
  if (p.giveUp && s.submitted === 'unknown' && now >= p.giveUp.at) return out(s, { do: 'fail', reason: p.giveUp.reason });
  const rm = p.remedy;
  if (rm && !s.sawPending && s.sent < rm.max && now >= rm.graceUntil) {
    if (rm.onSilence === 'remedy') return out(s, { do: 'remedy', why: 'no cash refund after the grace period' });
    return out(s, { do: 'review', reason: `${REVIEW.nothingSeen}: nothing seen after the grace period` });
  }
  return out(s, wait);
}

/** A final failure: the refund cash part gets its remedy once (rule 6); a settlement simply finishes failed. */
function failure<R>(s: WatchState<R>, r: R, by: 'push' | 'poll', p: WatchParams<R>, now: number): Step<R> {
  const state: WatchState<R> = { ...s, candidate: undefined };
  if (!p.remedy) return out(state, { do: 'finish', result: r, by });
  if (s.sent < p.remedy.max) {
    if (now >= p.deadlineAt) return out(state, { do: 'review', reason: `${REVIEW.noFinal}: failed (by ${by}) at the deadline, no remedy after it` });
    return out({ ...state, sawPending: false }, { do: 'remedy', why: `cash refund failed (by ${by})` });
  }
  const seen = (s.failuresSinceRemedy ?? 0) + 1;
  // The first failure after our remedy may be the platform's answer from before it: ask once more.
  if (seen < 2) return out({ ...state, failuresSinceRemedy: seen }, wait);
  return out(state, { do: 'fail', reason: `${FAIL.failedAfterRemedy}: failed again after the remedy` });
}

function deadlineReason<R>(s: WatchState<R>): string {
  if (s.pushDefect) return `${REVIEW.pushUnconfirmed}: push: ${s.pushDefect}; no agreeing query by the deadline`;
  if (s.candidate || s.pushes) return `${REVIEW.pushUnconfirmed}: no query agreed with the push by the deadline`;
  return s.submitted === 'unknown' ? `${REVIEW.submitUnknown}: no result by the deadline` : `${REVIEW.noFinal}: no result by the deadline`;
}
