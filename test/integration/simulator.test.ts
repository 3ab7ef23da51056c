import got from 'got';
import { createLogger } from '../../common/logger';
import { se04Output, se06Output, se03Push, se05Push } from '../../protocol/se-messages';
import { jsonStringOr } from '../../protocol/zod-helpers';
import { settle2207Output } from '../../protocol/settlement';
import { toFen } from '../../protocol/money';
import { startSimulator } from '../../simulator/server';
import { useSimulator, type SimUnderTest } from '../helpers/sim-fixture';
import { v13Sample } from '../fixtures';
import { waitFor } from '../helpers/receiver';
import { orderNo, payRequestFor } from '../helpers/sim-client';
import { sampleWuqiBill } from '../../routes/wuqi/simulator/samples';

let sim: SimUnderTest['sim'];
let receiver: SimUnderTest['receiver'];
let api: SimUnderTest['api'];
const EMPLOYEE = '801874939';

useSimulator('sim-test', { pushRetryMs: 50, settleDelayMs: 30, refundProcessingMs: 200 }, (s) => ({ sim, receiver, api } = s), { resetSettings: true });

/**
 * Every simulator timer due by now has run: the simulator runs in this process and Node runs expired timers
 * in the order they expire, so a timer set now (later than any already due) fires after them. A push the
 * simulator was going to send is then counted in ledger().pushes (scheduled, or dropped by a fault).
 */
const timersDue = () => new Promise((r) => setTimeout(r, 5));

async function settle(personId: string, psnNo: string, medfee = '100.00') {
  const ecToken = await api.token(personId);
  const no = orderNo();
  const reply = await api.national('SE02', { orderNo: no, ecToken, payRequest: payRequestFor(ecToken, psnNo, medfee) });
  expect(reply).toMatchObject({ infcode: 0 });
  return { ecToken, orderNo: no };
}

describe('V13 samples sent verbatim get valid answers', () => {
  test('SE02, SE04, SE07 then SE06', async () => {
    const se02 = await api.route(v13Sample('se02-request'));
    expect(se02.infcode).toBe(0);
    const se04 = await api.route(v13Sample('se04-request'));
    expect(se04.infcode).toBe(0);
    const out = se04Output.parse(se04.output);
    expect(jsonStringOr(settle2207Output).parse(out.payResponse).setlinfo.setl_id).toBe('44020');
    const se07 = await api.route(v13Sample('se07-request'));
    expect(se07).toMatchObject({ infcode: 0 });
    const se06 = await api.route(v13Sample('se06-request'));
    expect(se06.infcode).toBe(0);
    expect(se06Output.parse(se06.output).refundStatus).toBe('0');
  });
});

