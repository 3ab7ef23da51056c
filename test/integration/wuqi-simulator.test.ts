import { toFen } from '../../protocol/money';
import { WUQI_ENVELOPE_NODES } from '../../protocol/wuqi';
import { wuqiBillSchema, type WuqiBill } from '../../protocol/wuqi-bills';
import { parseWuqiPayResponse, sk01Output, wuqiSe03Output, wuqiSe04Output } from '../../protocol/wuqi-results';
import { cashBounds } from '../../protocol/wuqi-settlement';
import { checkBillTotal, checkCashAmount, checkSumRule } from '../../protocol/wuqi-verify';
import { sampleWuqiBill } from '../../routes/wuqi/simulator/samples';
import { useSimulator, type SimUnderTest } from '../helpers/sim-fixture';
import { waitFor } from '../helpers/receiver';
import { orderNo } from '../helpers/sim-client';

// The simulated 五期 over HTTP: bills in, output tables out, SK01, pushes, §3.4 codes.

let sim: SimUnderTest['sim'];
let receiver: SimUnderTest['receiver'];
let api: SimUnderTest['api'];

useSimulator('sim-wuqi-test', { pushRetryMs: 50, settleDelayMs: 30, refundProcessingMs: 100 }, (s) => ({ sim, receiver, api } = s), { resetSettings: true });

type Type = 'SH02' | 'SI12';
const filled = (bill: { xxnr: object }, ecToken: string) => JSON.stringify({ ...bill.xxnr, cardtype: '3', carddata: ecToken });

async function se02(personId: string, type: Type, total = '100.00', opts: { persontype?: '0' | '1'; selfPay?: string } = {}) {
  const ecToken = await api.token(personId);
  const bill = sampleWuqiBill(type, total, opts);
  const no = orderNo().slice(1);
  const reply = await api.wuqi('SE02', { orderNo: no, ecToken, payRequest: filled(bill, ecToken) });
  return { ecToken, bill: wuqiBillSchema.parse(bill) as WuqiBill, orderNo: no, reply };
}

const pushesTo = (path: string, ecToken: string) => receiver.pushes.filter((p) => p.path === path && p.body?.xxnr?.ecToken === ecToken);

describe('SE02 with each bill type: answered in that type’s output shape, sum rules holding', () => {
  test.each([
    ['SH02', 'cadre', undefined],
    ['SH02', 'cadre', '23.45'],
    ['SI12', 'mutual-aid', '0.00'],
    ['SI12', 'mutual-aid', undefined],
    ['SI12', 'civil-aid', undefined],
    ['SI12', 'mutual-aid-mulaid', undefined],
  ] as const)('%s for %s (self-pay %s): SE03 push to /shyb/notify, SE04 agrees', async (type, person, selfPay) => {
    const { ecToken, bill, reply } = await se02(person, type, '123.45', { ...(selfPay ? { selfPay } : {}) });
    expect(reply.xxfhm).toBe('P001');
    const push = await waitFor(() => pushesTo('/shyb/notify', ecToken)[0]);
    // the push is a full §3.2.1 envelope
    expect(Object.keys(push.body).sort()).toEqual([...WUQI_ENVELOPE_NODES].sort());
    expect(push.body.xxlxm).toBe('SE03');
    const out = wuqiSe03Output.parse(push.body.xxnr);
    const parsed = parseWuqiPayResponse(type, out.payResponse);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(checkSumRule(type, parsed.settlement.xxnr)).toBeUndefined();
    expect(checkBillTotal(bill, parsed.settlement)).toBeUndefined();
    // self-pay stays outside totalexpense; the patient pays it in cash (no 自费 account balance left here)
    const b = cashBounds(parsed.settlement);
    expect(b.selfPayFen).toBe(toFen(String(parsed.settlement.xxnr.fybjsfwfyze)));
    expect(parsed.settlement.totalexpenseFen + b.selfPayFen).toBe(12345);
    expect(checkCashAmount({ channel: out.channel, ...(out.amount != null ? { amount: String(out.amount) } : {}) }, parsed.settlement)).toBeUndefined();
    if (out.channel !== 'ybpay') expect(toFen(String(out.amount))).toBe(b.maxFen);
    if (person === 'mutual-aid-mulaid') expect(toFen(parsed.settlement.xxnr.tcdgjzhzfs as string)).toBe(1000);
    const q = await api.wuqi('SE04', { ecToken });
    expect(q.xxfhm).toBe('P001');
    const se04 = wuqiSe04Output.parse(q.xxnr);
    expect(se04.wuqi).toMatchObject({ type, lsh: parsed.settlement.lsh, totalexpenseFen: parsed.settlement.totalexpenseFen });
  });
});

