import type { Duration } from '@temporalio/common';
import { awaitOutcomeUpdate, payPushSignal, resolveUpdate, type SettlementView } from '../../workflows/messages';
import { DAY, elapsed, useTimeSkipping, types } from './env';
import { paid } from './fake-platform';
import type { PayResult } from '../../protocol/pay-result';

// Settlement scenarios that need more than one row of the matrix (scenarios.test.ts) says: schedules and
// elapsed times, the history clock, late results, the view's fields and what SE02 carries. Real default
// timing (DEFAULT_TIMING), on the time-skipping server.
// seconds of wall time each on an idle machine; generous limits for a loaded one
const ts = useTimeSkipping();

const push = (orderNo: string, r: PayResult) => ts.client.workflow.getHandle(orderNo).signal(payPushSignal, { ...r, source: 'push', receivedAt: Date.now() });
const found = (r: PayResult) => ({ kind: 'result' as const, result: r });
const notFound = { kind: 'notFound' as const, message: '无此订单' };
const unknown = { kind: 'unknown' as const, reason: 'timeout' };
const calls = (ecToken: string, name: string) => ts.fake.names(ecToken).filter((n) => n === name).length;
/** Skips `skip` of workflow time, then the view once the settlement has left PROCESSING. */
const decided = async (orderNo: string, skip: Duration = '10 seconds') => {
  await ts.env.sleep(skip);
  return ts.until(orderNo, (x) => x.status !== 'PROCESSING');
};
const answeredAt = (v: SettlementView) => v.events.filter((e) => e.type === 'POLL_ANSWERED' || e.type === 'POLL_FAILED').map((e) => Date.parse(e.at));

