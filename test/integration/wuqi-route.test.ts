import { createLogger } from '../../common/logger';
import { createPlatformActivities } from '../../activities/platform-activities';
import { PlatformClient } from '../../platform/client';
import { MsgidGenerator, newOrderNo } from '../../protocol/msgid';
import { buildWuqiReply } from '../../protocol/wuqi';
import { billInsuredFen, billSelfPayFen, OUTPATIENT_ONLY, wuqiBillSchema, type WuqiBill } from '../../protocol/wuqi-bills';
import { sampleWuqiBill } from '../../routes/wuqi/simulator/samples';
import { formatYuan, toFen } from '../../protocol/money';
import { formatDate } from '../../protocol/shanghai-time';
import { checkCashAmount } from '../../protocol/wuqi-verify';
import { apiClient, operator } from '../helpers/api-client';
import { waitFor } from '../helpers/receiver';
import { startStack, type Stack } from '../helpers/stack';

// The 五期 route through the real API, worker, Temporal dev server and simulator over HTTP.

let stack: Stack;
let api: ReturnType<typeof apiClient>;
const token = (personId: string) => stack.sim.platform.issueToken(personId);
const types = (v: any) => v.events.map((e: any) => e.type);
const PSN = {
  cadre: '801874941',
  'mutual-aid': '801874940',
  'civil-aid': '801874945',
  'civil-aid-resident': '801874946',
  'work-injury': '801874947',
  employee: '801874939',
} as const;
// the 五期 orderNo is WUQI_ORG_CODE + our orderNo's last 23 digits (§4.8.2.2)
const ledgerRow = (orderNo: string) => stack.sim.platform.ledger().settlements.find((s) => s.orderNo === `${stack.config.wuqiOrgCode}${orderNo.slice(-23)}`);
const insured = (bill: { type: string; xxnr: object }) => formatYuan(billInsuredFen(wuqiBillSchema.parse(bill) as WuqiBill));
const selfPay = (bill: { type: string; xxnr: object }) => formatYuan(billSelfPayFen(wuqiBillSchema.parse(bill) as WuqiBill));
/** A 互助帮困 person with a 共济 balance large enough that the 自费共济账户 pays part of the self-pay items (V1.0.6 A.1 zfgjzhzfs). */
const RICH = {
  id: 'mutual-aid-rich',
  name: '测试共济富',
  idno: '310101197111111234',
  psnNo: '801874990',
  accountattr: '20000000000G0000',
  fundRatio: 0.7,
  accountBalanceFen: 3_000,
  channel: 'wechat' as const,
};

beforeAll(async () => {
  stack = await startStack();
  api = apiClient(stack.api.url);
  stack.sim.platform.addPerson({ idtype: '01', insutype: '310', psnType: '12', ...RICH });
});
afterAll(() => stack?.close());
beforeEach(() => {
  stack.sim.platform.faults.clear();
  Object.assign(stack.sim.platform.settings, { pushMode: 'on', settleDelayMs: 100, refundProcessingMs: 300, sk01RefusesExpiredTokens: false });
});

