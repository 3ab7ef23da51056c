import fc from 'fast-check';
import { decide, initialWatch, type Answer, type Decision, type Stimulus, type WatchParams, type WatchState } from '../../workflows/decide';
import { agree, DEADLINE, outcome, settlementParams, TOKEN, verify, type R } from '../helpers/decide-explorer';

// The shared push/poll decision, with the explorer's simple results ({status, amount}: 'ok' a success,
// 'bad' a failure, 'wait' in progress; amount 0 fails verification) and its settlement parameters.
const settlement = settlementParams;
const refund: WatchParams<R> = {
  confirmPush: true,
  deadlineAt: DEADLINE,
  verify,
  agree,
  outcome,
  remedy: { graceUntil: 1_800_000, max: 1, onSilence: 'remedy' },
};
const refundReview: WatchParams<R> = { ...refund, remedy: { ...refund.remedy!, onSilence: 'review' } };

const ok: R = { status: 'ok', amount: 30 };
const res = (r: R): Stimulus<R> => ({ type: 'answer', answer: { kind: 'result', result: r } });
const nf: Stimulus<R> = { type: 'answer', answer: { kind: 'notFound' } };
const unk: Stimulus<R> = { type: 'answer', answer: { kind: 'unknown', reason: 'timeout' } };
const pushOf = (r: R): Stimulus<R> => ({ type: 'push', result: r });
const processing: Stimulus<R> = { type: 'answer', answer: { kind: 'processing' } };
const bad: R = { status: 'bad', amount: 30 };
const defective: R = { status: 'ok', amount: 0 };
const accepted: Stimulus<R> = { type: 'submitted', outcome: 'accepted' };

/** Runs stimuli through decide, returning the last decision. */
function run(p: WatchParams<R>, start: WatchState<R>, steps: Array<[Stimulus<R>, number]>): Decision<R> {
  let s = start;
  let d: Decision<R> = { do: 'wait' };
  for (const [ev, now] of steps) ({ state: s, decision: d } = decide(s, ev, p, now));
  return d;
}

