import type { Answer, Decision, Outcome, Stimulus, WatchParams, WatchState } from '../../workflows/decide';
import { initialWatch } from '../../workflows/decide';

// A bounded explorer of decide(): every sequence of stimuli that watch() can feed it (a push or a
// timer while waiting, an answer after a query, a submit outcome after a resubmit/remedy), up to a
// depth, with time jumping across each threshold. The README's rules are checked as invariants over
// the history itself (facts counted from the stimuli, never from decide's own state), and the
// shortest violating sequence of each rule is reported.

/** Results: 'ok' success, 'bad' failure, 'wait' in progress; amount 0 fails verification. */
export interface R {
  status: 'ok' | 'bad' | 'wait';
  amount: number;
}
export const verify = (r: R) => (r.amount === 0 ? 'AMOUNT_ZERO' : undefined);
export const agree = (a: R, b: R) => (a.status !== b.status || a.amount !== b.amount ? 'MISMATCH' : undefined);
export const outcome = (r: R): Outcome => (r.status === 'ok' ? 'success' : r.status === 'bad' ? 'failure' : 'pending');

export const DEADLINE = 7_200_000;
export const TOKEN = 300_000;
export const GIVE_UP = TOKEN + 600_000;
export const GRACE = 1_800_000;

export const settlementParams: WatchParams<R> = {
  confirmPush: true,
  deadlineAt: DEADLINE,
  verify,
  agree,
  outcome,
  resubmit: { notFoundBefore: 2, max: 1, tokenValidUntil: TOKEN },
  giveUp: { at: GIVE_UP, reason: 'SE02_NOT_RECEIVED' },
};
export const refundParams = (onSilence: 'review' | 'remedy'): WatchParams<R> => ({
  confirmPush: true,
  deadlineAt: DEADLINE,
  verify,
  agree,
  outcome,
  remedy: { graceUntil: GRACE, max: 1, onSilence },
});

export type DecideFn = (s: WatchState<R>, ev: Stimulus<R>, p: WatchParams<R>, now: number) => { state: WatchState<R>; decision: Decision<R> };

export interface Step {
  ev: Stimulus<R>;
  now: number;
  d: Decision<R>;
}

export interface Flow {
  name: string;
  params: WatchParams<R>;
  submitted: 'accepted' | 'unknown';
  /** Times to jump to: each threshold the params have, in order. */
  levels: number[];
  results: R[];
  rules: Rule[];
}

/** A rule: undefined when the last step of the history keeps it, else why not. */
export type Rule = { name: string; check(h: Step[], f: Flow): string | undefined };

const OK: R = { status: 'ok', amount: 30 };
const OK_OTHER: R = { status: 'ok', amount: 31 };
const BAD: R = { status: 'bad', amount: 30 };
const DEFECT: R = { status: 'ok', amount: 0 };
const WAIT: R = { status: 'wait', amount: 30 };

export function describeStep(s: Step): string {
  const t = `@${s.now / 1000}s`;
  const r = (x: R) => `${x.status}${x.amount}`;
  const ev = s.ev;
  const what =
    ev.type === 'push'
      ? `push(${r(ev.result)})`
      : ev.type === 'timer'
        ? 'timer'
        : ev.type === 'submitted'
          ? `submitted(${ev.outcome})`
          : ev.answer.kind === 'result'
            ? `answer(${r(ev.answer.result)})`
            : `answer(${ev.answer.kind})`;
  return `${what}${t} → ${s.d.do}${'reason' in s.d ? ` ${s.d.reason}` : ''}`;
}

/** Every history up to `depth` stimuli; the shortest violation of each rule. */
export function explore(decide: DecideFn, f: Flow, depth: number): { histories: number; violations: Map<string, Step[]> } {
  const violations = new Map<string, Step[]>();
  let histories = 0;
  const answers: Answer<R>[] = [
    ...f.results.map((result) => ({ kind: 'result' as const, result })),
    { kind: 'processing' },
    { kind: 'notFound' },
    { kind: 'unknown', reason: 'timeout' },
  ];
  const visit = (state: WatchState<R>, d: Decision<R>, h: Step[], level: number, tick: number) => {
    histories += 1;
    if (h.length === depth || ['finish', 'fail', 'review'].includes(d.do)) return;
    const next: Array<[Stimulus<R>, number]> = [];
    const times = [level, ...(level + 1 < f.levels.length ? [level + 1] : [])];
    if (d.do === 'wait')
      for (const l of times)
        for (const ev of [...f.results.map((result) => ({ type: 'push' as const, result })), { type: 'timer' as const }]) next.push([ev, l]);
    if (d.do === 'query') for (const answer of answers) next.push([{ type: 'answer', answer }, level]);
    if (d.do === 'resubmit' || d.do === 'remedy')
      for (const o of ['accepted', 'unknown', 'refused'] as const) next.push([{ type: 'submitted', outcome: o, message: 'no' }, level]);
    for (const [ev, l] of next) {
      const now = f.levels[l]! + (l === level ? tick + 1 : 0);
      const r = decide(state, ev, f.params, now);
      const hist = [...h, { ev, now, d: r.decision }];
      for (const rule of f.rules) {
        if (rule.check(hist, f) === undefined) continue;
        const seen = violations.get(rule.name);
        if (!seen || seen.length > hist.length) violations.set(rule.name, hist);
      }
      visit(r.state, r.decision, hist, l, l === level ? tick + 1 : 0);
    }
  };
  visit(initialWatch<R>(f.submitted), { do: 'wait' }, [], 0, 0);
  return { histories, violations };
}