describe('a 五期 settlement of each bill type, with and without self-pay items, ends PAID', () => {
  const paidOrders: string[] = [];
  // docs/spec-readings.md "五期 route", 五期 cash part: totalexpense settles the 医保结算范围 part; the 非医保结算范围 part (fybjsfwfyze) is outside it,
  // and the patient's cash (the channel amount) is the in-scope cash plus the self-pay part no 自费 account paid.
  test.each([
    ['SH02 without self-pay', 'cadre', sampleWuqiBill('SH02', '88.80')],
    ['SH02 with self-pay items', 'civil-aid-resident', sampleWuqiBill('SH02', '88.80', { selfPay: '12.30' })],
    ['SI12 without self-pay', 'mutual-aid', sampleWuqiBill('SI12', '88.80', { selfPay: '0.00' })],
    ['SI12 with self-pay items', 'mutual-aid', sampleWuqiBill('SI12', '88.80')],
  ] as const)('%s for %s by push (confirmed by SE04), keeping lsh, jssqxh, totalexpense and the cash paid', async (_n, person, bill) => {
    const orderNo = await api.settle(token(person), PSN[person], '100.00', { wuqiPayRequest: bill });
    const v = await api.until(orderNo, (x) => x.status !== 'PROCESSING');
    expect(v.status).toBe('PAID');
    expect(v.route).toBe('WUQI');
    expect(v.reason).toBe('by push');
    expect(types(v)).toEqual(expect.arrayContaining(['ROUTED', 'SE02_RECEIVED', 'PUSH_RECEIVED', 'POLL_ANSWERED', 'STATUS_PAID']));
    const row = ledgerRow(orderNo)!;
    expect(v.wuqi).toMatchObject({ type: bill.type, lsh: row.lsh, totalexpense: insured(bill), selfPay: selfPay(bill), cash: row.cash });
    expect(v.amount).toBe(row.cash);
    // the cash paid covers the self-pay items: in-scope cash + 非医保结算范围 (no 自费 account balance here)
    expect(toFen(v.wuqi.cash)).toBe(toFen(v.wuqi.inScopeCash) + toFen(v.wuqi.selfPay));
    paidOrders.push(orderNo);
  });

  test('SI12 with self-pay items partly paid by the 自费共济账户: the cash paid is less than in-scope cash + self-pay, still PAID', async () => {
    // 90.00 insured (fund 63.00), 10.00 self-pay; the 30.00 共济 balance pays 27.00 in the 统筹段 and 3.00 of the self-pay
    const bill = sampleWuqiBill('SI12', '100.00');
    const orderNo = await api.settle(token(RICH.id), RICH.psnNo, '100.00', { wuqiPayRequest: bill });
    const v = await api.until(orderNo, (x) => x.status !== 'PROCESSING');
    expect(v.status).toBe('PAID');
    expect(v.wuqi).toMatchObject({ totalexpense: '90.00', selfPay: '10.00', selfPayAccount: '3.00', inScopeCash: '0.00', cash: '7.00' });
    expect(ledgerRow(orderNo)).toMatchObject({ cash: '7.00' });
    paidOrders.push(orderNo);
  });

  test('reconciliation rows carry lsh, jssqxh, totalexpense and the cash part of the 五期 settlements', async () => {
    const r = await api.call('get', `/api/reconciliation?date=${formatDate(Date.now())}`);
    expect(r.status).toBe(200);
    expect(paidOrders).toHaveLength(5);
    for (const orderNo of paidOrders) {
      const v = (await api.get(orderNo)).body;
      const row = r.body.rows.find((x: any) => x.orderNo === orderNo && x.type === 'SETTLEMENT');
      // medfee = the whole bill (insured + self-pay); acct_pay includes what the 自费 accounts paid; psn_cash_pay = the cash paid
      const whole = formatYuan(toFen(v.wuqi.totalexpense) + toFen(v.wuqi.selfPay));
      const acct = formatYuan(toFen(v.wuqi.account) + toFen(v.wuqi.selfPayAccount));
      expect(row).toMatchObject({
        status: 'PAID',
        setl_id: v.wuqi.lsh,
        lsh: v.wuqi.lsh,
        jssqxh: v.wuqi.jssqxh,
        medfee_sumamt: whole,
        psn_cash_pay: v.wuqi.cash,
        fund_pay_sumamt: v.wuqi.fund,
        acct_pay: acct,
      });
      expect(toFen(row.fund_pay_sumamt) + toFen(row.acct_pay) + toFen(row.psn_cash_pay)).toBe(toFen(row.medfee_sumamt));
    }
  });
});

describe('routing decisions record their reason', () => {
  test('工伤: an SH02 bill with persontype 1 goes to 五期 for an employee', async () => {
    const orderNo = await api.settle(token('work-injury'), PSN['work-injury'], '100.00', {
      wuqiPayRequest: sampleWuqiBill('SH02', '60.00', { persontype: '1' }),
    });
    const v = await api.until(orderNo, (x) => x.status === 'PAID');
    expect(v.route).toBe('WUQI');
    expect(v.events.find((e: any) => e.type === 'ROUTED').detail).toMatch(/^WUQI: WORK_INJURY_BILL 工伤/);
  });
  test('干保: the accountattr position is the reason', async () => {
    const orderNo = await api.settle(token('cadre'), PSN.cadre, '100.00', { wuqiPayRequest: sampleWuqiBill('SH02', '10.00') });
    const v = await api.until(orderNo, (x) => x.status !== 'PROCESSING');
    expect(v.events.find((e: any) => e.type === 'ROUTED').detail).toMatch(/^WUQI: accountattr\[2\]=1 干部保健对象/);
  });
});