describe('decide: table', () => {
  const rows: Array<[string, WatchParams<R>, 'accepted' | 'unknown', Array<[Stimulus<R>, number]>, Decision<R>['do'], string?]> = [
    ['a push asks a query first', settlement, 'accepted', [[pushOf(ok), 10]], 'query'],
    [
      'an agreeing query finishes by push',
      settlement,
      'accepted',
      [
        [pushOf(ok), 10],
        [res(ok), 11],
      ],
      'finish',
    ],
    [
      'a disagreeing query is a review',
      settlement,
      'accepted',
      [
        [pushOf(ok), 10],
        [res({ status: 'ok', amount: 31 }), 11],
      ],
      'review',
      'MISMATCH',
    ],
    ['a push that fails verification asks a query at once', settlement, 'accepted', [[pushOf({ status: 'ok', amount: 0 }), 10]], 'query'],
    [
      '…and a good query then finishes by poll',
      settlement,
      'accepted',
      [
        [pushOf({ status: 'ok', amount: 0 }), 10],
        [res(ok), 11],
      ],
      'finish',
    ],
    [
      '…a bad query too is a review',
      settlement,
      'accepted',
      [
        [pushOf({ status: 'ok', amount: 0 }), 10],
        [res({ status: 'ok', amount: 0 }), 11],
      ],
      'review',
      'AMOUNT_ZERO',
    ],
    ['a timer before the deadline queries', settlement, 'accepted', [[{ type: 'timer' }, 5_000]], 'query'],
    ['a timer at the deadline reviews', settlement, 'accepted', [[{ type: 'timer' }, DEADLINE]], 'review', 'NO_FINAL_RESULT'],
    [
      'unknown SE02 at the deadline reviews as unknown',
      settlement,
      'unknown',
      [
        [unk, 10],
        [{ type: 'timer' }, DEADLINE],
      ],
      'review',
      'SUBMIT_OUTCOME_UNKNOWN',
    ],
    ['one notFound after an unknown SE02 waits', settlement, 'unknown', [[nf, 5_000]], 'wait'],
    [
      'two notFound within the token window resubmit',
      settlement,
      'unknown',
      [
        [nf, 5_000],
        [nf, 15_000],
      ],
      'resubmit',
    ],
    [
      'two notFound after the token window wait',
      settlement,
      'unknown',
      [
        [nf, 5_000],
        [nf, TOKEN],
      ],
      'wait',
    ],
    [
      'an unknown between notFound answers resets the run',
      settlement,
      'unknown',
      [
        [nf, 5_000],
        [unk, 10_000],
        [nf, 15_000],
      ],
      'wait',
    ],
    [
      'an accepted SE02 never resubmits',
      settlement,
      'accepted',
      [
        [nf, 5_000],
        [nf, 15_000],
        [nf, 45_000],
      ],
      'wait',
    ],
    ['notFound past token + grace: SE02_NOT_RECEIVED', settlement, 'unknown', [[nf, TOKEN + 600_000]], 'fail', 'SE02_NOT_RECEIVED'],
    ['an accepted SE02 never gives up before the deadline', settlement, 'accepted', [[nf, TOKEN + 600_000]], 'wait'],
    [
      'a failure push confirmed by notFound finishes failed',
      settlement,
      'accepted',
      [
        [pushOf({ status: 'bad', amount: 1 }), 10],
        [nf, 11],
      ],
      'finish',
    ],
    [
      'a failure push contradicted by a paid query is a review',
      settlement,
      'accepted',
      [
        [pushOf({ status: 'bad', amount: 30 }), 10],
        [res(ok), 11],
      ],
      'review',
    ],
    ['refund: SE06 0 waits', refund, 'accepted', [[res({ status: 'wait', amount: 30 }), 5_000]], 'wait'],
    [
      'refund: SE06 0 past the grace still waits (never SE07 while in progress)',
      refund,
      'accepted',
      [
        [res({ status: 'wait', amount: 30 }), 5_000],
        [nf, 2_000_000],
      ],
      'wait',
    ],
    ['refund: SE06 -1 sends the remedy', refund, 'accepted', [[res({ status: 'bad', amount: 30 }), 5_000]], 'remedy'],
    ['refund: notFound before the grace waits', refund, 'accepted', [[nf, 5_000]], 'wait'],
    ['refund (CASH_REFUND_SILENCE=remedy): notFound after the grace sends the remedy', refund, 'accepted', [[nf, 1_800_000]], 'remedy'],
    ['refund (default): notFound after the grace is a review, never SE07 on silence', refundReview, 'accepted', [[nf, 1_800_000]], 'review', 'NOTHING_SEEN'],
    [
      'refund: the first -1 after the remedy is asked again (it may predate SE07)',
      refund,
      'accepted',
      [
        [res(bad), 5_000],
        [accepted, 5_001],
        [res(bad), 10_000],
      ],
      'wait',
    ],
    [
      'refund: -1 twice after the remedy fails',
      refund,
      'accepted',
      [
        [res(bad), 5_000],
        [accepted, 5_001],
        [res(bad), 10_000],
        [res(bad), 20_000],
      ],
      'fail',
      'FAILED_AFTER_REMEDY',
    ],
    [
      'refund: a refused remedy fails',
      refund,
      'accepted',
      [
        [res(bad), 5_000],
        [{ type: 'submitted', outcome: 'refused', message: 'no' }, 5_001],
      ],
      'fail',
      'REMEDY_REFUSED',
    ],
    // issue 19 item 8: pushes, "processing" and the rules that move money
    [
      'item 8: not found, a push failing verification, not found: no second SE02',
      settlement,
      'unknown',
      [
        [nf, 5_000],
        [pushOf(defective), 6_000],
        [nf, 6_001],
        [nf, 15_000],
      ],
      'wait',
    ],
    [
      'A1: processing, then not found at the give-up time: no SE02_NOT_RECEIVED',
      settlement,
      'unknown',
      [
        [processing, 5_000],
        [nf, TOKEN + 600_000],
      ],
      'wait',
    ],
    [
      'A1: …and review at the deadline',
      settlement,
      'unknown',
      [
        [processing, 5_000],
        [nf, TOKEN + 600_000],
        [{ type: 'timer' }, DEADLINE],
      ],
      'review',
      'SUBMIT_OUTCOME_UNKNOWN',
    ],
    [
      'A2: processing, then not found twice: no second SE02',
      settlement,
      'unknown',
      [
        [processing, 5_000],
        [nf, 10_000],
        [nf, 20_000],
      ],
      'wait',
    ],
    [
      'B: a push failing verification, then not found until the give-up time: no SE02_NOT_RECEIVED',
      settlement,
      'unknown',
      [
        [pushOf(defective), 5_000],
        [nf, 5_001],
        [nf, TOKEN + 600_000],
      ],
      'wait',
    ],
    [
      'B: …and review at the deadline, naming the push',
      settlement,
      'unknown',
      [
        [pushOf(defective), 5_000],
        [nf, 5_001],
        [{ type: 'timer' }, DEADLINE],
      ],
      'review',
      'PUSH_UNCONFIRMED',
    ],
    [
      'C: a paid push, unknown, a -1 push: review, the paid push is not forgotten',
      settlement,
      'accepted',
      [
        [pushOf(ok), 5_000],
        [unk, 5_001],
        [pushOf(bad), 6_000],
      ],
      'review',
      'PUSH_CONFLICT',
    ],
    [
      'C (refund): refundStatus 1 pushed, unknown, -1 pushed: review, no SE07',
      refund,
      'accepted',
      [
        [pushOf(ok), 5_000],
        [unk, 5_001],
        [pushOf(bad), 6_000],
      ],
      'review',
      'PUSH_CONFLICT',
    ],
    [
      'D: a refund push failing verification, then not found past the grace: no SE07',
      refund,
      'accepted',
      [
        [pushOf(defective), 5_000],
        [nf, 5_001],
        [nf, 1_800_000],
      ],
      'wait',
    ],
    [
      'a -1 push answered at the deadline: review, no remedy after the deadline',
      refund,
      'accepted',
      [
        [pushOf(bad), DEADLINE - 1],
        [res(bad), DEADLINE],
      ],
      'review',
      'NO_FINAL_RESULT',
    ],
    [
      'processing cancels a -1 push: a later not found decides nothing',
      settlement,
      'accepted',
      [
        [pushOf(bad), 5_000],
        [processing, 5_001],
        [nf, 10_000],
      ],
      'wait',
    ],
    [
      'a forged -1 push after an unknown SE02: the first not found does not fail the order',
      settlement,
      'unknown',
      [
        [pushOf(bad), 5_000],
        [nf, 5_001],
      ],
      'wait',
    ],
    [
      '…a second not found in a row does (the rule has decided; the push forbids a second SE02)',
      settlement,
      'unknown',
      [
        [pushOf(bad), 5_000],
        [nf, 5_001],
        [nf, 15_000],
      ],
      'finish',
    ],
    [
      '…an unknown answer between them resets the run',
      settlement,
      'unknown',
      [
        [pushOf(bad), 5_000],
        [nf, 5_001],
        [unk, 10_000],
        [nf, 15_000],
      ],
      'wait',
    ],
    [
      'the same push twice is no conflict',
      settlement,
      'accepted',
      [
        [pushOf(ok), 5_000],
        [unk, 5_001],
        [pushOf(ok), 6_000],
        [res(ok), 6_001],
      ],
      'finish',
    ],
    ['refund: success by poll', refund, 'accepted', [[res(ok), 5_000]], 'finish'],
  ];
  test.each(rows.map((r) => [r[0], r]))('%s', (_name, [, p, submitted, steps, expected, reason]) => {
    const d = run(p, initialWatch<R>(submitted), steps);
    expect(d.do).toBe(expected);
    if (reason) expect((d as { reason: string }).reason).toContain(reason);
  });
});

