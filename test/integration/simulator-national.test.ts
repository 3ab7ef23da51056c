import got from 'got';
import { se04Output } from '../../protocol/se-messages';
import { useSimulator, type SimUnderTest } from '../helpers/sim-fixture';
import { waitFor } from '../helpers/receiver';
import { nationalEnvelope, orderNo, payRequestFor } from '../helpers/sim-client';

// The simulator's national rules beyond the SE flow: 9001/9002 on the prod path, insuplc_admdvs,
// 1101 and 2601 (national §5.8.1, 表3 #4, §5.1.1.1, §5.2.7.1; Shanghai guide §4.10, §5.1).

let sim: SimUnderTest['sim'];
let api: SimUnderTest['api'];
const EMPLOYEE = '801874939';
const PROD = '/gjptqzyy-prod/api/v1/route';
const TEST = '/gjptqzyy-test/api/v1/route';

useSimulator('sim-test', { pushRetryMs: 50, settleDelayMs: 30, refundProcessingMs: 200 }, (s) => ({ sim, api } = s));

const signIn = async (opter_no = 'OPS01') =>
  (await api.prod(nationalEnvelope('9001', { signIn: { opter_no, mac: '00:11:22:33:44:55', ip: '10.0.0.8' } }))).output?.signinoutb?.sign_no as string;

async function settled(personId = 'employee', psnNo = EMPLOYEE) {
  const ecToken = await api.token(personId);
  expect((await api.national('SE02', { orderNo: orderNo(), ecToken, payRequest: payRequestFor(ecToken, psnNo) })).infcode).toBe(0);
  const out = await waitFor(async () => (await api.national('SE04', { ecToken })).output);
  return { ecToken, setl: se04Output.parse(out).settlement!.setlinfo };
}

describe('9001 / 9002 and sign_no on the prod path', () => {
  test('9001 answers signinoutb; one operator gets one sign_no on every terminal (§5.8.1.1.2)', async () => {
    const a = await signIn('OPS01');
    expect(a).toMatch(/^\w{1,30}$/);
    expect(await signIn('OPS01')).toBe(a);
    expect(await signIn('OPS02')).not.toBe(a);
  });

  test('the prod path refuses a missing or unknown sign_no; a valid one passes; the test path needs none', async () => {
    const ecToken = await api.token('employee');
    const missing = await api.prod(nationalEnvelope('SE04', { ecToken }));
    expect(missing).toMatchObject({ infcode: -1, err_msg: expect.stringContaining('签到') });
    const bad = await api.prod(nationalEnvelope('SE04', { ecToken }, undefined, { signNo: 'not-a-sign-no' }));
    expect(bad.err_msg).toMatch(/签到/);
    const signNo = await signIn();
    const good = await api.prod(nationalEnvelope('SE04', { ecToken }, undefined, { signNo }));
    expect(good.err_msg).toBe('未找到该电子凭证令牌的支付订单'); // past the header: a business answer
    expect((await api.route(nationalEnvelope('SE04', { ecToken }))).err_msg).toBe('未找到该电子凭证令牌的支付订单');
  });

  test('9002 signs out: the sign_no is refused afterwards (§5.8.1.2.2)', async () => {
    const signNo = await signIn('OPS03');
    const out = await api.prod(nationalEnvelope('9002', { signOut: { sign_no: signNo, opter_no: 'OPS03' } }, undefined, { signNo }));
    expect(out.infcode).toBe(0);
    expect(out.output.signoutoutb.sign_time).toMatch(/^\d{4}-\d{2}-\d{2} /);
    const after = await api.prod(nationalEnvelope('SE04', { ecToken: 'x' }, undefined, { signNo }));
    expect(after.err_msg).toMatch(/签到/);
  });

  test('a bad 9001 input names the fields', async () => {
    const r = await api.prod(nationalEnvelope('9001', { signIn: { opter_no: 'X' } }));
    expect(r.infcode).toBe(-1);
    expect(r.err_msg).toMatch(/signIn\.mac/);
  });
});

describe('insuplc_admdvs (national 表3 #4)', () => {
  test('required when the input carries a psn_no (SE02 payRequest, 2208, 2601); not for SE04', async () => {
    const ecToken = await api.token('employee');
    const se02 = await api.route(
      nationalEnvelope('SE02', { orderNo: orderNo(), ecToken, payRequest: payRequestFor(ecToken, EMPLOYEE) }, undefined, { insuplcAdmdvs: '' }),
    );
    expect(se02).toMatchObject({ infcode: -1, err_msg: expect.stringContaining('insuplc_admdvs') });
    const r2208 = await api.route(nationalEnvelope('2208', { data: { psn_no: EMPLOYEE, setl_id: '1', mdtrt_id: '1' } }, undefined, { insuplcAdmdvs: '' }));
    expect(r2208.err_msg).toMatch(/insuplc_admdvs/);
    const r2601 = await api.route(
      nationalEnvelope('2601', { data: { psn_no: EMPLOYEE, omsgid: 'H31011000053202601010000000001', oinfno: '2208' } }, undefined, { insuplcAdmdvs: '' }),
    );
    expect(r2601.err_msg).toMatch(/insuplc_admdvs/);
    const se04 = await api.route(nationalEnvelope('SE04', { ecToken }, undefined, { insuplcAdmdvs: '' }));
    expect(se04.err_msg).not.toMatch(/insuplc_admdvs/);
  });
});