describe('settlement: results', () => {
  test('push confirmed by SE04: PAID by push; the order then stays open 30 days for refunds', async () => {
    const o = await ts.start({}, 'TOK-push');
    ts.fake.script(o.ecToken, { onSe02: () => push(o.orderNo, paid(o.ecToken, o.orderNo)), se04: [found(paid(o.ecToken, o.orderNo))] });
    const t0 = await ts.env.currentTimeMs();
    const v = await o.handle.result();
    expect(v.status).toBe('PAID');
    expect(v.reason).toBe('by push');
    expect(ts.fake.names(o.ecToken)).toEqual(['queryAccount', 'queryPersonInfo', 'submitSe02', 'queryPayResult']);
    expect(types(v)).toEqual(expect.arrayContaining(['ROUTED', 'PERSON_INFO', 'SE02_RECEIVED', 'PUSH_RECEIVED', 'POLL_ANSWERED', 'STATUS_PAID']));
    expect((await ts.env.currentTimeMs()) - t0).toBeGreaterThanOrEqual(30 * DAY);
    expect(v.step).toBe('CLOSED');
  });

  test('no push: SE04 on the schedule (5 s, 10 s, 30 s…) until it answers; PAID by poll', async () => {
    const o = await ts.start({}, 'TOK-poll');
    ts.fake.script(o.ecToken, { se04: [notFound, { kind: 'processing' }, unknown, found(paid(o.ecToken, o.orderNo))] });
    const v = await decided(o.orderNo, '2 minutes');
    expect(v.status).toBe('PAID');
    expect(v.reason).toBe('by poll');
    const at = answeredAt(v);
    const gaps = at.map((t, i) => t - (i ? at[i - 1]! : Date.parse(v.events.find((e) => e.type === 'SE02_RECEIVED')!.at)));
    expect(gaps.map((g) => Math.round(g / 1000))).toEqual([5, 10, 30, 60]);
    expect(calls(o.ecToken, 'submitSe02')).toBe(1); // an accepted SE02 is never sent again
  });

  test('ybpay: no cash part', async () => {
    const o = await ts.start({}, 'TOK-ybpay');
    const r = paid(
      o.ecToken,
      o.orderNo,
      { channel: 'ybpay', amount: undefined, thirdOrderNo: undefined, tradeNo: undefined },
      { psn_cash_pay: '0.00', psn_part_amt: '30.00', acct_pay: '30.00' },
    );
    ts.fake.script(o.ecToken, { onSe02: () => push(o.orderNo, r), se04: [found(r)] });
    // the long-poll Update the API's ?wait= uses: the test server supports Updates
    const v = await ts.client.workflow.getHandle(o.orderNo).executeUpdate(awaitOutcomeUpdate);
    expect(v.status).toBe('PAID');
    expect(v.channel).toBe('ybpay');
  });

  test('a pushed payStatus -1, with SE04 showing no order: FAILED PAY_FAILED, and the workflow closes', async () => {
    const o = await ts.start({}, 'TOK-payfail');
    const failed: PayResult = { source: 'push', ecToken: o.ecToken, payStatus: '-1', channel: 'wechat', failureText: '余额不足' };
    ts.fake.script(o.ecToken, { onSe02: () => push(o.orderNo, failed), se04: [notFound] });
    const v = await o.handle.result();
    expect(v.status).toBe('FAILED');
    expect(v.reason).toMatch(/^PAY_FAILED: 余额不足/);
  });

  test('a push that fails verification asks SE04 at once; a correct SE04 answer decides (PAID by poll)', async () => {
    const o = await ts.start({}, 'TOK-badpush-ok');
    ts.fake.script(o.ecToken, { onSe02: () => push(o.orderNo, paid(o.ecToken, o.orderNo, { amount: '31.00' })), se04: [found(paid(o.ecToken, o.orderNo))] });
    const v = await decided(o.orderNo);
    expect(v.status).toBe('PAID');
    expect(v.reason).toBe('by poll');
    expect(v.amount).toBe('30.00');
    expect(answeredAt(v)[0]! - Date.parse(v.events.find((e) => e.type === 'PUSH_RECEIVED')!.at)).toBeLessThan(1000);
  });

  test('a push that fails verification, and SE04 disagrees too: NEEDS_REVIEW, never PAID', async () => {
    const o = await ts.start({}, 'TOK-badpush-bad');
    const wrong = paid(o.ecToken, o.orderNo, { amount: '31.00' });
    ts.fake.script(o.ecToken, { onSe02: () => push(o.orderNo, wrong), se04: [found(wrong)] });
    const v = await decided(o.orderNo);
    expect(v.status).toBe('NEEDS_REVIEW');
    expect(v.reason).toMatch(/^query: CASH_AMOUNT_MISMATCH.*push: CASH_AMOUNT_MISMATCH/);
    expect(v.review?.kind).toBe('settlement');
  });

  test('a push that fails verification, and SE04 never answers: NEEDS_REVIEW at the 2 h deadline', async () => {
    const o = await ts.start({}, 'TOK-badpush-silent');
    ts.fake.script(o.ecToken, { onSe02: () => push(o.orderNo, paid(o.ecToken, o.orderNo, { amount: '31.00' })), se04: [unknown] });
    const v = await decided(o.orderNo, '2 hours');
    expect(v.status).toBe('NEEDS_REVIEW');
    expect(v.reason).toMatch(/^PUSH_UNCONFIRMED: push: CASH_AMOUNT_MISMATCH/);
    expect(elapsed(v, 'SE02_RECEIVED', 'STATUS_NEEDS_REVIEW')).toBeGreaterThanOrEqual(2 * 60 * 60_000 - 1000);
  });

  test('the deadline is read on the history clock: an SE04 answer recorded after it ends the wait at once (workflows/clock.ts)', async () => {
    const o = await ts.start({}, 'TOK-clock');
    const t0 = await ts.env.currentTimeMs();
    // the activity's recorded wall time is 3 h on: past the 2 h deadline, whatever the timers say
    ts.fake.script(o.ecToken, { se04: [{ kind: 'processing', at: t0 + 3 * 60 * 60_000 }] });
    const v = await decided(o.orderNo, '10 seconds');
    expect(v.status).toBe('NEEDS_REVIEW');
    expect(v.reason).toMatch(/^NO_FINAL_RESULT/);
    expect(calls(o.ecToken, 'queryPayResult')).toBe(1);
    expect((await ts.env.currentTimeMs()) - t0).toBeLessThan(60_000);
  });

  test('duplicate pushes and a late failure push after PAID are recorded and change nothing', async () => {
    const o = await ts.start({}, 'TOK-dup');
    const r = paid(o.ecToken, o.orderNo);
    ts.fake.script(o.ecToken, {
      onSe02: async () => Promise.all([push(o.orderNo, r), push(o.orderNo, r), push(o.orderNo, r)]).then(() => undefined),
      se04: [found(r)],
    });
    await ts.until(o.orderNo, (x) => x.status === 'PAID');
    await push(o.orderNo, { source: 'push', ecToken: o.ecToken, payStatus: '-1', channel: 'ybpay' });
    const v = await ts.until(o.orderNo, (x) => types(x).includes('LATE_PUSH'));
    expect(v.status).toBe('PAID');
    expect(types(v).filter((t) => t === 'STATUS_PAID')).toHaveLength(1);
    expect(types(v).filter((t) => ['PUSH_RECEIVED', 'DUPLICATE_PUSH', 'LATE_PUSH'].includes(t)).length).toBeGreaterThanOrEqual(4);
  });

  test('with a WUQI_ORG_CODE unlike FIXMEDINS_CODE, a result naming another of our orders in its 五期 form is FOREIGN_ORDER; this order in its 五期 form is PAID', async () => {
    const wuqiOrgCode = '20260000042'; // not FIXMEDINS_CODE without its H (31011200001)
    const o = await ts.start({ wuqiOrgCode }, 'TOK-foreign-wuqi');
    const other = wuqiOrgCode + o.orderNo.slice(-23, -6) + '999999';
    ts.fake.script(o.ecToken, { se04: [found(paid(o.ecToken, other))] });
    const v = await decided(o.orderNo);
    expect(v.status).toBe('NEEDS_REVIEW');
    expect(v.reason).toMatch(new RegExp(`FOREIGN_ORDER: .*${other}`));
    expect(v.setlinfo).toBeUndefined();

    const own = await ts.start({ wuqiOrgCode }, 'TOK-own-wuqi');
    ts.fake.script(own.ecToken, { se04: [found(paid(own.ecToken, wuqiOrgCode + own.orderNo.slice(-23)))] });
    expect((await decided(own.orderNo)).status).toBe('PAID');
  });
});