describe('settlement and pushes', () => {
  test('the SE03 push reaches the receiver and is retried until acknowledged', async () => {
    receiver.nack(2);
    const { ecToken } = await settle('employee', EMPLOYEE, '100.00');
    await waitFor(() => receiver.pushes.length >= 3);
    await waitFor(async () => (await api.ledger()).pushes.acked === 1);
    expect(receiver.pushes).toHaveLength(3);
    const push = se03Push.parse(receiver.pushes[2]!.body);
    expect(receiver.pushes[2]!.path).toBe('/shyb/notify/nation');
    expect(push.output.ecToken).toBe(ecToken);
    const setl = jsonStringOr(settle2207Output).parse(push.output.payResponse).setlinfo;
    expect(toFen(setl.fund_pay_sumamt) + toFen(setl.psn_part_amt)).toBe(toFen(setl.medfee_sumamt));
    expect(toFen(setl.psn_part_amt)).toBe(toFen(setl.acct_pay) + toFen(setl.psn_cash_pay));
    expect(toFen(push.output.amount!)).toBe(toFen(setl.psn_cash_pay));
    expect(push.output.channel).toBe('wechat');
    const ledger = await api.ledger();
    expect(Object.values(ledger.se02ByOrderNo)).toContain(1);
  });

  test('medins_setl_id is the SE02 msgid', async () => {
    const ecToken = await api.token('employee');
    const { nationalEnvelope } = await import('../helpers/sim-client');
    const env = nationalEnvelope('SE02', { orderNo: orderNo(), ecToken, payRequest: payRequestFor(ecToken, EMPLOYEE) }, undefined, {
      signNo: await api.signNo(),
    });
    await api.prod(env);
    const push = await waitFor(() => receiver.pushes[0]);
    expect(jsonStringOr(settle2207Output).parse(push.body.output.payResponse).setlinfo.medins_setl_id).toBe(env.msgid);
  });

  test('push off: nothing is pushed, SE04 polling yields the same result', async () => {
    await api.settings({ pushMode: 'off' });
    const { ecToken } = await settle('employee', EMPLOYEE, '88.80');
    const out = await waitFor(async () => {
      const r = await api.national('SE04', { ecToken });
      return r.infcode === 0 ? r.output : undefined;
    });
    expect(out.payStatus).toBeUndefined();
    const parsed = se04Output.parse(out);
    expect(toFen(jsonStringOr(settle2207Output).parse(parsed.payResponse).setlinfo.medfee_sumamt)).toBe(8880);
    // settled, and its push timer has run: nothing was scheduled, so nothing can arrive
    await timersDue();
    expect((await api.ledger()).pushes).toMatchObject({ scheduled: 0, dropped: 0 });
    expect(receiver.pushes).toHaveLength(0);
  });

  test('SE04 has no payStatus (V13 §2.3.3): while settling it refuses with 处理中, once settled a payResponse answers', async () => {
    await api.settings({ settleDelayMs: 300, pushMode: 'off' });
    const { ecToken } = await settle('employee', EMPLOYEE);
    expect(await api.national('SE04', { ecToken })).toMatchObject({ infcode: -1, err_msg: expect.stringContaining('处理中') });
    const out = await waitFor(async () => {
      const r = await api.national('SE04', { ecToken });
      return r.infcode === 0 ? r.output : undefined;
    });
    expect(Object.keys(out)).not.toContain('payStatus');
    expect(se04Output.parse(out).settlement?.setlinfo.psn_no).toBe(EMPLOYEE);
  });

  test('a failed payment has no payResponse on SE04: a refusal, never a settled answer', async () => {
    await api.settings({ pushMode: 'off' });
    const { ecToken } = await settle('pay-fails', '801874944');
    // once it is no longer 处理中: the failure is a refusal
    const answer = await waitFor(async () => {
      const r = await api.national('SE04', { ecToken });
      return /处理中/.test(r.err_msg ?? '') ? undefined : r;
    });
    expect(answer).toMatchObject({ infcode: -1, err_msg: expect.stringContaining('支付失败') });
  });

  test('the /gjptqzyy-test path never pushes (V13 §3.2); SE04 answers there', async () => {
    const ecToken = await api.token('employee');
    expect((await api.nationalTest('SE02', { orderNo: orderNo(), ecToken, payRequest: payRequestFor(ecToken, EMPLOYEE) })).infcode).toBe(0);
    const out = await waitFor(async () => {
      const r = await api.nationalTest('SE04', { ecToken });
      return r.infcode === 0 ? r.output : undefined;
    });
    const setl = se04Output.parse(out).settlement!.setlinfo;
    expect((await api.nationalTest('2208', { data: { psn_no: setl.psn_no, setl_id: setl.setl_id, mdtrt_id: setl.mdtrt_id } })).infcode).toBe(0);
    await waitFor(async () => (await api.nationalTest('SE06', { ecToken })).output?.refundStatus === '1');
    // the settlement's and the refund's push timers have run: nothing was scheduled, so nothing can arrive
    await timersDue();
    expect((await api.ledger()).pushes).toMatchObject({ scheduled: 0, dropped: 0 });
    expect(receiver.pushes).toHaveLength(0);
  });

  test('amounts in the samples\' mixed forms: SE03 "30.0", SE04 "30.00", SE06 a number; orderNo is the hospital orderNo', async () => {
    const { ecToken, orderNo: no } = await settle('employee', EMPLOYEE, '100.00');
    const push = (await waitFor(() => receiver.pushes[0])).body.output;
    expect(push.amount).toBe('30.0');
    expect(push.orderNo).toBe(no); // V13 SE03 sample: the 第三方支付订单号 has the hospital orderNo format
    const se04 = (await api.national('SE04', { ecToken })).output;
    expect(se04.amount).toBe('30.00');
    expect(se04.orderNo).toBe(no);
    const setl = jsonStringOr(settle2207Output).parse(push.payResponse).setlinfo;
    await api.national('2208', { data: { psn_no: setl.psn_no, setl_id: setl.setl_id, mdtrt_id: setl.mdtrt_id } });
    const se06 = await waitFor(async () => {
      const r = await api.national('SE06', { ecToken });
      return r.output?.refundStatus === '1' ? r.output : undefined;
    });
    expect(se06.amount).toBe(30);
    expect(toFen(se06.amount)).toBe(toFen(push.amount)); // the same sum in fen
  });

  test('no cash part: channel ybpay without third-party fields', async () => {
    await settle('no-cash', '801874943');
    const push = se03Push.parse((await waitFor(() => receiver.pushes[0])).body);
    expect(push.output.channel).toBe('ybpay');
    expect(push.output.orderNo).toBeUndefined();
    expect(push.output.amount).toBeUndefined();
  });

  test('a failing person gets payStatus -1', async () => {
    await settle('pay-fails', '801874944');
    const push = se03Push.parse((await waitFor(() => receiver.pushes[0])).body);
    expect(push.output.payStatus).toBe('-1');
  });
});

