import { decide } from '../../workflows/decide';
import { decideV1 } from '../../workflows/decide-v1';
import { describeStep, explore, refundFlow, settlementFlow, type DecideFn, type Flow } from '../helpers/decide-explorer';

// Every sequence watch() can feed decide(), up to a depth, checked against the rules that move money
// (test/helpers/decide-explorer.ts). A violation prints its shortest sequence.
const flows: Flow[] = [settlementFlow('unknown'), settlementFlow('accepted'), refundFlow('review'), refundFlow('remedy')];

function report(fn: DecideFn, f: Flow, depth: number): { histories: number; broken: Record<string, string[]> } {
  const { histories, violations } = explore(fn, f, depth);
  return { histories, broken: Object.fromEntries([...violations].map(([rule, h]) => [rule, h.map(describeStep)])) };
}

describe('decide: bounded explorer, every sequence up to 8 stimuli', () => {
  test.each(flows.map((f) => [f.name, f]))('%s keeps every rule', (_n, f) => {
    const { histories, broken } = report(decide, f, 8);
    expect(histories).toBeGreaterThan(500_000);
    expect(broken).toEqual({});
  });
});

// The same explorer against the decision as it was before issue 19 item 8 (frozen in decide-v1.ts
// for replay): it finds each case the issue lists.
describe('decide: the explorer finds the cases of issue 19 in decide-v1', () => {
  test('settlement after an unknown SE02: a second SE02 after a push (item 8), A1/A2/B, C, a −1 push pre-empting the rule, processing not cancelling a −1 push', () => {
    const { broken } = report(decideV1, settlementFlow('unknown'), 6);
    expect(Object.keys(broken).sort()).toEqual(
      [
        'a second SE02 only by the rule (unknown, not found twice in a row, no sign, token valid, once)',
        'SE02_NOT_RECEIVED only when nothing ever showed the order',
        'pushes that contradict each other go to review',
        'a pushed failure after an unknown SE02 is concluded only once the rule would have',
        'an in-progress word cancels a pushed failure',
      ].sort(),
    );
    // the item-8 sequence itself: not found, a push that fails verification, not found → SE02 again
    expect(broken['a second SE02 only by the rule (unknown, not found twice in a row, no sign, token valid, once)']?.at(-1)).toMatch(
      /answer\(notFound\).*→ resubmit/,
    );
  });
  test.each([refundFlow('review'), refundFlow('remedy')].map((f) => [f.name, f]))(
    '%s: D (SE07 after a push), C, a remedy after the deadline, a −1 that may predate SE07',
    (_n, f) => {
      const { broken } = report(decideV1, f, 6);
      expect(Object.keys(broken).sort()).toEqual(
        [
          'SE07 only on a failure, or on silence when allowed',
          'pushes that contradict each other go to review',
          'nothing that moves money at or after the deadline',
          'a failure after SE07 is final only when asked again',
        ].sort(),
      );
    },
  );
});
