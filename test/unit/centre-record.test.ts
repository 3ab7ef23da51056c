import { query5203AInput, query5203AOutput, query5203Input, query5203Output, si91Input, si91Output } from '../../protocol/centre-query';
import {
  centreQueryFor,
  compareRecords,
  ourRecord,
  readRefdSetlFlag,
  recordFrom5203,
  recordFrom5203A,
  recordFromSi91,
  type CentreRecord,
  type OrderFacts,
} from '../../protocol/centre-record';

// The centre's record (issue 18 item 1): the 5203 / 5203A / SI91 schemas to the letter of their tables,
// the route-neutral record in fen, the refunded reading, and the comparison with ours.

const setlinfo5203 = {
  setl_id: '44020',
  mdtrt_id: '44793',
  psn_no: '888838818',
  psn_name: '张三',
  psn_cert_type: '01',
  certno: '310101199001011234',
  gend: '1',
  insutype: '310',
  psn_type: '11',
  cvlserv_flag: '0',
  pay_loc: '2',
  fixmedins_code: 'H31011000053',
  fixmedins_name: '三级机构',
  begndate: '2022-03-03',
  enddate: '2022-03-03',
  setl_time: '2022-03-03 12:54:40',
  med_type: '12',
  clr_type: '11',
  medfee_sumamt: '10000.00',
  fulamt_ownpay_amt: '0.00',
  overlmt_selfpay: '0.00',
  preselfpay_amt: '0.00',
  inscp_scp_amt: '10000.00',
  act_pay_dedc: '0.00',
  hifp_pay: '7000.00',
  pool_prop_selfpay: '0.3000',
  cvlserv_pay: '0.00',
  hifes_pay: '0.00',
  hifmi_pay: '0.00',
  hifob_pay: '0.00',
  maf_pay: '0.00',
  oth_pay: '0.00',
  fund_pay_sumamt: '7000.00',
  psn_pay: '3000.00',
  acct_pay: 1000,
  cash_payamt: '2000.00',
  balc: '0.00',
  acct_mulaid_pay: '0.00',
  medins_setl_id: 'H31011000053202203032053500001',
  refd_setl_flag: '0',
  year: '2022',
};
const row5203A = { ...setlinfo5203, psn_insu_rlts_id: 'R1', setl_type: '2', vali_flag: '1', init_setl_id: '' };
const si91 = {
  cardtype: '3',
  cardid: '801874940',
  personname: '乙',
  accountattr: '20000000000G0000',
  jzdyh: 'JZ1',
  lsh: '2026120401000001',
  jssqxh: 'JS1',
  totalexpense: '90.00',
  curaccountamt: '0.00',
  hisaccountamt: '0.00',
  ybjsfwfyze: '90.00',
  fybjsfwfyze: '10.00',
  curaccountpay: '0.00',
  hisaccountpay: '0.00',
  zfdxjzfs: '0.00',
  zfdlnzhzfs: '0.00',
  qfdzhzfs: '0.00',
  tcdzhzfs: '0.00',
  fjdzhzfs: '0.00',
  qfdxjzfs: '0.00',
  tcdxjzfs: '9.00',
  fjdxjzfs: '0.00',
  tczfs: '81.00',
  fjzfs: '0.00',
  paystatus: '1',
  zflnzhzfs: '0.00',
  zfgjzhzfs: '3.00',
};