describe('a forged or inconsistent 五期 result never becomes PAID', () => {
  // The wiring: the 五期 receiver reads payResponse and routes the push to its order, whose verification rejects it
  // (what the order then does, by the deadline or by SE04, is the time-skipping matrix's).
  test('a push whose payResponse breaks the sum rule: acknowledged (P001), routed to its order and rejected there, never PAID', async () => {
    stack.sim.platform.settings.pushMode = 'off';
    stack.sim.platform.settings.settleDelayMs = 60_000; // SE04 keeps answering "in progress"
    const ecToken = token('mutual-aid');
    const orderNo = await api.settle(ecToken, PSN['mutual-aid'], '100.00', { wuqiPayRequest: sampleWuqiBill('SI12', '100.00') });
    await api.until(orderNo, (x) => types(x).includes('SE02_RECEIVED'));
    const payResponse = {
      cardtype: '3',
      cardid: '',
      lsh: '2026112799000001',
      jssqxh: 'JS1',
      totalexpense: '100.00',
      curaccountpay: '0.00',
      hisaccountpay: '0.00',
      zfdxjzfs: '0.00',
      zfdlnzhzfs: '0.00',
      tcdzhzfs: '0.00',
      tcdxjzfs: '1.00',
      tczfs: '90.00',
      fjdzhzfs: '0.00',
      fjdxjzfs: '0.00',
      fjzfs: '0.00',
      curaccountamt: '0.00',
      hisaccountamt: '0.00',
      ybjsfwfyze: '100.00',
      fybjsfwfyze: '0.00',
      jlc: '',
      jfje: '0.00',
    };
    const xxnr = {
      ecToken,
      payStatus: '1',
      payResponse: JSON.stringify(payResponse),
      gmt: '2026-11-27 10:00:00',
      channel: 'wechat',
      orderNo: 'TPFORGED',
      tradeNo: 'T',
      amount: '1.00',
      billTime: '20261127',
    };
    const r = await api.call('post', '/shyb/notify', buildWuqiReply({ xxlxm: 'SE03', msgid: '3100000000020261127000000001', xxfhm: '', fhxx: '', xxnr }));
    expect(r.status).toBe(200);
    expect(r.body.xxfhm).toBe('P001');
    const v = await api.until(orderNo, (x) => types(x).includes('PUSH_REJECTED'));
    expect(v.events.find((e: any) => e.type === 'PUSH_REJECTED').detail).toMatch(
      /^SUM_RULE_BROKEN: SI12 totalexpense 10000 fen, its terms sum to 9100 fen; asking SE04/,
    );
    expect(v.status).toBe('PROCESSING');
  });

  test('a push whose payResponse is no 五期 output is refused with C002 and the failing fields', async () => {
    const xxnr = { ecToken: 'x', payStatus: '1', payResponse: JSON.stringify({ setlinfo: {} }), gmt: '2026-11-27 10:00:00', channel: 'ybpay' };
    const r = await api.call('post', '/shyb/notify', buildWuqiReply({ xxlxm: 'SE03', msgid: '3100000000020261127000000002', xxfhm: '', fhxx: '', xxnr }));
    expect(r.status).toBe(400);
    expect(r.body.xxfhm).toBe('C002');
    expect(r.body.fhxx).toMatch(/payResponse\.lsh/);
    expect(r.body.msgid).toBe('3100000000020261127000000002');
    expect(r.body.fhxx.length).toBeLessThanOrEqual(200);
  });
});