describe('business rules', () => {
  test('opter_type must be 4 or 5 for SE02 and SE07', async () => {
    const ecToken = await api.token('employee');
    const r = await api.national(
      'SE02',
      { orderNo: orderNo(), ecToken, payRequest: payRequestFor(ecToken, EMPLOYEE) },
      { opter: '1', opter_name: 'x', opter_type: '1' as any },
    );
    expect(r.infcode).toBe(-1);
    expect(r.err_msg).toMatch(/opter_type must be 4 or 5/);
    const r7 = await api.national('SE07', { ecToken, orderNo: 'X' }, { opter: '1', opter_name: 'x', opter_type: '3' as any });
    expect(r7.err_msg).toMatch(/opter_type must be 4 or 5/);
  });

  test('an ecToken expires (configurable)', async () => {
    await api.settings({ tokenTtlMs: 50 });
    const ecToken = await api.token('employee');
    await new Promise((r) => setTimeout(r, 80));
    const r = await api.national('SE02', { orderNo: orderNo(), ecToken, payRequest: payRequestFor(ecToken, EMPLOYEE) });
    expect(r).toMatchObject({ infcode: -1, err_msg: expect.stringContaining('已过期') });
  });

  test('SE02 settles once per orderNo: a repeat is "received" and never a second settlement', async () => {
    const ecToken = await api.token('employee');
    const no = orderNo();
    const input = { orderNo: no, ecToken, payRequest: payRequestFor(ecToken, EMPLOYEE) };
    expect((await api.national('SE02', input)).infcode).toBe(0);
    expect((await api.national('SE02', input)).infcode).toBe(0);
    await waitFor(() => receiver.pushes.length >= 1);
    // every push timer due by the first push has run: one push scheduled in all, so no second one can arrive
    await timersDue();
    const ledger = await api.ledger();
    expect(ledger.pushes.scheduled).toBe(1);
    expect(ledger.se02ByOrderNo[no]).toBe(2);
    expect(ledger.settlements.filter((s: any) => s.orderNo === no)).toHaveLength(1);
    expect(receiver.pushes).toHaveLength(1);
  });

  test('2208 refunds the cash part by itself (SE06 0 then 1, SE05 push); SE07 is refused unless the cash part is not refunded', async () => {
    const { ecToken } = await settle('employee', EMPLOYEE, '200.00');
    const push = se03Push.parse((await waitFor(() => receiver.pushes[0])).body);
    const setl = jsonStringOr(settle2207Output).parse(push.output.payResponse).setlinfo;
    const early = await api.national('SE07', { ecToken, orderNo: push.output.orderNo! });
    expect(early).toMatchObject({ infcode: -1, err_msg: '医保未退，不能发起现金退款' });
    const r2208 = await api.national('2208', { data: { psn_no: setl.psn_no, setl_id: setl.setl_id, mdtrt_id: setl.mdtrt_id } });
    expect(r2208.infcode).toBe(0);
    expect(toFen(r2208.output.setlinfo.medfee_sumamt)).toBe(-20000);
    const again2208 = await api.national('2208', { data: { psn_no: setl.psn_no, setl_id: setl.setl_id, mdtrt_id: setl.mdtrt_id } });
    expect(again2208.err_msg).toMatch(/不能重复退款/);
    // the automatic cash refund is in progress: SE06 0, and SE07 (医保已退，现金未退 is false) is refused
    expect((await api.national('SE06', { ecToken })).output.refundStatus).toBe('0');
    expect(await api.national('SE07', { ecToken, orderNo: push.output.orderNo! })).toMatchObject({ infcode: -1, err_msg: expect.stringContaining('处理中') });
    const se05 = await waitFor(() => receiver.pushes.find((p) => p.path === '/shyb/refund/nation'));
    const parsed = se05Push.parse(se05.body);
    expect(parsed.output.refundStatus).toBe('1');
    expect(toFen(parsed.output.amount!)).toBe(toFen(setl.psn_cash_pay));
    expect(se06Output.parse((await api.national('SE06', { ecToken })).output).refundStatus).toBe('1');
    expect((await api.national('SE07', { ecToken, orderNo: push.output.orderNo! })).err_msg).toMatch(/已经退款/);
    const ledger = await api.ledger();
    expect(ledger.settlements[ledger.settlements.length - 1]).toMatchObject({ insuranceRefunded: true, cashRefund: { status: '1' }, se07Calls: 3 });
  });

  test("the platform lets one ecToken settle two orderNos (guarding that is the hospital's job); SE04 answers the latest", async () => {
    const ecToken = await api.token('employee');
    const first = orderNo();
    const second = orderNo();
    expect((await api.national('SE02', { orderNo: first, ecToken, payRequest: payRequestFor(ecToken, EMPLOYEE) })).infcode).toBe(0);
    expect((await api.national('SE02', { orderNo: second, ecToken, payRequest: payRequestFor(ecToken, EMPLOYEE) })).infcode).toBe(0);
    const ledger = await api.ledger();
    expect(ledger.settlements.filter((x: any) => x.ecToken === ecToken).map((x: any) => x.orderNo)).toEqual([first, second]);
    const out = await waitFor(async () => (await api.national('SE04', { ecToken })).output);
    expect(out.orderNo).toBe(second);
  });

  test('SE04 and SE06 for an unknown ecToken get a business error', async () => {
    expect(await api.national('SE04', { ecToken: 'nope' })).toMatchObject({ infcode: -1, err_msg: '未找到该电子凭证令牌的支付订单' });
    expect(await api.national('SE06', { ecToken: 'nope' })).toMatchObject({ infcode: -1, err_msg: '未找到该电子凭证令牌的退款申请' });
  });

  test('a 五期 person sent to the national platform is refused', async () => {
    const ecToken = await api.token('mutual-aid');
    const r = await api.national('SE02', { orderNo: orderNo(), ecToken, payRequest: payRequestFor(ecToken, '801874940') });
    expect(r).toMatchObject({ infcode: -1, err_msg: '该人员应在五期系统结算' });
  });
});