// ---- facts counted from the history ----
const isPush = (s: Step) => s.ev.type === 'push';
const answerOf = (s: Step) => (s.ev.type === 'answer' ? s.ev.answer : undefined);
const resultOf = (s: Step) => (s.ev.type === 'push' ? s.ev.result : s.ev.type === 'answer' && s.ev.answer.kind === 'result' ? s.ev.answer.result : undefined);
/** The platform showed that it holds the request: any push, a processing answer, any result answer. */
const signOf = (s: Step) => isPush(s) || answerOf(s)?.kind === 'processing' || answerOf(s)?.kind === 'result';
const accepted = (h: Step[], f: Flow) => f.submitted === 'accepted' || h.some((s) => s.ev.type === 'submitted' && s.ev.outcome === 'accepted');
/** "Not found" answers in a row at the end of the history. */
function notFoundRun(h: Step[]): number {
  let n = 0;
  for (let i = h.length - 1; i >= 0; i--) {
    const a = answerOf(h[i]!);
    if (h[i]!.ev.type === 'submitted' || (a && a.kind !== 'notFound')) break;
    if (a?.kind === 'notFound') n += 1;
  }
  return n;
}
/**
 * Two verified final pushes that disagree, with no in-progress word or submission between them. A
 * failure seen after our own remedy may predate it (rule 6), so it does not stand against a later success.
 */
function conflictingPushes(h: Step[]): boolean {
  let standing: R | undefined;
  let afterRemedy = false;
  for (const s of h) {
    const r = resultOf(s);
    if (s.ev.type === 'submitted' || answerOf(s)?.kind === 'processing' || (r && verify(r) === undefined && outcome(r) === 'pending')) standing = undefined;
    if (s.ev.type === 'submitted') afterRemedy = true;
    if (!isPush(s) || !r || verify(r) || outcome(r) === 'pending') continue;
    if (afterRemedy && outcome(r) === 'failure') continue;
    if (standing && agree(standing, r)) return true;
    standing = r;
  }
  return false;
}
const last = (h: Step[]) => h[h.length - 1]!;
const nowOf = (h: Step[]) => last(h).now;
const moved = (d: Decision<R>) => d.do === 'resubmit' || d.do === 'remedy';
const ended = (d: Decision<R>) => d.do === 'finish' || d.do === 'fail';
const reasonOf = (d: Decision<R>) => ('reason' in d ? d.reason : '');

export const commonRules: Rule[] = [
  { name: 'nothing that moves money at or after the deadline', check: (h) => (moved(last(h).d) && nowOf(h) >= DEADLINE ? 'sent at the deadline' : undefined) },
  {
    name: 'pushes that contradict each other go to review',
    check: (h) => (ended(last(h).d) && conflictingPushes(h) ? 'ended after contradicting pushes' : undefined),
  },
  {
    name: 'a success only on an agreeing verified query',
    check: (h) => {
      const d = last(h).d;
      if (d.do !== 'finish' || outcome(d.result) !== 'success') return undefined;
      const a = answerOf(last(h));
      return a?.kind === 'result' && verify(a.result) === undefined && outcome(a.result) === 'success' && agree(a.result, d.result) === undefined
        ? undefined
        : 'success without an agreeing query';
    },
  },
];