describe('the 五期 SE05 path', () => {
  test('a refund push without its required fields is refused with C002 naming them', async () => {
    const r = await api.call(
      'post',
      '/shyb/refund',
      buildWuqiReply({ xxlxm: 'SE05', msgid: '3100000000020261127000000003', xxfhm: '', fhxx: '', xxnr: { ecToken: 'x', refundStatus: '1' } }),
    );
    expect(r.status).toBe(400);
    expect(r.body.xxfhm).toBe('C002');
    expect(r.body.fhxx).toMatch(/xxnr\.refundNo/);
  });
  test('an SE03 sent to /shyb/refund is refused as an envelope error (C001)', async () => {
    const r = await api.call(
      'post',
      '/shyb/refund',
      buildWuqiReply({ xxlxm: 'SE03', msgid: '', xxfhm: '', fhxx: '', xxnr: { ecToken: 'x', refundStatus: '1' } }),
    );
    expect(r.status).toBe(400);
    expect(r.body.xxfhm).toBe('C001');
  });
});

describe('the 五期 bill at the API', () => {
  const create = (wuqiPayRequest: unknown, ecToken = '310000ect0000000000000000wuqitok') =>
    api.create({
      ecToken,
      operator,
      payRequest: {
        psn_no: '1',
        mdtrt_id: 'M1',
        chrg_bchno: 'C',
        med_type: '11',
        medfee_sumamt: '1.00',
        insutype: '310',
        acct_used_flag: '0',
        psn_setlway: '01',
      },
      wuqiPayRequest,
    });
  test.each([
    ['an amount without 2 decimals', { type: 'SH02', xxnr: { ...sampleWuqiBill('SH02').xxnr, totalexpense: '100' } }, 'wuqiPayRequest.xxnr.totalexpense'],
    ['a missing 非空 field', { type: 'SI12', xxnr: { ...sampleWuqiBill('SI12').xxnr, jzdyh: undefined } }, 'wuqiPayRequest.xxnr.jzdyh'],
    ['cardtype 1', { type: 'SI12', xxnr: { ...sampleWuqiBill('SI12').xxnr, cardtype: '1' } }, 'wuqiPayRequest.xxnr.cardtype'],
    [
      'an SH02 totalexpense that is not ybjsfwfyze + fybjsfwfyze',
      { type: 'SH02', xxnr: { ...sampleWuqiBill('SH02').xxnr, fybjsfwfyze: '5.00' } },
      'wuqiPayRequest.xxnr.totalexpense',
    ],
    [
      'an SI12 明细账单 that does not add up',
      { type: 'SI12', xxnr: { ...sampleWuqiBill('SI12').xxnr, mxzdhs: [{ mxzdh: 'M1', totalexpense: '10.00', ybjsfwfyze: '10.00', fybjsfwfyze: '1.00' }] } },
      'wuqiPayRequest.xxnr.mxzdhs',
    ],
    ['carddata that is not the ecToken', { type: 'SH02', xxnr: { ...sampleWuqiBill('SH02').xxnr, carddata: 'other' } }, 'wuqiPayRequest.xxnr.carddata'],
    ['the old guess {zfy}', { zfy: '100.00' }, 'wuqiPayRequest.type'],
  ])('%s: 400 naming the field', async (_n, bill, path) => {
    const r = await create(bill);
    expect(r.status).toBe(400);
    expect(r.body.errors.map((d: any) => d.path)).toContain(path);
  });
  test('carddata equal to the ecToken is accepted', async () => {
    const r = await create({ type: 'SH02', xxnr: { ...sampleWuqiBill('SH02').xxnr, cardtype: '3', carddata: '310000ect0000000000000000wuqitok' } });
    expect(r.status).toBe(202);
  });
  test('OpenAPI shows the two outpatient shapes and no SI52', async () => {
    const doc = (await api.call('get', '/api/openapi.json')).body;
    const schemas = doc.components.schemas;
    expect(Object.keys(schemas)).toEqual(
      expect.arrayContaining(['WuqiPayRequest', 'WuqiPayRequestSH02', 'WuqiPayRequestSI12', 'WuqiSH02Bill', 'WuqiSI12Bill']),
    );
    expect(Object.keys(schemas).filter((k) => k.includes('SI52'))).toEqual([]);
    expect(schemas.WuqiPayRequest.description).toContain('国家平台、五期移动支付均只支持门诊交易');
  });
});