// ---- properties over random sequences of pushes, answers, timers and submit outcomes ----
const rArb = fc.record({ status: fc.constantFrom<R['status']>('ok', 'bad', 'wait'), amount: fc.constantFrom(0, 30, 31) });
const answerArb: fc.Arbitrary<Answer<R>> = fc.oneof(
  rArb.map((result) => ({ kind: 'result' as const, result })),
  fc.constant({ kind: 'processing' as const }),
  fc.constant({ kind: 'notFound' as const }),
  fc.constant({ kind: 'unknown' as const, reason: 'x' }),
);
const stimArb: fc.Arbitrary<Stimulus<R>> = fc.oneof(
  rArb.map((result) => ({ type: 'push' as const, result })),
  answerArb.map((answer) => ({ type: 'answer' as const, answer })),
  fc.constant({ type: 'timer' as const }),
  fc.constantFrom<'accepted' | 'unknown' | 'refused'>('accepted', 'unknown', 'refused').map((outcome) => ({ type: 'submitted' as const, outcome })),
);
const scenario = fc.tuple(
  fc.constantFrom<'accepted' | 'unknown'>('accepted', 'unknown'),
  fc.array(fc.tuple(stimArb, fc.integer({ min: 0, max: 9_000_000 })), { maxLength: 40 }),
);