describe('5203 / 5203A / SI91 schemas', () => {
  test('5203 input (表380): psn_no, setl_id, mdtrt_id all required, nothing else', () => {
    expect(query5203Input.safeParse({ data: { psn_no: '1', setl_id: '2', mdtrt_id: '3' } }).success).toBe(true);
    expect(query5203Input.safeParse({ data: { psn_no: '1', setl_id: '', mdtrt_id: '3' } }).success).toBe(false);
    expect(query5203Input.safeParse({ data: { psn_no: '1', setl_id: '2' } }).success).toBe(false);
    expect(query5203Input.safeParse({ data: { psn_no: '1', setl_id: '2', mdtrt_id: '3', medins_setl_id: 'x' } }).success).toBe(false);
  });
  test('5203A input (表383): psn_no, medins_setl_id, mdtrt_id, med_type all required', () => {
    expect(query5203AInput.safeParse({ data: { psn_no: '1', medins_setl_id: 'M', mdtrt_id: '3', med_type: '11' } }).success).toBe(true);
    expect(query5203AInput.safeParse({ data: { psn_no: '1', medins_setl_id: 'M', mdtrt_id: '3' } }).success).toBe(false);
  });
  test('5203 output (表381): the 非空 fields are required; psn_pay / cash_payamt, not 2207 names', () => {
    expect(query5203Output.safeParse({ setlinfo: setlinfo5203 }).success).toBe(true);
    for (const k of ['refd_setl_flag', 'cash_payamt', 'setl_time', 'medins_setl_id', 'year']) {
      const { [k]: _drop, ...rest } = setlinfo5203 as Record<string, unknown>;
      expect({ k, ok: query5203Output.safeParse({ setlinfo: rest }).success }).toEqual({ k, ok: false });
    }
    expect(query5203Output.safeParse({ setlinfo: { ...setlinfo5203, setl_time: '20220303125440' } }).success).toBe(false);
  });
  test('5203A output (表384): a list, bare or under setlinfo / data; vali_flag required', () => {
    expect(query5203AOutput.parse([row5203A])).toHaveLength(1);
    expect(query5203AOutput.parse({ setlinfo: [row5203A, row5203A] })).toHaveLength(2);
    expect(query5203AOutput.parse({ data: [] })).toEqual([]);
    const { vali_flag: _v, ...noVali } = row5203A;
    expect(query5203AOutput.safeParse([noVali]).success).toBe(false);
  });
  test('SI91 input (§4.6.3.2): cardtype 0-3, carddata ≤ 63, jssqxh ≤ 34, totalexpense 数字格式A', () => {
    const ok = { cardtype: '3', carddata: '310000ect0123456789abcdef', jssqxh: 'JS1', totalexpense: '100.00' };
    expect(si91Input.safeParse(ok).success).toBe(true);
    expect(si91Input.safeParse({ ...ok, totalexpense: '100' }).success).toBe(false);
    expect(si91Input.safeParse({ ...ok, cardtype: '4' }).success).toBe(false);
    expect(si91Input.safeParse({ ...ok, jssqxh: 'x'.repeat(35) }).success).toBe(false);
    expect(si91Input.safeParse({ ...ok, carddata: '' }).success).toBe(false);
  });
  test('SI91 output (§4.6.3.3): 非空 fields and paystatus 1/0 required; A.5 fields optional', () => {
    expect(si91Output.safeParse(si91).success).toBe(true);
    expect(si91Output.safeParse({ ...si91, paystatus: '2' }).success).toBe(false);
    const { lsh: _l, ...noLsh } = si91;
    expect(si91Output.safeParse(noLsh).success).toBe(false);
    const { zflnzhzfs: _a, zfgjzhzfs: _b, ...noV106 } = si91;
    expect(si91Output.safeParse(noV106).success).toBe(true);
  });
});

describe('the route-neutral record, in fen', () => {
  test('5203: amounts from medfee_sumamt, fund_pay_sumamt, acct_pay, cash_payamt (string or number)', () => {
    expect(recordFrom5203(query5203Output.parse({ setlinfo: setlinfo5203 }).setlinfo)).toEqual({
      setlId: '44020',
      mdtrtId: '44793',
      setlTime: '2022-03-03 12:54:40',
      medfee: 1_000_000,
      fund: 700_000,
      account: 100_000,
      cash: 200_000,
      refunded: false,
      paid: true,
    });
  });
  test('refunded reading: refd_setl_flag 1 is a 退费 record, 0 is not, anything else is not read', () => {
    expect([readRefdSetlFlag('1'), readRefdSetlFlag('0'), readRefdSetlFlag('2'), readRefdSetlFlag(undefined)]).toEqual([true, false, null, null]);
    expect(recordFrom5203(query5203Output.parse({ setlinfo: { ...setlinfo5203, refd_setl_flag: '1' } }).setlinfo).refunded).toBe(true);
  });
  test('5203A: our setl_id row is the settlement; a 退费 row makes it refunded; vali_flag 0 is not paid', () => {
    const refundRow = { ...row5203A, setl_id: '44021', refd_setl_flag: '1', medfee_sumamt: '-10000.00' };
    expect(recordFrom5203A(query5203AOutput.parse([refundRow, row5203A]), '44020')).toMatchObject({
      setlId: '44020',
      medfee: 1_000_000,
      refunded: true,
      paid: true,
    });
    expect(recordFrom5203A(query5203AOutput.parse([row5203A]))).toMatchObject({ setlId: '44020', refunded: false, paid: true });
    expect(recordFrom5203A(query5203AOutput.parse([{ ...row5203A, vali_flag: '0' }]))).toMatchObject({ paid: false });
    expect(recordFrom5203A([])).toBeUndefined();
  });
  test('SI91: medfee = totalexpense + fybjsfwfyze; fund = tczfs + fjzfs; cash between in-scope cash and the self-pay not paid by 自费 accounts; refunded not said', () => {
    expect(recordFromSi91(si91Output.parse(si91))).toEqual({
      setlId: '2026120401000001',
      mdtrtId: 'JZ1',
      setlTime: null,
      medfee: 10_000,
      fund: 8_100,
      account: 300,
      cash: 1_600,
      cashMin: 900,
      refunded: null,
      paid: true,
    });
    expect(recordFromSi91(si91Output.parse({ ...si91, paystatus: '0' })).paid).toBe(false);
  });
});