describe('outpatient only (V13 §1.1 "国家平台、五期移动支付均只支持门诊交易")', () => {
  const body = (medType: string, wuqiPayRequest?: unknown) => ({
    ecToken: '310000ect0000000000000000wuqitok',
    operator,
    payRequest: {
      psn_no: '1',
      mdtrt_id: 'M1',
      chrg_bchno: 'C',
      med_type: medType,
      medfee_sumamt: '1.00',
      insutype: '310',
      acct_used_flag: '0',
      psn_setlway: '01',
    },
    ...(wuqiPayRequest ? { wuqiPayRequest } : {}),
  });
  test('an SI52 bill: 400 quoting V13 §1.1, nothing started', async () => {
    const si52 = { type: 'SI52', xxnr: { cyjsbz: '0', jsksrq: '20261120', jsjsrq: '20261127', zyts: '7.0', deptid: '0501', jzdyh: 'JZ1', mxzdhs: [] } };
    const r = await api.create(body('11', si52));
    expect(r.status).toBe(400);
    const e = r.body.errors.find((d: any) => d.path === 'wuqiPayRequest.type');
    expect(e.message).toContain('SI52');
    expect(e.message).toContain(OUTPATIENT_ONLY);
  });
  test.each(['21', '24', '994102'])('national med_type %s (inpatient kind, guide §6.2): 400 quoting V13 §1.1', async (medType) => {
    const r = await api.create(body(medType));
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'payRequest.med_type', message: expect.stringContaining('国家平台、五期移动支付均只支持门诊交易') }),
      ]),
    );
  });
  test.each(['S21', 'S24'])('a 五期 bill with yllb %s: 400 quoting V13 §1.1', async (yllb) => {
    const r = await api.create(body('11', { type: 'SI12', xxnr: { ...sampleWuqiBill('SI12').xxnr, yllb } }));
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'wuqiPayRequest.xxnr.yllb', message: expect.stringContaining(OUTPATIENT_ONLY) })]),
    );
  });
  test.each(['11', '12', '13', '140101', '994101', '71'])('outpatient med_type %s is taken', async (medType) => {
    expect((await api.create({ ...body(medType), ecToken: `310000ect0000000000000000outp${medType}` })).status).toBe(202);
  });
});

describe('五期 refunds through the API (SK01 by the settlement lsh, the platform’s own cash refund, SE07 only as the remedy)', () => {
  test('a normal 五期 refund: one SK01 with the right translsh and totalexpense, the 五期 cash part back, no SE07', async () => {
    const orderNo = await api.settle(token('mutual-aid'), PSN['mutual-aid'], '100.00', { wuqiPayRequest: sampleWuqiBill('SI12', '100.00') });
    const paid = await api.until(orderNo, (x) => x.status === 'PAID');
    expect(toFen(paid.wuqi.cash)).toBeGreaterThan(0);
    expect((await api.refund(orderNo)).status).toBe(202);
    const v = await api.until(orderNo, (x) => x.status === 'REFUNDED');
    // the simulator finds the order by translsh and refuses (P500) another totalexpense: one accepted SK01
    expect(ledgerRow(orderNo)).toMatchObject({ sk01Count: 1, insuranceRefunded: true, se07Calls: 0, cashRefund: { status: '1', amount: paid.wuqi.cash } });
    expect(v.refund).toMatchObject({ status: 'REFUNDED', cashAmount: paid.wuqi.cash });
    // the SK01 output is kept in the refund (for reconciliation), without name and card number; the API view leaves it out
    const rv = await stack.api.service.queries.refundView(orderNo);
    expect(rv).toMatchObject({ insuranceOutput: { translsh: paid.wuqi.lsh } });
    expect(rv.insuranceOutput).not.toHaveProperty('personname');
    expect(rv.events.map((e) => e.type)).not.toContain('SE07_REMEDY');
  });

  test.each([
    ['SH02 with self-pay items', 'civil-aid-resident', sampleWuqiBill('SH02', '66.60', { selfPay: '6.60' })],
    ['SI12 with self-pay items', 'mutual-aid', sampleWuqiBill('SI12', '66.60')],
    ['SI12 without self-pay', 'mutual-aid', sampleWuqiBill('SI12', '66.60', { selfPay: '0.00' })],
  ] as const)('%s: REFUNDED, the cash paid (self-pay included) comes back, SK01 with the settled (insured) totalexpense', async (_n, person, bill) => {
    const orderNo = await api.settle(token(person), PSN[person], '100.00', { wuqiPayRequest: bill });
    const paid = await api.until(orderNo, (x) => x.status !== 'PROCESSING');
    expect(paid.status).toBe('PAID');
    await api.refund(orderNo);
    const v = await api.until(orderNo, (x) => ['REFUNDED', 'REFUND_FAILED', 'NEEDS_REVIEW'].includes(x.status));
    expect(v.status).toBe('REFUNDED');
    expect(v.refund).toMatchObject({ status: 'REFUNDED', cashAmount: paid.wuqi.cash });
    expect(ledgerRow(orderNo)).toMatchObject({ sk01Count: 1, insuranceRefunded: true, se07Calls: 0, cashRefund: { status: '1', amount: paid.wuqi.cash } });
    // reconciliation: the refund row gives back the whole bill, the cash paid included
    const rec = await api.call('get', `/api/reconciliation?date=${formatDate(Date.now())}`);
    const row = rec.body.rows.find((x: any) => x.orderNo === orderNo && x.type === 'REFUND');
    expect(row).toMatchObject({
      status: 'REFUNDED',
      psn_cash_pay: `-${paid.wuqi.cash}`,
      medfee_sumamt: `-${formatYuan(toFen(paid.wuqi.totalexpense) + toFen(paid.wuqi.selfPay))}`,
    });
  });
});

