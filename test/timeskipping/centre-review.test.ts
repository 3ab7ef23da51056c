import { payPushSignal, resolveUpdate } from '../../workflows/messages';
import type { PayResult } from '../../protocol/pay-result';
import { useTimeSkipping, types } from './env';
import { paid } from './fake-platform';

// Issue 18, 2: an order that enters NEEDS_REVIEW asks the centre (askCentreForReview, a local activity) and
// carries its word as a CENTRE_RECORD event and the review's centre + suggestion; a person still decides.
// The centre down: a CENTRE_UNAVAILABLE event after the retries, and nothing else changes.
const ts = useTimeSkipping();

const push = (orderNo: string, r: PayResult) => ts.client.workflow.getHandle(orderNo).signal(payPushSignal, { ...r, source: 'push', receivedAt: Date.now() });

/** SE02 unknown and never found: FAILED after the token window; then a paid push: NEEDS_REVIEW LATE_RESULT_AFTER_FAILED with a setlinfo. */
async function lateResultOrder(ecToken: string, centre?: 'down') {
  const o = await ts.start({}, ecToken);
  ts.fake.script(o.ecToken, {
    se02: [{ kind: 'unknown', msgid: 'M1', reason: 'reset' }],
    se04: [{ kind: 'notFound', message: '无此订单' }],
    ...(centre ? { centre } : {}),
  });
  await ts.env.sleep('20 minutes');
  await ts.until(o.orderNo, (x) => x.status === 'FAILED');
  const callsBefore = ts.fake.names(o.ecToken);
  await push(o.orderNo, paid(o.ecToken, o.orderNo));
  return { ...o, callsBefore };
}

test('a late result goes to review: the centre is asked with ids only, its record becomes a CENTRE_RECORD event and a suggestion "resolve PAID"; the status waits for a person', async () => {
  const o = await lateResultOrder('TOK-centre-ok');
  const v = await ts.until(o.orderNo, (x) => types(x).includes('CENTRE_RECORD'));
  expect(v.status).toBe('NEEDS_REVIEW');
  expect(v.reason).toMatch(/^LATE_RESULT_AFTER_FAILED/);

  // asked once, with the ids and amounts the query and comparison need, never the person's name or ID number
  const asked = ts.fake.centreCalls(o.ecToken);
  expect(asked).toHaveLength(1);
  expect(asked[0]!.facts.setlinfo).toMatchObject({ setl_id: `SETL-${o.ecToken}`, mdtrt_id: 'MDTRT1', psn_no: 'P1', medfee_sumamt: '100.00' });
  expect(JSON.stringify(asked[0])).not.toMatch(/psn_name|certno|测试/);

  const ev = v.events.find((e) => e.type === 'CENTRE_RECORD')!;
  expect(ev.detail).toMatch(
    new RegExp(
      `^5203 msgid C-${o.ecToken}: found setl_id SETL-${o.ecToken}, medfee 10000, fund 7000, account 0, cash 3000 \\(fen\\), paid true, refunded false; agrees$`,
    ),
  );
  expect(v.review?.centre).toMatchObject({
    kind: 'answered',
    found: true,
    agrees: true,
    differences: [],
    record: { setlId: `SETL-${o.ecToken}`, medfee: 10000, cash: 3000 },
  });
  expect(v.review?.suggestion).toBe(
    `the centre holds setl_id SETL-${o.ecToken} (medfee 100.00, fund 70.00, account 0.00, cash 30.00), paid, not refunded: resolve PAID`,
  );

  // no rule resolves it: it is still NEEDS_REVIEW a day on, until a person decides
  await ts.env.sleep('1 day');
  expect((await ts.until(o.orderNo, () => true)).status).toBe('NEEDS_REVIEW');
  const r = await ts.client.workflow
    .getHandle(o.orderNo)
    .executeUpdate(resolveUpdate, { args: [{ decision: 'PAID', operator: 'finance', note: 'the centre holds it' }] });
  expect(r.status).toBe('PAID');
  expect(r.review).toBeUndefined();
});

test('the centre down: after the local retries one CENTRE_UNAVAILABLE event, no CENTRE_RECORD, no suggestion; the order stays NEEDS_REVIEW and nothing else is sent', async () => {
  const o = await lateResultOrder('TOK-centre-down', 'down');
  const v = await ts.until(o.orderNo, (x) => types(x).includes('CENTRE_UNAVAILABLE'), 30_000);
  expect(v.status).toBe('NEEDS_REVIEW');
  expect(v.reason).toMatch(/^LATE_RESULT_AFTER_FAILED/);
  expect(types(v)).not.toContain('CENTRE_RECORD');
  expect(types(v).filter((t) => t === 'CENTRE_UNAVAILABLE')).toHaveLength(1);
  expect(v.events.find((e) => e.type === 'CENTRE_UNAVAILABLE')!.detail).toMatch(/did not answer .*HTTP 503.*stays NEEDS_REVIEW/);
  expect(v.review).toEqual({ kind: 'settlement', reason: v.reason });
  // three attempts (the local activity's retries), and no other platform call than before the review
  expect(ts.fake.centreCalls(o.ecToken)).toHaveLength(3);
  expect(ts.fake.names(o.ecToken)).toEqual(o.callsBefore);
  // the workflow did not fail: a person can still resolve it
  const r = await ts.client.workflow
    .getHandle(o.orderNo)
    .executeUpdate(resolveUpdate, { args: [{ decision: 'FAILED', operator: 'finance', note: 'asked by phone' }] });
  expect(r.status).toBe('FAILED');
});
