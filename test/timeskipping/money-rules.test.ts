import type { Duration } from '@temporalio/common';
import type { PayQueryOutcome, Submit } from '../../activities/contract';
import type { PayResult } from '../../protocol/pay-result';
import { payPushSignal } from '../../workflows/messages';
import { useTimeSkipping, types } from './env';
import { paid } from './fake-platform';

// Issue 19 item 8 with the real workflow code and the real default timing: pushes, "processing" and the
// rules that move money. Each row scripts the platform (SE02 outcomes, SE04 answers, pushes delivered
// at SE02 or right after an SE04) and names the end: status, reason, and how many SE02 went out.
const ts = useTimeSkipping();

const found = (r: PayResult): PayQueryOutcome => ({ kind: 'result', result: r });
const notFound: PayQueryOutcome = { kind: 'notFound', message: '无此订单' };
const processing: PayQueryOutcome = { kind: 'processing' };
const unknownAnswer: PayQueryOutcome = { kind: 'unknown', reason: 'timeout' };
const se02Unknown: Submit = { kind: 'unknown', msgid: 'SE02-lost', reason: 'socket hang up' };
const se02Ok: Submit = { kind: 'ok', msgid: 'SE02-ok' };

type Make = (ecToken: string, orderNo: string) => PayResult;
const paidPush: Make = (e, o) => ({ ...paid(e, o), source: 'push' });
const wrongAmountPush: Make = (e, o) => ({ ...paid(e, o, { amount: '31.00' }), source: 'push' });
const failedPush: Make = (e) => ({ source: 'push', ecToken: e, payStatus: '-1', channel: 'wechat', failureText: '余额不足' });

interface Row {
  name: string;
  se02: Submit[];
  se04: Array<PayQueryOutcome | ((e: string, o: string) => PayQueryOutcome)>;
  /** pushes delivered inside SE02, or inside the SE04 call with this index (before it answers: the answer comes first) */
  pushes: Array<{ at: 'se02' | number; make: Make }>;
  skip: Duration;
  status: string;
  reason: RegExp;
  se02Calls: number;
  minSe04?: number;
}

const rows: Row[] = [
  {
    name: 'item 8: SE02 unknown, not found, a push that fails verification, not found: never a second SE02; review at the deadline',
    se02: [se02Unknown],
    se04: [notFound],
    pushes: [{ at: 0, make: wrongAmountPush }],
    skip: '2 hours',
    status: 'NEEDS_REVIEW',
    reason: /^PUSH_UNCONFIRMED: push: CASH_AMOUNT_MISMATCH/,
    se02Calls: 1,
  },
  {
    name: 'control: the same without the push: the rule sends SE02 once more, and its result is PAID',
    se02: [se02Unknown, se02Ok],
    se04: [notFound, notFound, (e, o) => found(paid(e, o))],
    pushes: [],
    skip: '1 minute',
    status: 'PAID',
    reason: /^by poll$/,
    se02Calls: 2,
  },
  {
    name: 'A1/A2: SE02 unknown, SE04 processing, then not found past the give-up time: no second SE02, no SE02_NOT_RECEIVED; review at the deadline',
    se02: [se02Unknown],
    se04: [processing, notFound],
    pushes: [],
    skip: '2 hours',
    status: 'NEEDS_REVIEW',
    reason: /^SUBMIT_OUTCOME_UNKNOWN/,
    se02Calls: 1,
  },
  {
    name: 'B: SE02 unknown, a push that fails verification, not found until the give-up time: no SE02_NOT_RECEIVED',
    se02: [se02Unknown],
    se04: [notFound],
    pushes: [{ at: 'se02', make: wrongAmountPush }],
    skip: '2 hours',
    status: 'NEEDS_REVIEW',
    reason: /^PUSH_UNCONFIRMED/,
    se02Calls: 1,
  },
  {
    name: 'a −1 push after an unknown SE02: FAILED only once two not found in a row confirm it (an unknown between resets), never a second SE02',
    se02: [se02Unknown],
    se04: [notFound, unknownAnswer, notFound, notFound],
    pushes: [{ at: 'se02', make: failedPush }],
    skip: '3 minutes',
    status: 'FAILED',
    reason: /^PAY_FAILED: 余额不足/,
    se02Calls: 1,
    minSe04: 4,
  },
  {
    name: 'C: a paid push, SE04 unknown, then a −1 push: review (PUSH_CONFLICT), the paid push is not forgotten',
    se02: [se02Ok],
    se04: [unknownAnswer],
    pushes: [
      { at: 'se02', make: paidPush },
      { at: 0, make: failedPush },
    ],
    skip: '1 minute',
    status: 'NEEDS_REVIEW',
    reason: /^PUSH_CONFLICT/,
    se02Calls: 1,
  },
];

describe('settlement: the rules that move money (scenario table)', () => {
  test.each(rows.map((r) => [r.name, r]))('%s', async (_n, row) => {
    const o = await ts.start({}, `TOK-rule-${rows.indexOf(row)}`);
    const push = async (make: Make) => ts.client.workflow.getHandle(o.orderNo).signal(payPushSignal, { ...make(o.ecToken, o.orderNo), receivedAt: Date.now() });
    const pushesAt = (at: 'se02' | number) => Promise.all(row.pushes.filter((p) => p.at === at).map((p) => push(p.make))).then(() => undefined);
    ts.fake.script(o.ecToken, {
      se02: row.se02,
      se04: row.se04.map((a) => (typeof a === 'function' ? a(o.ecToken, o.orderNo) : a)),
      onSe02: () => pushesAt('se02'),
      onSe04: (n) => pushesAt(n),
    });
    await ts.env.sleep(row.skip);
    const v = await ts.until(o.orderNo, (x) => x.status !== 'PROCESSING');
    expect({ status: v.status, reason: v.reason }).toEqual({ status: row.status, reason: expect.stringMatching(row.reason) });
    expect(ts.fake.names(o.ecToken).filter((n) => n === 'submitSe02')).toHaveLength(row.se02Calls);
    expect(types(v)).not.toContain(row.se02Calls === 1 ? 'SE02_RESUBMIT' : 'NEVER');
    if (row.minSe04) expect(ts.fake.names(o.ecToken).filter((n) => n === 'queryPayResult').length).toBeGreaterThanOrEqual(row.minSe04);
  });
});