describe('the simulator validates the bill as the input tables say', () => {
  test.each([
    ['an amount without two decimals', (x: Record<string, unknown>) => ({ ...x, totalexpense: '100' }), /totalexpense/],
    ['jssqxh missing', (x: Record<string, unknown>) => ({ ...x, jssqxh: undefined }), /jssqxh/],
    ['deptid too long', (x: Record<string, unknown>) => ({ ...x, deptid: 'D'.repeat(51) }), /deptid/],
    [
      'totalexpense other than ybjsfwfyze + fybjsfwfyze',
      (x: Record<string, unknown>) => ({ ...x, totalexpense: '120.00', fybjsfwfyze: '10.00' }),
      /ybjsfwfyze \+ fybjsfwfyze/,
    ],
    ['an inpatient yllb (S21 住院)', (x: Record<string, unknown>) => ({ ...x, yllb: 'S21' }), /门诊/],
  ])('SH02 with %s: P100', async (_n, patch, message) => {
    const ecToken = await api.token('cadre');
    const xxnr = patch({ ...sampleWuqiBill('SH02').xxnr, cardtype: '3', carddata: ecToken });
    const r = await api.wuqi('SE02', { orderNo: orderNo().slice(1), ecToken, payRequest: JSON.stringify(xxnr) });
    expect(r.xxfhm).toBe('P100');
    expect(r.fhxx).toMatch(message);
  });
  test('an SI52 (住院类) payRequest: P100, outpatient only (V13 §1.1)', async () => {
    const ecToken = await api.token('civil-aid');
    const si52 = {
      cardtype: '3',
      carddata: ecToken,
      personspectag: '0',
      yllb: 'S21',
      persontype: '0',
      cyjsbz: '0',
      jsksrq: '20261120',
      jsjsrq: '20261127',
      zyts: '7.0',
      deptid: '0501',
      jzdyh: 'JZ1',
      mxzdhs: [],
    };
    const r = await api.wuqi('SE02', { orderNo: orderNo().slice(1), ecToken, payRequest: JSON.stringify(si52) });
    expect(r.xxfhm).toBe('P100');
    expect(r.fhxx).toMatch(/只支持门诊交易/);
  });
  test('carddata that is not the ecToken: P100', async () => {
    const ecToken = await api.token('mutual-aid');
    const r = await api.wuqi('SE02', {
      orderNo: orderNo().slice(1),
      ecToken,
      payRequest: JSON.stringify({ ...sampleWuqiBill('SI12').xxnr, cardtype: '3', carddata: 'someone-else' }),
    });
    expect(r.xxfhm).toBe('P100');
  });
  test('an unknown payRequest (the old guess {zfy}): P100', async () => {
    const ecToken = await api.token('mutual-aid');
    const r = await api.wuqi('SE02', { orderNo: orderNo().slice(1), ecToken, payRequest: JSON.stringify({ zfy: '50.00' }) });
    expect(r.xxfhm).toBe('P100');
  });
  test('工伤: an employee with 工伤认定 settles an SH02 with persontype 1 in 五期; persontype 0 belongs to the national platform', async () => {
    const ok = await se02('work-injury', 'SH02', '80.00', { persontype: '1' });
    expect(ok.reply.xxfhm).toBe('P001');
    await waitFor(() => pushesTo('/shyb/notify', ok.ecToken)[0]);
    const ordinary = await se02('work-injury', 'SH02', '80.00', { persontype: '0' });
    expect(ordinary.reply).toMatchObject({ xxfhm: 'P300', fhxx: '该人员应在国家平台结算' });
  });
  test('persontype 1 for a person without 工伤认定: P300', async () => {
    const r = await se02('cadre', 'SH02', '80.00', { persontype: '1' });
    expect(r.reply.xxfhm).toBe('P300');
  });
});

describe('SE04 has no payStatus (§4.8.4.3)', () => {
  test('in progress: a P900 refusal saying 处理中; settled: the output table without payStatus', async () => {
    await api.settings({ settleDelayMs: 400 });
    const { ecToken } = await se02('mutual-aid', 'SI12', '50.00');
    const early = await api.wuqi('SE04', { ecToken });
    expect(early.xxfhm).toBe('P900');
    expect(early.fhxx).toMatch(/处理中/);
    expect(early.xxnr?.payStatus).toBeUndefined();
    const late = await waitFor(async () => {
      const q = await api.wuqi('SE04', { ecToken });
      return q.xxfhm === 'P001' ? q : undefined;
    });
    expect(late.xxnr.payStatus).toBeUndefined();
    expect(wuqiSe04Output.parse(late.xxnr).wuqi).toMatchObject({ type: 'SI12', totalexpenseFen: 4500 }); // 50.00 less 5.00 self-pay
  });

  test('a failed payment: a P900 refusal with the failure text, never a payResponse', async () => {
    const person = {
      id: 'mutual-aid-fails',
      name: '测试失败互',
      idno: '310101197111111234',
      psnNo: '801874949',
      accountattr: '20000000000G0000',
      payFails: true,
    };
    expect((await api.post('/__sim/persons', person)).statusCode).toBeLessThan(300);
    const { ecToken, reply } = await se02(person.id, 'SI12', '50.00');
    expect(reply.xxfhm).toBe('P001');
    const q = await waitFor(async () => {
      const r = await api.wuqi('SE04', { ecToken });
      return /失败/.test(r.fhxx) ? r : undefined;
    });
    expect(q.xxfhm).toBe('P900');
    expect(q.xxnr?.payResponse).toBeUndefined();
  });
});