describe('五期 endpoint', () => {
  test('SE01 decodes a QR code once, SM01 returns accountattr, SE02 settles and pushes to /notify', async () => {
    const qr = await api.qrcode('mutual-aid');
    const se01Body = {
      orgId: '31011000053',
      ecQrCode: qr,
      ecQrChannel: '2',
      businessType: '01301',
      termId: 't1',
      termIp: '127.0.0.1',
      operatorId: '0018',
      operatorName: 'doct',
      officeId: 'o1',
      officeName: '互联网医院',
    };
    const se01 = await api.wuqi('SE01', se01Body);
    expect(se01.xxfhm).toBe('P001');
    expect(se01.xxnr.idno).toBe('310101196502021235');
    expect((await api.wuqi('SE01', se01Body)).xxfhm).toBe('P700');
    const sm01 = await api.wuqi('SM01', { cardtype: '3', carddata: se01.xxnr.ecToken });
    expect(sm01.xxnr.accountattr).toBe('20000000000G0000');
    const bill = sampleWuqiBill('SI12', '50.00');
    const se02 = await api.wuqi('SE02', {
      orderNo: orderNo().slice(1),
      ecToken: se01.xxnr.ecToken,
      payRequest: JSON.stringify({ ...bill.xxnr, cardtype: '3', carddata: se01.xxnr.ecToken }),
    });
    expect(se02.xxfhm).toBe('P001');
    const push = await waitFor(() => receiver.pushes.find((p) => p.path === '/shyb/notify'));
    expect(push.body.xxnr.payStatus).toBe('1');
  });

  test('a bad envelope gets C001 with the failing fields', async () => {
    const r = await api.post('/wuqi', { xxlxm: 'SM01' });
    expect(r.body.xxfhm).toBe('C001');
    expect(r.body.fhxx).toMatch(/jysj/);
  });
});

