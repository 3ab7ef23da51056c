import { HistoryClock } from '../../workflows/clock';

// The workflows' only decision time: it moves forward on fired timers and recorded answer times only.
describe('HistoryClock', () => {
  test('starts where it is told and moves to the end of a fired timer', () => {
    const c = new HistoryClock(1_000);
    expect(c.now()).toBe(1_000);
    c.fired(1_000, 500);
    expect(c.now()).toBe(1_500);
  });

  test('an answer recorded later moves it forward; an earlier one, a missing one or garbage does not', () => {
    const c = new HistoryClock(1_000);
    c.saw(5_000);
    expect(c.now()).toBe(5_000);
    c.saw(4_000);
    c.saw(undefined);
    c.saw(Number.NaN);
    c.saw(Number.POSITIVE_INFINITY);
    expect(c.now()).toBe(5_000);
  });

  test('a timer started before a later answer does not move it back', () => {
    const c = new HistoryClock(1_000);
    const from = c.now();
    c.saw(9_000);
    c.fired(from, 500);
    expect(c.now()).toBe(9_000);
  });
});