interface Trace {
  ev: Stimulus<R>;
  d: Decision<R>;
  before: WatchState<R>;
  now: number;
}
function trace(p: WatchParams<R>, submitted: 'accepted' | 'unknown', steps: Array<[Stimulus<R>, number]>): Trace[] {
  let s = initialWatch<R>(submitted);
  const out: Trace[] = [];
  let t = 0;
  for (const [ev, dt] of steps) {
    t += dt % 600_000; // time only moves forward
    const r = decide(s, ev, p, t);
    out.push({ ev, d: r.decision, before: s, now: t });
    s = r.state;
    if (['finish', 'fail', 'review'].includes(r.decision.do)) break;
  }
  return out;
}

describe('decide: properties', () => {
  test('never a success without an agreeing query answer (confirmPush)', () => {
    fc.assert(
      fc.property(scenario, ([submitted, steps]) => {
        for (const { ev, d, before } of trace(settlement, submitted, steps)) {
          if (d.do === 'finish' && outcome(d.result) === 'success') {
            expect(ev.type).toBe('answer');
            const a = (ev as { answer: Answer<R> }).answer;
            expect(a.kind).toBe('result');
            const answered = (a as { result: R }).result;
            expect(verify(answered)).toBeUndefined();
            expect(outcome(answered)).toBe('success');
            if (d.by === 'push') expect(agree(before.candidate!, answered)).toBeUndefined();
          }
        }
      }),
      { numRuns: 3000 },
    );
  });

  test('never a second SE02 outside the rule: unknown outcome, enough notFound in a row, token valid, at most max', () => {
    fc.assert(
      fc.property(scenario, ([submitted, steps]) => {
        let resubmits = 0;
        for (const { ev, d, before, now } of trace(settlement, submitted, steps)) {
          if (d.do !== 'resubmit') continue;
          resubmits += 1;
          expect(before.submitted).toBe('unknown');
          expect(ev).toEqual({ type: 'answer', answer: { kind: 'notFound' } });
          expect(before.notFoundRun + 1).toBeGreaterThanOrEqual(settlement.resubmit!.notFoundBefore);
          expect(now).toBeLessThan(TOKEN);
          expect(before.candidate).toBeUndefined();
          expect(before.platformHolds).toBeFalsy();
        }
        expect(resubmits).toBeLessThanOrEqual(settlement.resubmit!.max);
      }),
      { numRuns: 3000 },
    );
  });

  test('never SE07 while the platform says the cash refund is in progress or done', () => {
    fc.assert(
      fc.property(scenario, ([, steps]) => {
        let inProgress = false;
        for (const { ev, d } of trace(refund, 'accepted', steps)) {
          const answered = ev.type === 'answer' && ev.answer.kind === 'result' ? ev.answer.result : ev.type === 'push' ? ev.result : undefined;
          if (answered && verify(answered) === undefined && answered.status === 'wait') inProgress = true;
          if (answered && verify(answered) === undefined && answered.status === 'bad') inProgress = false; // the platform's later word: failed
          if (ev.type === 'submitted') inProgress = false;
          if (d.do === 'remedy') {
            const failed = answered?.status === 'bad' || (ev.type === 'answer' && ev.answer.kind !== 'result');
            expect(failed).toBe(true);
            if (!(answered?.status === 'bad')) expect(inProgress).toBe(false);
          }
        }
      }),
      { numRuns: 3000 },
    );
  });

  test('a settlement never remedies and a refund never resubmits; nothing happens after a final decision', () => {
    fc.assert(
      fc.property(scenario, ([submitted, steps]) => {
        const s = trace(settlement, submitted, steps);
        const r = trace(refund, 'accepted', steps);
        expect(s.some((x) => x.d.do === 'remedy')).toBe(false);
        expect(r.some((x) => x.d.do === 'resubmit')).toBe(false);
        for (const t of [s, r]) t.slice(0, -1).forEach((x) => expect(['finish', 'fail', 'review']).not.toContain(x.d.do));
      }),
      { numRuns: 2000 },
    );
  });
});