describe('fault injection', () => {
  test('dropPush: nothing arrives, SE04 still answers', async () => {
    await api.fault({ kind: 'dropPush', personId: 'employee' });
    const { ecToken } = await settle('employee', EMPLOYEE);
    // the push was dropped when it was due, and nothing was scheduled, so nothing can arrive
    await waitFor(async () => (await api.ledger()).pushes.dropped === 1);
    expect((await api.ledger()).pushes.scheduled).toBe(0);
    expect(receiver.pushes).toHaveLength(0);
    expect(se04Output.parse((await api.national('SE04', { ecToken })).output).settlement).toBeDefined();
  });

  test('duplicatePush: the push arrives twice', async () => {
    await api.fault({ kind: 'duplicatePush', copies: 2 });
    await settle('employee', EMPLOYEE);
    await waitFor(() => receiver.pushes.length === 2);
    expect(receiver.pushes[0]!.body.output).toEqual(receiver.pushes[1]!.body.output);
  });

  test('delayPush: the push arrives after the delay', async () => {
    await api.fault({ kind: 'delayPush', delayMs: 400 });
    const t0 = Date.now();
    await settle('employee', EMPLOYEE);
    const p = await waitFor(() => receiver.pushes[0]);
    expect(p.at - t0).toBeGreaterThanOrEqual(400);
  });

  test('pushBeforeReply: the push is received before the SE02 reply', async () => {
    await api.fault({ kind: 'pushBeforeReply' });
    const ecToken = await api.token('employee');
    const reply = await api.national('SE02', { orderNo: orderNo(), ecToken, payRequest: payRequestFor(ecToken, EMPLOYEE) });
    expect(reply.infcode).toBe(0);
    expect(receiver.pushes).toHaveLength(1);
  });

  test('wrongAmountPush: the pushed amount differs from the settlement', async () => {
    await api.fault({ kind: 'wrongAmountPush' });
    const { ecToken } = await settle('employee', EMPLOYEE, '100.00');
    const push = se03Push.parse((await waitFor(() => receiver.pushes[0])).body);
    const setl = jsonStringOr(settle2207Output).parse(push.output.payResponse).setlinfo;
    expect(toFen(push.output.amount!)).not.toBe(toFen(setl.psn_cash_pay));
    const truth = se04Output.parse((await api.national('SE04', { ecToken })).output);
    expect(toFen(truth.amount!)).toBe(toFen(setl.psn_cash_pay));
  });

  test('forgedPush: an extra push for an unknown ecToken', async () => {
    await api.fault({ kind: 'forgedPush' });
    const { ecToken } = await settle('employee', EMPLOYEE);
    await waitFor(() => receiver.pushes.length === 2);
    const tokens = receiver.pushes.map((p) => p.body.output.ecToken);
    expect(tokens).toContain(ecToken);
    expect(tokens.find((t: string) => t !== ecToken)).toMatch(/FORGED/);
  });

  test('http5xx: answers 500; afterProcessing acts first', async () => {
    await api.fault({ kind: 'http5xx', infno: 'SE02', times: 1, afterProcessing: true });
    const ecToken = await api.token('employee');
    const no = orderNo();
    const r = await api.post(
      '/gjptqzyy-test/api/v1/route',
      (await import('../helpers/sim-client')).nationalEnvelope('SE02', { orderNo: no, ecToken, payRequest: payRequestFor(ecToken, EMPLOYEE) }),
    );
    expect(r.statusCode).toBe(500);
    expect((await api.ledger()).se02ByOrderNo[no]).toBe(1);
    await api.fault({ kind: 'http5xx', infno: 'SE04', times: 1 });
    const r4 = await api.post('/gjptqzyy-test/api/v1/route', (await import('../helpers/sim-client')).nationalEnvelope('SE04', { ecToken }));
    expect(r4.statusCode).toBe(500);
  });

  test('hang: no reply at all', async () => {
    await api.fault({ kind: 'hang', infno: 'SE04', times: 1 });
    const { nationalEnvelope } = await import('../helpers/sim-client');
    await expect(
      got.post(`${sim.url}/gjptqzyy-test/api/v1/route`, { json: nationalEnvelope('SE04', { ecToken: 'x' }), timeout: { request: 300 }, retry: { limit: 0 } }),
    ).rejects.toThrow(/Timeout/);
  });

  test('businessError: infcode -1 with the message, once', async () => {
    await api.fault({ kind: 'businessError', infno: 'SE04', times: 1, message: '系统繁忙' });
    expect(await api.national('SE04', { ecToken: 'x' })).toMatchObject({ infcode: -1, err_msg: '系统繁忙' });
    expect((await api.national('SE04', { ecToken: 'x' })).err_msg).toBe('未找到该电子凭证令牌的支付订单');
  });

  test('refundFailure on SE05: the automatic cash refund ends -1; SE07 is then accepted as the remedy and refunds', async () => {
    await api.fault({ kind: 'refundFailure', infno: 'SE05', times: 1 });
    const { ecToken } = await settle('employee', EMPLOYEE);
    const push = se03Push.parse((await waitFor(() => receiver.pushes[0])).body);
    const setl = jsonStringOr(settle2207Output).parse(push.output.payResponse).setlinfo;
    await api.national('2208', { data: { psn_no: setl.psn_no, setl_id: setl.setl_id, mdtrt_id: setl.mdtrt_id } });
    const failed = await waitFor(() => receiver.pushes.find((p) => p.path === '/shyb/refund/nation'));
    expect(failed.body.output.refundStatus).toBe('-1');
    expect((await api.national('SE06', { ecToken })).output.refundStatus).toBe('-1');
    expect((await api.national('SE07', { ecToken, orderNo: push.output.orderNo! })).infcode).toBe(0);
    await waitFor(async () => (await api.national('SE06', { ecToken })).output.refundStatus === '1');
    const ok = await waitFor(() => receiver.pushes.filter((p) => p.path === '/shyb/refund/nation')[1]);
    expect(ok.body.output.refundStatus).toBe('1');
  });

  test('refundFailure on SE07: the remedy itself ends -1', async () => {
    await api.fault({ kind: 'cashRefundStuck' });
    await api.fault({ kind: 'refundFailure', infno: 'SE07' });
    const { ecToken } = await settle('employee', EMPLOYEE);
    const push = se03Push.parse((await waitFor(() => receiver.pushes[0])).body);
    const setl = jsonStringOr(settle2207Output).parse(push.output.payResponse).setlinfo;
    await api.national('2208', { data: { psn_no: setl.psn_no, setl_id: setl.setl_id, mdtrt_id: setl.mdtrt_id } });
    expect((await api.national('SE07', { ecToken, orderNo: push.output.orderNo! })).infcode).toBe(0);
    const se05 = await waitFor(() => receiver.pushes.find((p) => p.path === '/shyb/refund/nation'));
    expect(se05.body.output.refundStatus).toBe('-1');
  });

  test('cashRefundStuck: no automatic cash refund after 2208 (SE06 finds none); SE07 is accepted', async () => {
    await api.fault({ kind: 'cashRefundStuck' });
    const { ecToken } = await settle('employee', EMPLOYEE);
    const push = se03Push.parse((await waitFor(() => receiver.pushes[0])).body);
    const setl = jsonStringOr(settle2207Output).parse(push.output.payResponse).setlinfo;
    expect((await api.national('2208', { data: { psn_no: setl.psn_no, setl_id: setl.setl_id, mdtrt_id: setl.mdtrt_id } })).infcode).toBe(0);
    // no automatic refund was started at the 2208 (none pending, so none can finish later)
    expect((await api.ledger()).settlements.find((x: any) => x.ecToken === ecToken)).toMatchObject({ insuranceRefunded: true, cashRefund: null });
    expect(await api.national('SE06', { ecToken })).toMatchObject({ infcode: -1, err_msg: '未找到该电子凭证令牌的退款申请' });
    expect((await api.national('SE07', { ecToken, orderNo: push.output.orderNo! })).infcode).toBe(0);
    await waitFor(async () => (await api.national('SE06', { ecToken })).output?.refundStatus === '1');
  });

  test('the control API validates its input', async () => {
    const r = await api.fault({ kind: 'meteor' });
    expect(r.statusCode).toBe(400);
    expect(r.body.details[0].path).toBe('kind');
  });
});