export const settlementRules: Rule[] = [
  ...commonRules,
  {
    name: 'a second SE02 only by the rule (unknown, not found twice in a row, no sign, token valid, once)',
    check: (h, f) => {
      if (last(h).d.do !== 'resubmit') return undefined;
      const rs = f.params.resubmit!;
      if (accepted(h, f)) return 'after an accepted SE02';
      if (h.some(signOf)) return 'after a sign that the platform holds the order';
      if (notFoundRun(h) < rs.notFoundBefore) return 'without enough not found in a row';
      if (nowOf(h) >= rs.tokenValidUntil) return 'after the token';
      if (h.filter((s) => s.d.do === 'resubmit').length > rs.max) return 'more than max';
      return undefined;
    },
  },
  {
    name: 'SE02_NOT_RECEIVED only when nothing ever showed the order',
    check: (h, f) => {
      const d = last(h).d;
      if (d.do !== 'fail' || !reasonOf(d).startsWith('SE02_NOT_RECEIVED')) return undefined;
      if (accepted(h, f) || h.some(signOf)) return 'after the platform showed the order';
      return nowOf(h) >= GIVE_UP && answerOf(last(h))?.kind === 'notFound' ? undefined : 'early';
    },
  },
  {
    name: 'a pushed failure after an unknown SE02 is concluded only once the rule would have',
    check: (h, f) => {
      const d = last(h).d;
      if (d.do !== 'finish' || d.by !== 'push' || outcome(d.result) !== 'failure' || accepted(h, f)) return undefined;
      const a = answerOf(last(h));
      if (a?.kind === 'result' && verify(a.result) === undefined && outcome(a.result) === 'failure') return undefined; // the platform's own word
      return notFoundRun(h) >= f.params.resubmit!.notFoundBefore ? undefined : 'failed on the first not found';
    },
  },
  {
    name: 'an in-progress word cancels a pushed failure',
    check: (h) => {
      const d = last(h).d;
      return d.do === 'finish' && outcome(d.result) === 'failure' && lastWord(h) !== 'failed' ? `failed on ${lastWord(h) ?? 'nothing'}` : undefined;
    },
  },
];

/** The last word on the cash refund (verified results, in-progress answers), for the remedy rules. */
function lastWord(h: Step[]): 'failed' | 'pending' | 'done' | undefined {
  let w: 'failed' | 'pending' | 'done' | undefined;
  for (const s of h) {
    if (s.ev.type === 'submitted') w = undefined;
    if (answerOf(s)?.kind === 'processing') w = 'pending';
    const r = resultOf(s);
    if (r && verify(r) === undefined) w = outcome(r) === 'failure' ? 'failed' : outcome(r) === 'pending' ? 'pending' : 'done';
  }
  return w;
}
const silence = (h: Step[]) => !h.some(signOf) && nowOf(h) >= GRACE;

export const refundRules: Rule[] = [
  ...commonRules,
  {
    name: 'SE07 only on a failure, or on silence when allowed',
    check: (h, f) => {
      if (last(h).d.do !== 'remedy') return undefined;
      if (h.filter((s) => s.d.do === 'remedy').length > f.params.remedy!.max) return 'more than max';
      if (lastWord(h) === 'failed') return undefined;
      if (f.params.remedy!.onSilence === 'remedy' && silence(h)) return undefined;
      return `on ${lastWord(h) ?? 'silence'}`;
    },
  },
  {
    name: 'silence goes to review only when nothing showed',
    check: (h) => (reasonOf(last(h).d).startsWith('NOTHING_SEEN') && !silence(h) ? 'after a sign' : undefined),
  },
  {
    name: 'a failure after SE07 is final only when asked again',
    check: (h) => {
      const d = last(h).d;
      if (d.do !== 'fail' || !/FAILED_AFTER_REMEDY|CASH_REFUND_FAILED/.test(reasonOf(d))) return undefined;
      const lastRemedy = h.map((s) => s.ev.type).lastIndexOf('submitted');
      const since = h.slice(lastRemedy + 1);
      return since.filter((s) => answerOf(s) !== undefined).length >= 2 ? undefined : 'on the first answer after the remedy';
    },
  },
];

export const settlementFlow = (submitted: 'accepted' | 'unknown'): Flow => ({
  name: `settlement (SE02 ${submitted})`,
  params: settlementParams,
  submitted,
  levels: [5_000, TOKEN, GIVE_UP, DEADLINE],
  results: [OK, OK_OTHER, BAD, DEFECT],
  rules: settlementRules,
});
export const refundFlow = (onSilence: 'review' | 'remedy'): Flow => ({
  name: `refund (silence: ${onSilence})`,
  params: refundParams(onSilence),
  submitted: 'accepted',
  levels: [5_000, GRACE, DEADLINE],
  results: [OK, BAD, DEFECT, WAIT],
  rules: refundRules,
});