describe('settlement: SE02 never risks a second payment', () => {
  test('SE02 unknown, SE04 finds the order: PAID, no second SE02', async () => {
    const o = await ts.start({}, 'TOK-unk-found');
    ts.fake.script(o.ecToken, { se02: [{ kind: 'unknown', msgid: 'M1', reason: 'timeout' }], se04: [found(paid(o.ecToken, o.orderNo))] });
    const v = await decided(o.orderNo);
    expect(v.status).toBe('PAID');
    expect(types(v)).toContain('SE02_UNKNOWN');
    expect(calls(o.ecToken, 'submitSe02')).toBe(1);
  });

  test('SE02 unknown, SE04 says no such order twice within the token window: one resubmit', async () => {
    const o = await ts.start({}, 'TOK-resubmit');
    ts.fake.script(o.ecToken, {
      se02: [
        { kind: 'unknown', msgid: 'M1', reason: 'HTTP 502' },
        { kind: 'ok', msgid: 'M2' },
      ],
      se04: [notFound, notFound, found(paid(o.ecToken, o.orderNo))],
    });
    const v = await decided(o.orderNo, '1 minute');
    expect(v.status).toBe('PAID');
    expect(types(v)).toEqual(expect.arrayContaining(['SE02_UNKNOWN', 'SE02_RESUBMIT', 'SE02_RECEIVED']));
    expect(calls(o.ecToken, 'submitSe02')).toBe(2);
    expect(Math.round(elapsed(v, 'SE02_UNKNOWN', 'SE02_RESUBMIT') / 1000)).toBe(15);
  });

  test('SE02 unknown and never found: one resubmit at most, FAILED SE02_NOT_RECEIVED after the token window + grace; a late result then goes to review', async () => {
    const o = await ts.start({}, 'TOK-notreceived');
    ts.fake.script(o.ecToken, { se02: [{ kind: 'unknown', msgid: 'M1', reason: 'reset' }], se04: [notFound] });
    await ts.env.sleep('20 minutes');
    const failed = await ts.until(o.orderNo, (x) => x.status === 'FAILED');
    expect(failed.reason).toMatch(/^SE02_NOT_RECEIVED/);
    expect(calls(o.ecToken, 'submitSe02')).toBe(2);
    expect(elapsed(failed, 'SE02_UNKNOWN', 'STATUS_FAILED')).toBeGreaterThanOrEqual(15 * 60_000 - 1000);
    await push(o.orderNo, paid(o.ecToken, o.orderNo));
    const v = await ts.until(o.orderNo, (x) => x.status === 'NEEDS_REVIEW');
    expect(v.reason).toMatch(/^LATE_RESULT_AFTER_FAILED/);
    expect(types(v)).toContain('LATE_RESULT');
  });

  test('SE02 unknown and SE04 never answers: no resubmit, NEEDS_REVIEW at 2 h; an operator resolves it', async () => {
    const o = await ts.start({}, 'TOK-silent');
    ts.fake.script(o.ecToken, { se02: [{ kind: 'unknown', msgid: 'M1', reason: 'timeout' }], se04: [unknown] });
    const v = await decided(o.orderNo, '2 hours');
    expect(v.status).toBe('NEEDS_REVIEW');
    expect(v.reason).toMatch(/^SUBMIT_OUTCOME_UNKNOWN/);
    expect(calls(o.ecToken, 'submitSe02')).toBe(1);
    const r = await ts.client.workflow
      .getHandle(o.orderNo)
      .executeUpdate(resolveUpdate, { args: [{ decision: 'FAILED', operator: 'finance', note: 'no money taken' }] });
    expect(r.status).toBe('FAILED');
    expect((await o.handle.result()).status).toBe('FAILED');
  });
});