describe('bad envelopes', () => {
  test('missing header fields give infcode -1 with the field names', async () => {
    const r = await api.route({ infno: 'SE04', input: { ecToken: 'x' } });
    expect(r.infcode).toBe(-1);
    expect(r.err_msg).toMatch(/msgid/);
    expect(r.err_msg).toMatch(/fixmedins_code/);
  });
  test('malformed JSON gets infcode -1, not a 500', async () => {
    const res = await got.post(`${sim.url}/gjptqzyy-test/api/v1/route`, {
      body: '{"infno":',
      headers: { 'content-type': 'application/json' },
      throwHttpErrors: false,
      responseType: 'json',
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({ infcode: -1, err_msg: '报文不是合法的JSON' });
  });
  test('an unsupported infno', async () => {
    expect((await api.national('9999', {})).err_msg).toBe('不支持的交易编号: 9999');
  });
  test('a bad SE02 input names the field', async () => {
    const r = await api.national('SE02', { orderNo: orderNo(), ecToken: 'x', payRequest: { data: { psn_no: 'x' } } });
    expect(r.infcode).toBe(-1);
    expect(r.err_msg).toMatch(/payRequest\.data\.medfee_sumamt/);
  });
  test('prod mode has no control API', async () => {
    const prod = await startSimulator({ mode: 'prod', log: createLogger('x', 'silent') });
    const r = await got.get(`${prod.url}/__sim/ledger`, { throwHttpErrors: false });
    expect(r.statusCode).toBe(404);
    await prod.close();
  });
});
