import got from 'got';
import { query5203AOutput, query5203Output, si91Output } from '../../protocol/centre-query';
import { se04Output } from '../../protocol/se-messages';
import { wuqiSe04Output } from '../../protocol/wuqi-results';
import { sampleWuqiBill } from '../../routes/wuqi/simulator/samples';
import { useSimulator, type SimUnderTest } from '../helpers/sim-fixture';
import { waitFor } from '../helpers/receiver';
import { nationalEnvelope, orderNo, payRequestFor } from '../helpers/sim-client';

// The simulated centre's record over HTTP: national 5203 (§5.5.2.3), 5203A (§5.5.2.4), 五期 SI91 (§4.6.3), from
// its own ledger, and the control API that makes its books differ from ours for one order.

let api: SimUnderTest['api'];
let sim: SimUnderTest['sim'];
useSimulator('sim-centre-test', { pushRetryMs: 50, settleDelayMs: 30, refundProcessingMs: 100 }, (s) => ({ api, sim } = s), { resetSettings: true });

const EMPLOYEE = '801874939';

async function nationalSettled() {
  const ecToken = await api.token('employee');
  const no = orderNo();
  expect((await api.national('SE02', { orderNo: no, ecToken, payRequest: payRequestFor(ecToken, EMPLOYEE, '123.45') })).infcode).toBe(0);
  const out = await waitFor(async () => (await api.national('SE04', { ecToken })).output);
  return { orderNo: no, setl: se04Output.parse(out).settlement!.setlinfo };
}

async function wuqiSettled() {
  const ecToken = await api.token('mutual-aid');
  const bill = sampleWuqiBill('SI12', '88.80');
  const no = orderNo().slice(1);
  expect((await api.wuqi('SE02', { orderNo: no, ecToken, payRequest: JSON.stringify({ ...bill.xxnr, cardtype: '3', carddata: ecToken }) })).xxfhm).toBe('P001');
  const out = await waitFor(async () => {
    const r = await api.wuqi('SE04', { ecToken });
    return r.xxfhm === 'P001' ? r.xxnr : undefined;
  });
  return { orderNo: no, ecToken, settlement: wuqiSe04Output.parse(out).wuqi! };
}

const q5203 = (s: { psn_no: string; setl_id: string; mdtrt_id: string }) =>
  api.national('5203', { data: { psn_no: s.psn_no, setl_id: s.setl_id, mdtrt_id: s.mdtrt_id } });
const inject = (orderNo: string, kind: string) => api.post('/__sim/centre/differences', { orderNo, kind });

describe('national 5203', () => {
  test('answers 表381/382 for the settlement: psn_pay / cash_payamt, refd_setl_flag 0, then 1 after 2208', async () => {
    const { setl } = await nationalSettled();
    const r = await q5203(setl);
    expect(r.infcode).toBe(0);
    const out = query5203Output.parse(r.output);
    expect(out.setlinfo).toMatchObject({
      setl_id: setl.setl_id,
      mdtrt_id: setl.mdtrt_id,
      medfee_sumamt: '123.45',
      psn_pay: setl.psn_part_amt,
      cash_payamt: setl.psn_cash_pay,
      medins_setl_id: setl.medins_setl_id,
      refd_setl_flag: '0',
    });
    expect(out.setlinfo).not.toHaveProperty('psn_cash_pay');
    expect(out.setldetail.length).toBeGreaterThan(0);
    expect((await api.national('2208', { data: { psn_no: setl.psn_no, setl_id: setl.setl_id, mdtrt_id: setl.mdtrt_id } })).infcode).toBe(0);
    expect(query5203Output.parse((await q5203(setl)).output).setlinfo.refd_setl_flag).toBe('1');
  });

  test('refuses an unknown setl_id (未找到), another person or 就诊ID, an input missing a field, a header without insuplc_admdvs', async () => {
    const { setl } = await nationalSettled();
    expect((await q5203({ ...setl, setl_id: 'NOPE' })).err_msg).toMatch(/未找到/);
    expect((await q5203({ ...setl, mdtrt_id: 'OTHER' })).err_msg).toMatch(/不一致/);
    expect((await api.national('5203', { data: { psn_no: setl.psn_no, setl_id: setl.setl_id } })).err_msg).toMatch(/入参校验失败.*mdtrt_id/);
    const signNo = await api.signNo();
    const env = {
      ...nationalEnvelope('5203', { data: { psn_no: setl.psn_no, setl_id: setl.setl_id, mdtrt_id: setl.mdtrt_id } }, undefined, { signNo }),
      insuplc_admdvs: '',
    };
    expect((await api.prod(env)).err_msg).toMatch(/insuplc_admdvs/);
  });

  test('5203A by medins_setl_id: the settlement row, and its 退费 row (refd_setl_flag 1) once refunded', async () => {
    const { setl } = await nationalSettled();
    const ask = () =>
      api.national('5203A', { data: { psn_no: setl.psn_no, medins_setl_id: setl.medins_setl_id, mdtrt_id: setl.mdtrt_id, med_type: setl.med_type } });
    expect(query5203AOutput.parse((await ask()).output)).toMatchObject([{ setl_id: setl.setl_id, refd_setl_flag: '0', vali_flag: '1' }]);
    await api.national('2208', { data: { psn_no: setl.psn_no, setl_id: setl.setl_id, mdtrt_id: setl.mdtrt_id } });
    expect(query5203AOutput.parse((await ask()).output)).toMatchObject([
      { setl_id: setl.setl_id, refd_setl_flag: '0' },
      { init_setl_id: setl.setl_id, refd_setl_flag: '1', medfee_sumamt: '-123.45' },
    ]);
    const none = await api.national('5203A', {
      data: { psn_no: setl.psn_no, medins_setl_id: 'H3101100005320990101000000001', mdtrt_id: setl.mdtrt_id, med_type: setl.med_type },
    });
    expect(query5203AOutput.parse(none.output)).toEqual([]);
  });

  test('injected: an amount, a reversal, a missing settlement', async () => {
    const a = await nationalSettled();
    await inject(a.orderNo, 'amount');
    expect(query5203Output.parse((await q5203(a.setl)).output).setlinfo).toMatchObject({ medfee_sumamt: '124.45', cash_payamt: expect.any(String) });
    const b = await nationalSettled();
    await inject(b.orderNo, 'reversed');
    expect(query5203Output.parse((await q5203(b.setl)).output).setlinfo.refd_setl_flag).toBe('1');
    const c = await nationalSettled();
    await inject(c.orderNo, 'missing');
    expect((await q5203(c.setl)).err_msg).toMatch(/未找到/);
  });
});