describe('test persons', () => {
  test.each([
    ['cadre', 'WUQI', 2, '1'],
    ['mutual-aid', 'WUQI', 12, 'G'],
    ['civil-aid', 'WUQI', 12, 'A'],
    ['civil-aid-resident', 'WUQI', 16, 'A'],
    ['work-injury', 'NATIONAL', 0, ''],
  ] as const)('%s: SM01 accountattr routes %s', async (id, route, position, value) => {
    const ecToken = await api.token(id);
    const sm01 = await api.wuqi('SM01', { cardtype: '3', carddata: ecToken });
    expect(sm01.xxfhm).toBe('P001');
    if (position) expect(sm01.xxnr.accountattr[position - 1]).toBe(value);
    const list = (await (await fetch(`${sim.url}/__sim/persons`)).json()) as Array<{ id: string; route: string }>;
    expect(list.find((p) => p.id === id)?.route).toBe(route);
  });
});

describe('SK01 and the cash refund', () => {
  async function paid(person = 'mutual-aid', type: Type = 'SI12') {
    const s = await se02(person, type, '100.00');
    const push = await waitFor(() => pushesTo('/shyb/notify', s.ecToken)[0]);
    const out = wuqiSe03Output.parse(push.body.xxnr);
    // the cash paid: the channel amount (self-pay included), what the platform refunds
    return { ...s, lsh: out.wuqi!.lsh, totalexpense: String(out.wuqi!.xxnr.totalexpense), cashFen: toFen(String(out.amount)) };
  }
  // SK01's totalexpense is the settled one: 90.00 of the 100.00 SI12 bill (10.00 self-pay outside it)
  const sk01 = (ecToken: string, translsh: string, totalexpense = '90.00') =>
    api.wuqi('SK01', { cardtype: '3', carddata: ecToken, translsh, totalexpense, xsywlx: '2' });

  test('SK01 by translsh refunds the insurance part; the platform refunds the cash part (self-pay included) by itself and pushes SE05 to /shyb/refund', async () => {
    const p = await paid();
    expect(p.totalexpense).toBe('90.00');
    expect((await sk01(p.ecToken, p.lsh, '100.00')).xxfhm).toBe('P500'); // the bill's whole total is not the settled totalexpense
    const r = await sk01(p.ecToken, p.lsh);
    expect(r.xxfhm).toBe('P001');
    const out = sk01Output.parse(r.xxnr);
    expect(out.translsh).toBe(p.lsh);
    const push = await waitFor(() => pushesTo('/shyb/refund', p.ecToken)[0]);
    expect(push.body.xxlxm).toBe('SE05');
    expect(push.body.xxnr).toMatchObject({ refundStatus: '1' });
    expect(toFen(push.body.xxnr.amount)).toBe(p.cashFen);
    const se06 = await api.wuqi('SE06', { ecToken: p.ecToken });
    expect(se06.xxnr.refundStatus).toBe('1');
    // a second SK01 is 已经退款; SE07 while the cash part is refunded is 已经退款 too
    expect((await sk01(p.ecToken, p.lsh)).xxfhm).toBe('P510');
    expect((await api.wuqi('SE07', { ecToken: p.ecToken, orderNo: push.body.xxnr.orderNo })).xxfhm).toBe('P510');
  });
  test('SK01 with an unknown translsh is P610; with another totalexpense P500; nothing refunded', async () => {
    const p = await paid();
    expect((await sk01(p.ecToken, '9999999999999999')).xxfhm).toBe('P610');
    expect((await sk01(p.ecToken, p.lsh, '99.99')).xxfhm).toBe('P500');
    const row = (await api.ledger()).settlements.find((s: { orderNo: string }) => s.orderNo === p.orderNo);
    expect(row).toMatchObject({ insuranceRefunded: false, cashRefund: null, sk01Count: 1 });
  });
  test("SK01 takes a fresh token of the payer, not another person's (P500)", async () => {
    const p = await paid();
    expect((await sk01(await api.token('civil-aid'), p.lsh)).xxfhm).toBe('P500');
    expect((await sk01(await api.token('mutual-aid'), p.lsh)).xxfhm).toBe('P001');
  });
  test('with sk01RefusesExpiredTokens, SK01 refuses an expired token (P300, asking for a new e-voucher) and takes a fresh one', async () => {
    const p = await paid();
    await api.settings({ sk01RefusesExpiredTokens: true });
    expect(await api.expireTokens()).toBeGreaterThan(0);
    const old = await sk01(p.ecToken, p.lsh);
    expect(old).toMatchObject({ xxfhm: 'P300' });
    expect(old.fhxx).toMatch(/令牌已失效.*重新申请电子凭证/);
    expect((await sk01(await api.token('mutual-aid'), p.lsh)).xxfhm).toBe('P001');
    // SE06 still answers by the settlement's own token
    const done = await waitFor(async () => {
      const q = await api.wuqi('SE06', { ecToken: p.ecToken });
      return q.xxnr?.refundStatus === '1' ? q : undefined;
    });
    expect(toFen(done.xxnr.amount)).toBe(p.cashFen);
  });
  test('SK01 input without translsh: C002 listing the field', async () => {
    const p = await paid();
    const r = await api.wuqi('SK01', { cardtype: '3', carddata: p.ecToken, totalexpense: '100.00', xsywlx: '2' });
    expect(r.xxfhm).toBe('C002');
    expect(r.fhxx).toMatch(/translsh/);
  });
  test('SE07 only when the insurance part is refunded and the cash part is not', async () => {
    const p = await paid();
    const thirdOrderNo = pushesTo('/shyb/notify', p.ecToken)[0]!.body.xxnr.orderNo;
    // before SK01: the insurance part is not refunded
    expect((await api.wuqi('SE07', { ecToken: p.ecToken, orderNo: thirdOrderNo })).xxfhm).toBe('P500');
    await api.fault({ kind: 'refundFailure', infno: 'SE05', times: 1 });
    expect((await sk01(p.ecToken, p.lsh)).xxfhm).toBe('P001');
    const failed = await waitFor(() => pushesTo('/shyb/refund', p.ecToken)[0]);
    expect(failed.body.xxnr.refundStatus).toBe('-1');
    // the 现金改账 remedy
    expect((await api.wuqi('SE07', { ecToken: p.ecToken, orderNo: thirdOrderNo })).xxfhm).toBe('P001');
    const done = await waitFor(() => pushesTo('/shyb/refund', p.ecToken).find((x) => x.body.xxnr.refundStatus === '1'));
    expect(toFen(done.body.xxnr.amount)).toBe(p.cashFen);
  });
});