describe('a 五期 refund whose token the centre refuses (ECTOKEN_REFUSED), then a fresh e-voucher', () => {
  async function refusedOrder(bill = sampleWuqiBill('SI12', '100.00')) {
    const orderNo = await api.settle(token('mutual-aid'), PSN['mutual-aid'], '100.00', { wuqiPayRequest: bill });
    const paid = await api.until(orderNo, (x) => x.status !== 'PROCESSING');
    expect(paid.status).toBe('PAID');
    // days later: the settlement's token has expired, and this centre refuses old tokens for SK01
    stack.sim.platform.settings.sk01RefusesExpiredTokens = true;
    expect(await stack.sim.platform.expireTokens()).toBeGreaterThan(0);
    expect((await api.refund(orderNo)).status).toBe(202);
    const failed = await api.until(orderNo, (x) => ['REFUNDED', 'REFUND_FAILED', 'NEEDS_REVIEW'].includes(x.status));
    return { orderNo, paid, failed };
  }

  test('SK01 with the stored token is refused: REFUND_FAILED ECTOKEN_REFUSED asking for a fresh e-voucher; a fresh QR code of the payer then refunds', async () => {
    const { orderNo, paid, failed } = await refusedOrder();
    expect(failed.status).toBe('REFUND_FAILED');
    expect(failed.reason).toMatch(/^ECTOKEN_REFUSED: .*P300.*fresh e-voucher/);
    expect(ledgerRow(orderNo)).toMatchObject({ sk01Count: 1, insuranceRefunded: false, cashRefund: null });
    const qr = await stack.sim.platform.issueQrCode('mutual-aid')!;
    expect((await api.refund(orderNo, { operator, ecQrCode: qr!.ecQrCode, ecQrChannel: '2' })).status).toBe(202);
    const v = await api.until(
      orderNo,
      (x) => ['REFUNDED', 'REFUND_FAILED', 'NEEDS_REVIEW'].includes(x.status) && x.refund?.reason !== failed.refund?.reason,
      60_000,
    );
    expect(v.status).toBe('REFUNDED');
    expect(v.refund).toMatchObject({ status: 'REFUNDED', cashAmount: paid.wuqi.cash });
    expect(ledgerRow(orderNo)).toMatchObject({ sk01Count: 2, insuranceRefunded: true, se07Calls: 0, cashRefund: { status: '1', amount: paid.wuqi.cash } });
    const rv = await stack.api.service.queries.refundView(orderNo);
    expect(rv.events.map((e) => e.type)).toEqual(expect.arrayContaining(['FRESH_VOUCHER', 'INSURANCE_REFUNDED']));
    // the order keeps its own ecToken (SE06/SE07 ask by it); the fresh one went to SK01 only
    expect(v.ecToken).toBe(paid.ecToken);
  });

  test("another person's fresh token is refused before SK01 (PERSON_MISMATCH); the payer's own ecToken then refunds", async () => {
    const { orderNo, paid, failed } = await refusedOrder(sampleWuqiBill('SH02', '30.00', { selfPay: '3.00' }));
    expect(failed.reason).toMatch(/^ECTOKEN_REFUSED/);
    expect((await api.refund(orderNo, { operator, ecToken: token('civil-aid') })).status).toBe(202);
    const refused = await api.until(orderNo, (x) => x.status === 'REFUND_FAILED' && /FRESH_VOUCHER_REFUSED/.test(x.reason ?? ''), 60_000);
    expect(refused.reason).toMatch(/PERSON_MISMATCH/);
    expect(ledgerRow(orderNo)).toMatchObject({ sk01Count: 1, insuranceRefunded: false });
    expect((await api.refund(orderNo, { operator, ecToken: token('mutual-aid') })).status).toBe(202);
    // a fresh-voucher refund is SE01, SM01, SK01 and the platform's cash refund: room for a loaded CI machine
    const v = await api.until(
      orderNo,
      (x) => ['REFUNDED', 'NEEDS_REVIEW'].includes(x.status) || (x.status === 'REFUND_FAILED' && !/PERSON_MISMATCH/.test(x.reason ?? '')),
      60_000,
    );
    expect(v.status).toBe('REFUNDED');
    expect(ledgerRow(orderNo)).toMatchObject({ sk01Count: 2, insuranceRefunded: true, cashRefund: { status: '1', amount: paid.wuqi.cash } });
  });

  test('the refund body: ecQrChannel without ecQrCode, or ecToken with ecQrCode, is a 400; a fresh e-voucher for a national order is refused', async () => {
    expect((await api.refund('H31011000053202611270000000000001', { operator, ecQrChannel: '2' })).status).toBe(400);
    expect((await api.refund('H31011000053202611270000000000001', { operator, ecToken: 'a', ecQrCode: 'b', ecQrChannel: '2' })).status).toBe(400);
    const orderNo = await api.settle(token('employee'), PSN.employee, '10.00');
    await api.until(orderNo, (x) => x.status === 'PAID');
    const r = await api.refund(orderNo, { operator, ecToken: token('employee') });
    expect(r.status).toBe(409);
    expect(JSON.stringify(r.body)).toMatch(/五期 refunds only/);
  });
});