describe('五期 SI91', () => {
  test('answers §4.6.3.3 (with A.5 fields) for the 令牌 and jssqxh: the settlement lsh, paystatus 1', async () => {
    const { ecToken, settlement } = await wuqiSettled();
    const r = await api.wuqi('SI91', { cardtype: '3', carddata: ecToken, jssqxh: settlement.jssqxh, totalexpense: '70.00' });
    expect(r.xxfhm).toBe('P001');
    const out = si91Output.parse(r.xxnr);
    expect(out).toMatchObject({ lsh: settlement.lsh, jssqxh: settlement.jssqxh, paystatus: '1', qfdxjzfs: '0.00', zfgjzhzfs: expect.any(String) });
    expect(out.totalexpense).toBe(settlement.xxnr.totalexpense);
  });

  test('P610 for another jssqxh; C002 for an input off §4.6.3.2; P700 for an unknown 令牌; injected reversal paystatus 0, refused 令牌 P300', async () => {
    const { orderNo: no, ecToken, settlement } = await wuqiSettled();
    const ask = (over: Record<string, unknown> = {}) =>
      api.wuqi('SI91', { cardtype: '3', carddata: ecToken, jssqxh: settlement.jssqxh, totalexpense: '70.00', ...over });
    expect((await ask({ jssqxh: 'JSOTHER' })).xxfhm).toBe('P610');
    expect((await ask({ totalexpense: '70' })).xxfhm).toBe('C002');
    expect((await ask({ carddata: '310000ectunknown000000000000' })).xxfhm).toBe('P700');
    await inject(no, 'reversed');
    expect(si91Output.parse((await ask()).xxnr).paystatus).toBe('0');
    await inject(no, 'tokenRefused');
    expect(await ask()).toMatchObject({ xxfhm: 'P300', fhxx: expect.stringMatching(/令牌/) });
  });
});

test('the control API refuses an unknown kind or a 0 delta, lists and clears the differences', async () => {
  const no = orderNo();
  expect((await api.post('/__sim/centre/differences', { orderNo: no, kind: 'bogus' })).statusCode).toBe(400);
  expect((await api.post('/__sim/centre/differences', { orderNo: no, kind: 'amount', deltaFen: 0 })).statusCode).toBe(400);
  expect((await inject(no, 'missing')).statusCode).toBe(201);
  expect((await got.get(`${sim.url}/__sim/centre/differences`, { responseType: 'json' })).body).toEqual([
    { orderNoSuffix: no.slice(-23), kind: 'missing', deltaFen: 100 },
  ]);
  await got.delete(`${sim.url}/__sim/centre/differences`);
  expect((await got.get(`${sim.url}/__sim/centre/differences`, { responseType: 'json' })).body).toEqual([]);
});
