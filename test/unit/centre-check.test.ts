import { belongsToDay, dateRefusal, differenceKind, previousShanghaiDay, scheduleTime } from '../../common/centre-check';
import { loadConfig } from '../../common/config';
import { centreCheckSchedule } from '../../worker/centre-check-schedule';
import { batchSizeFor } from '../../workflows/centre-check';

// The daily centre check's pure rules (common/centre-check.ts): which day a run checks, which orders belong
// to a day, which dates can be asked for, what kind a difference is, and the Schedule's configuration.

const at = (iso: string) => Date.parse(iso);

test('a run checks the previous Shanghai day: 03:00 Shanghai on the 5th (19:00 UTC on the 4th) checks the 4th', () => {
  expect(previousShanghaiDay(at('2026-12-04T19:00:00Z'))).toBe('2026-12-04');
  expect(previousShanghaiDay(at('2026-12-04T15:59:59Z'))).toBe('2026-12-03'); // 23:59:59 on the 4th in Shanghai
  expect(previousShanghaiDay(at('2026-03-01T01:00:00Z'))).toBe('2026-02-28');
  expect(previousShanghaiDay(at('2027-01-01T00:00:00Z'))).toBe('2026-12-31');
});

describe('which orders belong to a day (Asia/Shanghai)', () => {
  const day = '2026-12-04'; // 2026-12-03T16:00Z .. 2026-12-04T16:00Z
  test('settled within the day; refunded within the day (the cash refund, else the insurance part)', () => {
    expect(belongsToDay({ holdsSettlement: true, settledAt: '2026-12-03T16:00:00.000Z' }, day)).toBe(true);
    expect(belongsToDay({ holdsSettlement: true, settledAt: '2026-12-03T15:59:59.999Z' }, day)).toBe(false);
    expect(belongsToDay({ holdsSettlement: true, settledAt: '2026-12-04T16:00:00.000Z' }, day)).toBe(false);
    expect(belongsToDay({ holdsSettlement: true, settledAt: '2026-12-01T08:00:00Z', refund: { insuranceRefundedAt: '2026-12-04T02:00:00Z' } }, day)).toBe(true);
    expect(
      belongsToDay(
        {
          holdsSettlement: true,
          settledAt: '2026-12-01T08:00:00Z',
          refund: { refundedAt: '2026-12-05T02:00:00Z', insuranceRefundedAt: '2026-12-04T02:00:00Z' },
        },
        day,
      ),
    ).toBe(false);
  });
  test('under review with a result of ours: the day it began; nothing of ours to compare: no day', () => {
    expect(belongsToDay({ holdsSettlement: true, startedAt: '2026-12-04T02:00:00Z' }, day)).toBe(true);
    expect(belongsToDay({ holdsSettlement: true, settledAt: '2026-12-05T02:00:00Z', startedAt: '2026-12-04T02:00:00Z' }, day)).toBe(false);
    expect(belongsToDay({ holdsSettlement: false, settledAt: '2026-12-04T02:00:00Z' }, day)).toBe(false);
  });
});

test('a date can be checked from the retention back to today; a future day or an older one is refused with the reason', () => {
  const now = at('2026-12-04T22:00:00Z'); // 06:00 on the 5th in Shanghai
  expect(dateRefusal('2026-12-05', now, 35)).toBeUndefined();
  expect(dateRefusal('2026-12-06', now, 35)).toMatch(/in the future \(today is 2026-12-05/);
  expect(dateRefusal('2026-10-31', now, 35)).toBeUndefined();
  expect(dateRefusal('2026-10-30', now, 35)).toMatch(/beyond the 35-day retention.*oldest day that can be checked is 2026-10-31/);
});

test('the kind of a difference: missing before reversed before amount before ids', () => {
  expect(differenceKind([{ field: 'found', ours: true, centre: false }])).toBe('missing');
  expect(
    differenceKind([
      { field: 'refunded', ours: false, centre: true },
      { field: 'medfee', ours: 1, centre: 2 },
    ]),
  ).toBe('reversed');
  expect(differenceKind([{ field: 'paid', ours: true, centre: false }])).toBe('reversed');
  expect(differenceKind([{ field: 'refunded', ours: true, centre: false }])).toBe('other'); // we refunded, the centre did not: not a reversal by the centre
  expect(differenceKind([{ field: 'cash', ours: 1, centre: 2 }])).toBe('amount');
  expect(differenceKind([{ field: 'setlTime', ours: 'a', centre: 'b' }])).toBe('other');
});

test('CENTRE_CHECK_AT is HH:mm (default 03:00); the rate is a positive integer (default 5); the Schedule follows them', () => {
  const c = loadConfig({});
  expect(c).toMatchObject({ CENTRE_CHECK_ENABLED: true, CENTRE_CHECK_AT: '03:00', CENTRE_CHECK_RATE_PER_SECOND: 5, CENTRE_CHECK_RETENTION_DAYS: 35 });
  for (const bad of ['3:00', '24:00', '03:60', '0300', 'noon']) expect(() => loadConfig({ CENTRE_CHECK_AT: bad })).toThrow(/CENTRE_CHECK_AT.*HH:mm/);
  expect(() => loadConfig({ CENTRE_CHECK_RATE_PER_SECOND: '0' })).toThrow(/CENTRE_CHECK_RATE_PER_SECOND/);
  expect(() => loadConfig({ CENTRE_CHECK_ENABLED: 'yes' })).toThrow(/CENTRE_CHECK_ENABLED/);
  expect(loadConfig({ CENTRE_CHECK_ENABLED: 'false' }).CENTRE_CHECK_ENABLED).toBe(false);
  expect(scheduleTime('23:05')).toEqual({ hour: 23, minute: 5 });
  const s = centreCheckSchedule(loadConfig({ TEMPORAL_TASK_QUEUE: 'q1', CENTRE_CHECK_AT: '02:15', CENTRE_CHECK_RATE_PER_SECOND: '8' }));
  expect(s).toMatchObject({
    scheduleId: 'centre-check-q1',
    spec: { calendars: [{ hour: 2, minute: 15 }], timezone: 'Asia/Shanghai' },
    action: { workflowType: 'scheduledCentreCheck', taskQueue: 'q1', args: [{ ratePerSecond: 8, reconciliation: 'export' }] },
    policies: { overlap: 'SKIP', catchupWindow: '1 day' },
  });
  expect(batchSizeFor(8)).toBe(80);
  expect(batchSizeFor(50)).toBe(100);
});