describe('pushes and §3.4 codes', () => {
  test('SE03 is pushed again every pushRetryMs until the hospital answers P001', async () => {
    receiver.nack(2);
    const s = await se02('mutual-aid', 'SI12');
    await waitFor(() => pushesTo('/shyb/notify', s.ecToken).length >= 3);
    // acknowledged on the third attempt: the pusher stops there, so no fourth can come
    await waitFor(async () => (await api.ledger()).pushes.byToken[`SE03:${s.ecToken}`]?.acked === 1);
    expect((await api.ledger()).pushes.byToken[`SE03:${s.ecToken}`]).toEqual({ attempts: 3, acked: 1 });
    const at = pushesTo('/shyb/notify', s.ecToken).map((p) => p.at);
    expect(at).toHaveLength(3);
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(40);
  });
  test.each(['T100', 'T002', 'T004', 'T099'])('%s before processing: answered, nothing settled', async (code) => {
    await api.fault({ kind: 'wuqiCode', infno: 'SE02', code, times: 1 });
    const s = await se02('mutual-aid', 'SI12');
    expect(s.reply.xxfhm).toBe(code);
    expect((await api.ledger()).se02ByOrderNo[s.orderNo]).toBeUndefined();
  });
  test('T100 after processing: answered T100, yet the order exists and settles', async () => {
    await api.fault({ kind: 'wuqiCode', infno: 'SE02', code: 'T100', afterProcessing: true, times: 1 });
    const s = await se02('mutual-aid', 'SI12');
    expect(s.reply.xxfhm).toBe('T100');
    await waitFor(() => pushesTo('/shyb/notify', s.ecToken)[0]);
    expect((await api.ledger()).se02ByOrderNo[s.orderNo]).toBe(1);
  });
  test('SE04 for an unknown token is P610; a bad envelope C001', async () => {
    expect((await api.wuqi('SE04', { ecToken: 'nope' })).xxfhm).toBe('P610');
    const r = await api.post('/wuqi', { xxlxm: 'SE04', xxnr: {} });
    expect(r.body.xxfhm).toBe('C001');
    expect(Object.keys(r.body).sort()).toEqual([...WUQI_ENVELOPE_NODES].sort());
  });
});