const nationalView: OrderFacts = {
  status: 'PAID',
  route: 'NATIONAL',
  psnNo: '888838818',
  insuplcAdmdvs: '310104',
  setlinfo: {
    setl_id: '44020',
    mdtrt_id: '44793',
    psn_no: '888838818',
    med_type: '12',
    setl_time: '2022-03-03 12:54:40',
    medins_setl_id: 'H31011000053202203032053500001',
    medfee_sumamt: '10000.00',
    fund_pay_sumamt: '7000.00',
    acct_pay: '1000.00',
    psn_cash_pay: '2000.00',
  },
};

describe('what to ask', () => {
  test('national with setl_id: 5203 with psn_no, setl_id, mdtrt_id and the view insuplcAdmdvs for the header', () => {
    expect(centreQueryFor(nationalView)).toEqual({
      infno: '5203',
      input: { data: { psn_no: '888838818', setl_id: '44020', mdtrt_id: '44793' } },
      insuplcAdmdvs: '310104',
      setlId: '44020',
    });
  });
  test('national without setl_id but with the payResponse medins_setl_id: 5203A', () => {
    const { setl_id: _s, ...noSetl } = nationalView.setlinfo!;
    expect(centreQueryFor({ ...nationalView, setlinfo: noSetl })).toEqual({
      infno: '5203A',
      input: { data: { psn_no: '888838818', medins_setl_id: 'H31011000053202203032053500001', mdtrt_id: '44793', med_type: '12' } },
      insuplcAdmdvs: '310104',
    });
  });
  test('nothing known (SE02 outcome unknown, PROCESSING, FAILED): nothing to ask', () => {
    expect(centreQueryFor({ status: 'NEEDS_REVIEW', route: 'NATIONAL', psnNo: '1' })).toEqual({ none: expect.stringMatching(/SE04/) });
    expect(centreQueryFor({ status: 'PROCESSING', route: 'WUQI', ecToken: '310000ect1' })).toEqual({ none: expect.stringMatching(/SE04/) });
  });
  test('五期: SI91 with cardtype 3, the stored 令牌 as carddata, jssqxh and totalexpense', () => {
    const v: OrderFacts = {
      status: 'PAID',
      route: 'WUQI',
      ecToken: '310000ect0123456789abcdef',
      wuqi: { lsh: 'L', jssqxh: 'JS1', totalexpense: '90.00', cash: '7.00', fund: '81.00', account: '2.00' },
    };
    expect(centreQueryFor(v)).toEqual({ xxlxm: 'SI91', input: { cardtype: '3', carddata: '310000ect0123456789abcdef', jssqxh: 'JS1', totalexpense: '90.00' } });
  });
});

describe('the comparison', () => {
  const ours = ourRecord(nationalView)!;
  const centre: CentreRecord = { ...ours, refunded: false };
  test('ours from the verified setlinfo; the same record agrees', () => {
    expect(ours).toEqual({
      setlId: '44020',
      mdtrtId: '44793',
      setlTime: '2022-03-03 12:54:40',
      medfee: 1_000_000,
      fund: 700_000,
      account: 100_000,
      cash: 200_000,
      refunded: false,
      paid: true,
    });
    expect(compareRecords(ours, centre)).toEqual([]);
  });
  test('each differing field is named with both sides; a missing record is the field found', () => {
    expect(compareRecords(ours, { ...centre, medfee: 1_000_100, cash: 200_100 })).toEqual([
      { field: 'medfee', ours: 1_000_000, centre: 1_000_100 },
      { field: 'cash', ours: 200_000, centre: 200_100 },
    ]);
    expect(compareRecords(ours, { ...centre, refunded: true })).toEqual([{ field: 'refunded', ours: false, centre: true }]);
    expect(compareRecords(ours, undefined)).toEqual([{ field: 'found', ours: true, centre: false }]);
  });
  test('a field either side does not state is not compared; 五期 cash agrees within the centre bounds', () => {
    expect(compareRecords({ ...ours, refunded: true }, { ...centre, refunded: null, mdtrtId: null })).toEqual([]);
    expect(compareRecords({ ...ours, cash: 150 }, { ...centre, cash: 200, cashMin: 100 })).toEqual([]);
    expect(compareRecords({ ...ours, cash: 99 }, { ...centre, cash: 200, cashMin: 100 })).toEqual([{ field: 'cash', ours: 99, centre: 200 }]);
  });
  test('ours: refunded once the insurance part is refunded; paid only once decided', () => {
    expect(ourRecord({ ...nationalView, status: 'REFUNDING', refund: { status: 'INSURANCE_REFUNDED', insuranceRefundedAt: 'x' } })).toMatchObject({
      refunded: true,
      paid: true,
    });
    expect(ourRecord({ ...nationalView, status: 'NEEDS_REVIEW' })).toMatchObject({ refunded: false, paid: null });
    expect(ourRecord({ status: 'PROCESSING', route: 'NATIONAL' })).toBeUndefined();
  });
});