describe('五期 refund activities over HTTP (SK01 with translsh, the platform’s own cash refund, SE07 only as remedy)', () => {
  test('one SK01 with the settlement lsh and totalexpense; P510 afterwards is alreadyRefunded; SE07 is refused while the cash part is refunded', async () => {
    const ecToken = token('mutual-aid');
    const orderNo = await api.settle(ecToken, PSN['mutual-aid'], '100.00', { wuqiPayRequest: sampleWuqiBill('SI12', '100.00') });
    const v = await api.until(orderNo, (x) => x.status === 'PAID');
    const log = createLogger('wuqi-test', 'silent');
    const client = new PlatformClient(stack.config, new MsgidGenerator({ fixmedinsCode: stack.config.FIXMEDINS_CODE, instance: 8 }), log);
    const acts = createPlatformActivities({ client, config: stack.config, log });
    const base = { route: 'WUQI' as const, orderNo, ecToken, operator, setlId: '', mdtrtId: '', psnNo: '' };
    const r = await acts.refundInsurance({ ...base, wuqi: { translsh: v.wuqi.lsh, totalexpense: v.wuqi.totalexpense } });
    expect(r).toMatchObject({ kind: 'ok', output: { translsh: v.wuqi.lsh } });
    expect((r as any).output).not.toHaveProperty('personname');
    expect(ledgerRow(orderNo)).toMatchObject({ insuranceRefunded: true, sk01Count: 1 });
    // the platform refunds the cash part by itself: SE06 ends 1 with the cash amount
    const q = await waitFor(async () => {
      const x = await acts.queryRefund({ route: 'WUQI', ecToken, operator });
      return x.kind === 'result' && x.result.refundStatus === '1' ? x : undefined;
    });
    expect(q.result.amount).toBe(v.wuqi.cash);
    // its SE05 push reached /shyb/refund and was acknowledged with P001 (recorded in the push inbox: no refund workflow here)
    await waitFor(() => (stack.sim.platform.ledger().pushes.byToken[`SE05:${ecToken}`]?.acked ?? 0) === 1);
    expect(await acts.refundInsurance({ ...base, wuqi: { translsh: v.wuqi.lsh, totalexpense: v.wuqi.totalexpense } })).toMatchObject({
      kind: 'business',
      code: 'P510',
      alreadyRefunded: true,
    });
    expect(await acts.submitSe07({ route: 'WUQI', ecToken, thirdOrderNo: v.thirdOrderNo, operator })).toMatchObject({
      kind: 'business',
      alreadyRefunded: true,
    });
  });

  test('SK01 without translsh is refused before anything is sent', async () => {
    const log = createLogger('wuqi-test', 'silent');
    const client = new PlatformClient(stack.config, new MsgidGenerator({ fixmedinsCode: stack.config.FIXMEDINS_CODE, instance: 7 }), log);
    const acts = createPlatformActivities({ client, config: stack.config, log });
    await expect(acts.refundInsurance({ route: 'WUQI', orderNo: 'x', ecToken: 'x', operator, setlId: '', mdtrtId: '', psnNo: '' })).rejects.toThrow(/translsh/);
  });

  test('SE04 while the settlement is in progress is processing; once settled, a result with amountFen', async () => {
    stack.sim.platform.settings.pushMode = 'off';
    stack.sim.platform.settings.settleDelayMs = 1_500;
    const ecToken = token('mutual-aid');
    const log = createLogger('wuqi-test', 'silent');
    const client = new PlatformClient(stack.config, new MsgidGenerator({ fixmedinsCode: stack.config.FIXMEDINS_CODE, instance: 5 }), log);
    const acts = createPlatformActivities({ client, config: stack.config, log });
    const orderNo = newOrderNo(stack.config.FIXMEDINS_CODE);
    const submitted = await acts.submitSe02({
      route: 'WUQI',
      orderNo,
      ecToken,
      operator,
      payRequest: {} as never,
      wuqiPayRequest: wuqiBillSchema.parse(sampleWuqiBill('SI12', '60.00')),
    });
    expect(submitted.kind).toBe('ok');
    // the answer carries its wall time, which moves the workflow's history clock (workflows/clock.ts)
    expect(await acts.queryPayResult({ route: 'WUQI', ecToken, operator })).toEqual({ kind: 'processing', at: expect.any(Number) });
    const q = await waitFor(async () => {
      const r = await acts.queryPayResult({ route: 'WUQI', ecToken, operator });
      return r.kind === 'result' ? r : undefined;
    });
    // 60.00 of which 6.00 非医保结算范围: the settled totalexpense is the insured 54.00; the amount covers both cash parts
    expect(q).toMatchObject({ kind: 'result', result: { payStatus: '1', wuqi: { type: 'SI12', totalexpenseFen: 5400 } } });
    if (q.kind === 'result') expect(checkCashAmount(q.result, q.result.wuqi!)).toBeUndefined();
  });

  test('SE04 under a T100 answer is unknown, never a result', async () => {
    const ecToken = token('mutual-aid');
    const log = createLogger('wuqi-test', 'silent');
    const client = new PlatformClient(stack.config, new MsgidGenerator({ fixmedinsCode: stack.config.FIXMEDINS_CODE, instance: 6 }), log);
    const acts = createPlatformActivities({ client, config: stack.config, log });
    stack.sim.platform.faults.add({ kind: 'wuqiCode', infno: 'SE04', code: 'T100', times: 1 });
    expect(await acts.queryPayResult({ route: 'WUQI', ecToken, operator })).toMatchObject({ kind: 'unknown', reason: expect.stringMatching(/^T100/) });
    expect(await acts.queryPayResult({ route: 'WUQI', ecToken, operator })).toMatchObject({ kind: 'notFound', message: expect.stringMatching(/^P610/) });
  });
});