describe('settlement: identity, route and header', () => {
  test('1101 gives psn_no and insuplc_admdvs to SE02', async () => {
    const o = await ts.start({}, 'TOK-1101');
    ts.fake.script(o.ecToken, { se04: [found(paid(o.ecToken, o.orderNo))] });
    const v = await decided(o.orderNo);
    const se02 = ts.fake.calls(o.ecToken).find((c) => c.name === 'submitSe02')!.args as any;
    expect(se02.insuplcAdmdvs).toBe('320100');
    expect(se02.payRequest.psn_no).toBe('P-FROM-1101');
    expect(v.insuplcAdmdvs).toBe('320100');
  });

  test('an insuplcAdmdvs from the HIS skips 1101', async () => {
    const o = await ts.start({ insuplcAdmdvs: '330100' }, 'TOK-admdvs');
    ts.fake.script(o.ecToken, { se04: [found(paid(o.ecToken, o.orderNo))] });
    await decided(o.orderNo);
    expect(calls(o.ecToken, 'queryPersonInfo')).toBe(0);
    expect((ts.fake.calls(o.ecToken).find((c) => c.name === 'submitSe02')!.args as any).insuplcAdmdvs).toBe('330100');
  });

  test('1101 unavailable: the configured default, recorded in the events', async () => {
    const o = await ts.start({}, 'TOK-1101-down');
    ts.fake.script(o.ecToken, { personInfo: { kind: 'business', message: 'not supported' }, se04: [found(paid(o.ecToken, o.orderNo))] });
    const v = await decided(o.orderNo);
    expect(types(v)).toContain('PERSON_INFO_DEFAULT');
    expect((ts.fake.calls(o.ecToken).find((c) => c.name === 'submitSe02')!.args as any).insuplcAdmdvs).toBe('310000');
  });

  test('QR code: SE01, then the ecToken claim; an e-voucher already used by another order is FAILED before SE02', async () => {
    const o = await ts.start({ identity: { ecQrCode: 'QR-TOK-qr', ecQrChannel: '2' } }, 'TOK-qr');
    ts.fake.script(o.ecToken, { se04: [found(paid(o.ecToken, o.orderNo))] });
    const v = await decided(o.orderNo);
    expect(v.status).toBe('PAID');
    expect(types(v)).toContain('SE01_DECODED');
    const second = await ts.start({ identity: { ecQrCode: 'QR-TOK-qr', ecQrChannel: '2' } }, 'TOK-qr');
    const w = await second.handle.result();
    expect(w.status).toBe('FAILED');
    expect(w.reason).toBe(`ECTOKEN_IN_USE: the e-voucher already belongs to order ${o.orderNo}`);
    expect(calls(o.ecToken, 'submitSe02')).toBe(1);
  });

  test("QR code without insuplcAdmdvs, pName or pIdNo: 1101 inside identifyByQr (SE01's identity); SE02 carries the person's own insuplc_admdvs", async () => {
    const o = await ts.start({ identity: { ecQrCode: 'QR-TOK-qr-own', ecQrChannel: '1' } }, 'TOK-qr-own');
    ts.fake.script(o.ecToken, { se04: [found(paid(o.ecToken, o.orderNo))] });
    const v = await decided(o.orderNo);
    expect(v.status).toBe('PAID');
    // SE01, SM01 and 1101 in one activity: no separate SM01 or 1101, and no name or ID in the workflow's arguments
    expect(ts.fake.names(o.ecToken)).toEqual(['identifyByQr', 'submitSe02', 'queryPayResult']);
    const args = ts.fake.calls(o.ecToken)[0]!.args;
    expect(args).not.toHaveProperty('pName');
    expect(args).not.toHaveProperty('pIdNo');
    const se02 = ts.fake.calls(o.ecToken).find((c) => c.name === 'submitSe02')!.args as any;
    expect(se02.insuplcAdmdvs).toBe('310104');
    expect(se02.payRequest.psn_no).toBe('P-FROM-SE01');
    expect(v).toMatchObject({ insuplcAdmdvs: '310104', insuplcAdmdvsSource: '1101' });
    expect(v.events.find((e) => e.type === 'PERSON_INFO')!.detail).toBe("insuplc_admdvs 310104 (1101, with SE01's identity)");
  });

  test('the view names the source of insuplc_admdvs: his, 1101, default (an event, whose text names 1101 once)', async () => {
    const his = await ts.start({ insuplcAdmdvs: '330100' }, 'TOK-src-his');
    const own = await ts.start({}, 'TOK-src-1101');
    const dflt = await ts.start({}, 'TOK-src-default');
    for (const o of [his, own, dflt]) ts.fake.script(o.ecToken, { se04: [found(paid(o.ecToken, o.orderNo))] });
    ts.fake.script(dflt.ecToken, {
      personInfo: { kind: 'business', message: 'not sent: no name, certificate type and number to give it' },
      se04: [found(paid(dflt.ecToken, dflt.orderNo))],
    });
    expect((await decided(his.orderNo)).insuplcAdmdvsSource).toBe('his');
    expect((await decided(own.orderNo)).insuplcAdmdvsSource).toBe('1101');
    const v = await decided(dflt.orderNo);
    expect(v).toMatchObject({ insuplcAdmdvs: '310000', insuplcAdmdvsSource: 'default' });
    const detail = v.events.find((e) => e.type === 'PERSON_INFO_DEFAULT')!.detail!;
    expect(detail).toMatch(/^1101 refused or not sent: not sent: .*; insuplc_admdvs 310000 is the configured default/);
    expect(detail).not.toMatch(/1101.*1101/);
  });

  const OUT_OF_TOWN = { kind: 'ok' as const, accountattr: '10000000000Y0000', nameMatches: null };

  test('异地 person without insuplcAdmdvs: no 1101, FAILED INSUPLC_ADMDVS_REQUIRED before SE02 (ecToken and QR code)', async () => {
    const o = await ts.start({}, 'TOK-yd');
    ts.fake.script(o.ecToken, { account: OUT_OF_TOWN });
    const v = await o.handle.result();
    expect(v.status).toBe('FAILED');
    expect(v.reason).toMatch(/^INSUPLC_ADMDVS_REQUIRED: a 异地 person \(accountattr\[12\]=Y\)/);
    expect(ts.fake.names(o.ecToken)).toEqual(['queryAccount']);
    const q = await ts.start({ identity: { ecQrCode: 'QR-TOK-yd-qr', ecQrChannel: '3' } }, 'TOK-yd-qr');
    ts.fake.script(q.ecToken, { account: OUT_OF_TOWN });
    const w = await q.handle.result();
    expect(w.reason).toMatch(/^INSUPLC_ADMDVS_REQUIRED/);
    expect(ts.fake.names(q.ecToken)).toEqual(['identifyByQr']);
  });

  test("异地 person with the HIS's insuplcAdmdvs: SE02 carries it; a Shanghai area is refused for them", async () => {
    const o = await ts.start({ insuplcAdmdvs: '320100' }, 'TOK-yd-his');
    ts.fake.script(o.ecToken, { account: OUT_OF_TOWN, se04: [found(paid(o.ecToken, o.orderNo))] });
    const v = await decided(o.orderNo);
    expect(v).toMatchObject({ status: 'PAID', insuplcAdmdvs: '320100', insuplcAdmdvsSource: 'his' });
    expect((ts.fake.calls(o.ecToken).find((c) => c.name === 'submitSe02')!.args as any).insuplcAdmdvs).toBe('320100');
    const sh = await ts.start({ insuplcAdmdvs: '310000' }, 'TOK-yd-sh');
    ts.fake.script(sh.ecToken, { account: OUT_OF_TOWN });
    const w = await sh.handle.result();
    expect(w.reason).toMatch(/^INSUPLC_ADMDVS_REQUIRED: .*310000 is a Shanghai area/);
    expect(calls(sh.ecToken, 'submitSe02')).toBe(0);
  });
});