describe('1101 人员信息获取', () => {
  const data = (ecToken: string, extra: Record<string, unknown> = {}) => ({
    data: {
      mdtrt_cert_type: '01',
      mdtrt_cert_no: ecToken,
      card_sn: '',
      psn_cert_type: '01',
      certno: '310000200006150001',
      psn_name: '测试人员三四五',
      ...extra,
    },
  });

  test('with mdtrt_cert_type 01 + ecToken and the name and ID: baseinfo.psn_no and insuinfo[].insuplc_admdvs', async () => {
    const ecToken = await api.token('v13-sample');
    const r = await api.national('1101', data(ecToken));
    expect(r.infcode).toBe(0);
    expect(r.output.baseinfo.psn_no).toBe('888838818');
    expect(r.output.insuinfo[0].insuplc_admdvs).toBe('310104');
  });

  test('name, ID type and ID number must not be empty (Shanghai guide §5.1), and must match the e-voucher', async () => {
    const ecToken = await api.token('v13-sample');
    expect((await api.national('1101', data(ecToken, { psn_name: '' }))).err_msg).toMatch(/psn_name/);
    expect((await api.national('1101', data(ecToken, { certno: undefined }))).err_msg).toMatch(/certno/);
    expect((await api.national('1101', data(ecToken, { psn_name: '别人' }))).err_msg).toBe('姓名、证件类型或证件号码与电子凭证不一致');
    // the certificate type is SE01's idtype (Shanghai guide §4.3.2 item 2): another type is refused too
    expect((await api.national('1101', data(ecToken, { psn_cert_type: '17' }))).err_msg).toBe('姓名、证件类型或证件号码与电子凭证不一致');
    expect((await api.national('1101', data('bad-token'))).err_msg).toBe('电子凭证令牌无效');
  });
});

describe('2601 冲正 of a 2208', () => {
  const refundInput = (setl: { psn_no: string; setl_id: string; mdtrt_id: string }) => ({
    data: { psn_no: setl.psn_no, setl_id: setl.setl_id, mdtrt_id: setl.mdtrt_id },
  });

  test('a 2208 that acted before it timed out (hang after processing) is reversed; a new 2208 with a new msgid then refunds', async () => {
    await api.settings({ refundProcessingMs: 5_000 });
    const { ecToken, setl } = await settled();
    await api.fault({ kind: 'hang', infno: '2208', times: 1, afterProcessing: true });
    const signNo = await signIn('SIMTEST');
    const env = nationalEnvelope('2208', refundInput(setl), undefined, { signNo });
    await expect(got.post(`${sim.url}${PROD}`, { json: env, timeout: { request: 400 }, retry: { limit: 0 } })).rejects.toThrow(/Timeout/);
    let row = (await api.ledger()).settlements.find((x: any) => x.ecToken === ecToken);
    expect(row).toMatchObject({ insuranceRefunded: true, cashRefund: { status: '0' } });
    const rev = await api.national('2601', { data: { psn_no: setl.psn_no, omsgid: env.msgid, oinfno: '2208' } });
    expect(rev.infcode).toBe(0);
    row = (await api.ledger()).settlements.find((x: any) => x.ecToken === ecToken);
    expect(row).toMatchObject({ insuranceRefunded: false, cashRefund: null });
    // the cancelled cash refund never reports
    expect(await api.national('SE06', { ecToken })).toMatchObject({ infcode: -1 });
    const again = await api.national('2208', refundInput(setl));
    expect(again.infcode).toBe(0);
    expect((await api.ledger()).nationalCalls).toMatchObject({ '2208': 2, '2601': 1 });
  });

  test('a 2601 for a 2208 that never arrived succeeds and bars that msgid: the late original is refused', async () => {
    const { setl } = await settled();
    const env = nationalEnvelope('2208', refundInput(setl), undefined, { signNo: await signIn('SIMTEST') });
    expect((await api.national('2601', { data: { psn_no: setl.psn_no, omsgid: env.msgid, oinfno: '2208' } })).infcode).toBe(0);
    const late = await api.prod(env);
    expect(late).toMatchObject({ infcode: -1, err_msg: '该交易已冲正，不能再处理' });
    expect((await api.ledger()).settlements.at(-1).insuranceRefunded).toBe(false);
  });

  test('2601 is refused once the cash part has been refunded, and for another psn_no', async () => {
    const { ecToken, setl } = await settled();
    const env = nationalEnvelope('2208', refundInput(setl), undefined, { signNo: await signIn('SIMTEST') });
    expect((await api.prod(env)).infcode).toBe(0);
    expect((await api.national('2601', { data: { psn_no: '999', omsgid: env.msgid, oinfno: '2208' } })).err_msg).toBe('人员编号与原交易不一致');
    await waitFor(async () => (await api.national('SE06', { ecToken })).output?.refundStatus === '1');
    expect((await api.national('2601', { data: { psn_no: setl.psn_no, omsgid: env.msgid, oinfno: '2208' } })).err_msg).toBe('现金部分已退款，不能冲正');
  });

  test('a bad 2601 input names the fields', async () => {
    const r = await api.national('2601', { data: { psn_no: 'x', omsgid: 'short', oinfno: 'SE02' } });
    expect(r.err_msg).toMatch(/omsgid/);
    expect(r.err_msg).toMatch(/oinfno/);
  });
});

test('the V13 SE02 sample (sign_no "") is accepted on the test path and refused on the prod path', async () => {
  const { v13Sample } = await import('../fixtures');
  const sample = v13Sample('se02-request');
  expect((await api.prod(sample)).err_msg).toMatch(/签到/);
  expect((await api.post(TEST, sample)).body.infcode).toBe(0);
});
