import { MsgidGenerator } from '../../protocol/msgid';
import type { PayResult } from '../../protocol/pay-result';
import { buildWuqiEnvelope, WUQI_ENVELOPE_NODES, WUQI_MSGID_RE, wuqiRequestEnvelope } from '../../protocol/wuqi';
import {
  billInsuredFen,
  billPartsProblem,
  billSelfPayFen,
  billTotalFen,
  completeWuqiBill,
  OUTPATIENT_ONLY,
  wuqiBillSchema,
  type WuqiBill,
} from '../../protocol/wuqi-bills';
import { isTokenRefusal, WUQI_CODES, wuqiCode } from '../../protocol/wuqi-codes';
import {
  cashBounds,
  guessWuqiType,
  parseWuqiPayResponse,
  sk01Input,
  sk01Output,
  sk01Stored,
  wuqiPayQueryFromSe04,
  wuqiPayResultFromPush,
  wuqiSe03Output,
  wuqiSe04Output,
} from '../../protocol/wuqi-results';
import {
  checkBillTotal,
  checkCashAmount,
  checkSumRule,
  paidCashFen,
  sameWuqiPayResult,
  sk01InputFor,
  verifyWuqiPaidResult,
  wuqiSettlementFacts,
} from '../../protocol/wuqi-verify';
import { sampleWuqiBill } from '../../routes/wuqi/simulator/samples';

const TOKEN = '310000ect7s091103t0b230aa800002c952249';

describe('§3.4 交易返回码: one table', () => {
  // §3.4 in order: 26 codes.
  const SPEC = [
    'P001',
    'S001',
    'A001',
    'A002',
    'C001',
    'C002',
    'S002',
    'E001',
    'T100',
    'T002',
    'T004',
    'T099',
    'P100',
    'P200',
    'P300',
    'P400',
    'P410',
    'P420',
    'P500',
    'P510',
    'P600',
    'P610',
    'P700',
    'P800',
    'P900',
    'P010',
  ];
  test('lists every §3.4 code once, in order', () => expect(WUQI_CODES.map((c) => c.code)).toEqual(SPEC));
  test.each([
    ['P001', 'ok'],
    ['S001', 'business'],
    ['A001', 'unknown'],
    ['A002', 'unknown'],
    ['C001', 'business'],
    ['C002', 'business'],
    ['S002', 'business'],
    ['E001', 'unknown'],
    ['T100', 'unknown'],
    ['T002', 'unknown'],
    ['T004', 'unknown'],
    ['T099', 'unknown'],
    ['P100', 'business'],
    ['P200', 'business'],
    ['P300', 'business'],
    ['P400', 'business'],
    ['P410', 'business'],
    ['P420', 'business'],
    ['P500', 'business'],
    ['P510', 'business'],
    ['P600', 'business'],
    ['P610', 'business'],
    ['P700', 'business'],
    ['P800', 'business'],
    ['P900', 'business'],
    ['P010', 'unknown'],
  ])('%s is %s', (code, outcome) => expect(wuqiCode(code).outcome).toBe(outcome));
  test('P610 is "not found", P510 is "already refunded", nothing else is', () => {
    expect(WUQI_CODES.filter((c) => c.notFound).map((c) => c.code)).toEqual(['P610']);
    expect(WUQI_CODES.filter((c) => c.alreadyRefunded).map((c) => c.code)).toEqual(['P510']);
  });
  test('a code §3.4 does not list is unknown, never a success or a refusal', () => expect(wuqiCode('X999').outcome).toBe('unknown'));
  // §3.4 has no 令牌 code: P300/P700 (凭证 errors) or a message naming an expired/invalid 令牌 ask for a fresh e-voucher
  test.each([
    ['P300', '电子凭证令牌已失效，请重新申请电子凭证及令牌', true],
    ['P700', '保障卡错误', true],
    ['P900', '令牌已过期', true],
    ['P500', '凭证码无效', true],
    ['P500', '未找到交易记录', false],
    ['P510', '该笔交易已经退款，不能重复退款', false],
    ['P900', '令牌', false],
  ] as const)('SK01 refusal %s "%s" names the token: %s', (code, msg, expected) => expect(isTokenRefusal(code, msg)).toBe(expected));
});

describe('§3.2 envelope', () => {
  const msgid = new MsgidGenerator({ fixmedinsCode: 'H31011000053', instance: 3 }).wuqi('31011000053');
  const env = buildWuqiEnvelope({
    xxlxm: 'SM01',
    msgid,
    xxnr: { cardtype: '3', carddata: TOKEN },
    operator: { id: '0018', name: '医生' },
    defaults: { orgCode: '31011000053', xzqhdm: '310000', bbh: 'V1.0' },
  });
  test('every §3.2.1 node is present, empty ones as "" (xxfhm/fhxx on requests too)', () => {
    expect(Object.keys(env).sort()).toEqual([...WUQI_ENVELOPE_NODES].sort());
    expect(env).toMatchObject({ xxfhm: '', fhxx: '', jyyzm: '', zdjbhs: '', jyqd: '20' });
    expect(wuqiRequestEnvelope.safeParse(env).success).toBe(true);
  });
  test('msgid is 医疗机构代码(11) + yyyyMMdd + 9 digits', () => {
    expect(msgid).toMatch(WUQI_MSGID_RE);
    expect(msgid).toHaveLength(28);
    expect(msgid.slice(0, 11)).toBe('31011000053');
  });
  test('czyxm is at most 100 bytes: a long Chinese name is cut at a character boundary', () => {
    const long = buildWuqiEnvelope({
      xxlxm: 'SM01',
      msgid,
      xxnr: {},
      operator: { id: '1', name: '医'.repeat(40) },
      defaults: { orgCode: '31011000053', xzqhdm: '310000', bbh: 'V1.0' },
    });
    expect(long.czyxm).toBe('医'.repeat(33));
    expect(wuqiRequestEnvelope.safeParse(long).success).toBe(true);
    expect(wuqiRequestEnvelope.safeParse({ ...long, czyxm: '医'.repeat(34) }).success).toBe(false);
  });
  test.each(WUQI_ENVELOPE_NODES.map((n) => [n]))('an envelope without %s is refused', (node) => {
    const { [node]: _gone, ...rest } = env;
    expect(wuqiRequestEnvelope.safeParse(rest).success).toBe(false);
  });
});

describe('the 五期 bill (wuqiPayRequest)', () => {
  test.each(['SH02', 'SI12'] as const)('a valid %s bill passes, with xsywlx "2" and 可空 nodes "" filled in', (type) => {
    const p = wuqiBillSchema.parse(sampleWuqiBill(type));
    expect(p.xxnr.xsywlx).toBe('2');
    expect(p.xxnr.gsrdh).toBe('');
  });
  const withField = (type: 'SH02' | 'SI12', patch: Record<string, unknown>) => {
    const b = sampleWuqiBill(type);
    return { type, xxnr: { ...b.xxnr, ...patch } };
  };
  test.each([
    ['SH02 amount without 2 decimals', withField('SH02', { totalexpense: '100' }), 'xxnr.totalexpense'],
    ['SH02 amount as a number', withField('SH02', { zhenlf: 100 }), 'xxnr.zhenlf'],
    ['SH02 deptid longer than 50', withField('SH02', { deptid: 'D'.repeat(51) }), 'xxnr.deptid'],
    ['SH02 jssqxh missing (非空)', withField('SH02', { jssqxh: undefined }), 'xxnr.jssqxh'],
    ['SH02 persontype not 0/1', withField('SH02', { persontype: '2' }), 'xxnr.persontype'],
    ['SI12 without 明细账单', withField('SI12', { mxzdhs: [] }), 'xxnr.mxzdhs'],
    [
      'SI12 mxzdh longer than 20',
      withField('SI12', { mxzdhs: [{ mxzdh: 'M'.repeat(21), totalexpense: '1.00', ybjsfwfyze: '1.00', fybjsfwfyze: '0.00' }] }),
      'xxnr.mxzdhs.0.mxzdh',
    ],
    ['SI12 jzdyh missing', withField('SI12', { jzdyh: '' }), 'xxnr.jzdyh'],
    ['an SI52 (住院类) bill', { type: 'SI52', xxnr: { cyjsbz: '0' } }, 'type'],
    ['cardtype other than 3', withField('SH02', { cardtype: '1' }), 'xxnr.cardtype'],
    ['an unknown field', withField('SH02', { zfy: '1.00' }), 'xxnr'],
    ['an unknown type', { type: 'SI11', xxnr: {} }, 'type'],
  ])('%s is refused at %s', (_name, bill, path) => {
    const r = wuqiBillSchema.safeParse(bill);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.'))).toContain(path);
  });
  test('cardtype "3" and carddata = ecToken are filled in when absent', () => {
    const r = completeWuqiBill(sampleWuqiBill('SI12'), TOKEN);
    expect(r).toMatchObject({ ok: true, xxnr: { cardtype: '3', carddata: TOKEN, xsywlx: '2' } });
  });
  test('a carddata that is not the ecToken is refused', () => {
    const b = sampleWuqiBill('SH02');
    expect(completeWuqiBill({ type: 'SH02', xxnr: { ...b.xxnr, carddata: 'another' } }, TOKEN)).toEqual({
      ok: false,
      message: 'carddata must be the ecToken of this payment',
    });
  });
  test("the bill's totalexpense (whole), 医保结算范围 and 非医保结算范围: SH02's own, SI12 the sums over mxzdhs", () => {
    const sh02 = wuqiBillSchema.parse(sampleWuqiBill('SH02', '12.34', { selfPay: '2.00' })) as WuqiBill;
    expect([billTotalFen(sh02), billInsuredFen(sh02), billSelfPayFen(sh02)]).toEqual([1234, 1034, 200]);
    const si12 = wuqiBillSchema.parse(sampleWuqiBill('SI12', '12.35')) as WuqiBill;
    expect([billTotalFen(si12), billInsuredFen(si12), billSelfPayFen(si12)]).toEqual([1235, 1112, 123]);
  });
  test.each([
    ['SH02 without self-pay', sampleWuqiBill('SH02', '100.00'), undefined],
    ['SH02 with self-pay, totalexpense the whole bill', sampleWuqiBill('SH02', '100.00', { selfPay: '10.00' }), undefined],
    [
      'SH02 with self-pay, totalexpense the insured part only',
      withField('SH02', { ybjsfwfyze: '100.00', fybjsfwfyze: '10.00' }),
      'totalexpense must be ybjsfwfyze + fybjsfwfyze',
    ],
    ['SI12 明细账单 that adds up', sampleWuqiBill('SI12', '100.00'), undefined],
    [
      'SI12 a 明细账单 that does not',
      withField('SI12', { mxzdhs: [{ mxzdh: 'M1', totalexpense: '40.00', ybjsfwfyze: '40.00', fybjsfwfyze: '10.00' }] }),
      'mxzdhs[0].totalexpense must be',
    ],
  ] as const)('bill parts: %s', (_n, bill, expected) => {
    const r = billPartsProblem(bill as { type: string; xxnr: Record<string, unknown> });
    if (expected) expect(r).toContain(expected);
    else expect(r).toBeUndefined();
    if (expected) expect(completeWuqiBill(bill as never, TOKEN)).toMatchObject({ ok: false, message: expect.stringContaining(expected) });
  });
  test('outpatient only (V13 §1.1): an SI52 bill and an inpatient yllb are never sent', () => {
    expect(completeWuqiBill({ type: 'SI52' as never, xxnr: { cyjsbz: '0' } }, TOKEN)).toMatchObject({
      ok: false,
      message: expect.stringContaining(OUTPATIENT_ONLY),
    });
    expect(completeWuqiBill(withField('SI12', { yllb: 'S21' }), TOKEN)).toMatchObject({ ok: false, message: expect.stringContaining(OUTPATIENT_ONLY) });
    expect(completeWuqiBill(withField('SI12', { yllb: 'S24' }), TOKEN)).toMatchObject({ ok: false, message: expect.stringContaining('S24') });
    expect(OUTPATIENT_ONLY).toContain('国家平台、五期移动支付均只支持门诊交易');
  });
});

// Outputs by hand, per table, so that the sum rules hold.
const SH02_OUT = {
  cardtype: '3',
  cardid: '801874941',
  jzdyh: 'JZ1',
  lsh: '2026112701000001',
  jssqxh: 'JS1',
  jmjsbz: '0',
  totalexpense: '100.00',
  curaccountpay: '0.00',
  hisaccountpay: '0.00',
  zfdxjzfs: '0.00',
  zfdlnzhzfs: '0.00',
  tcdzhzfs: '0.00',
  tcdxjzfs: '5.00',
  tczfs: '95.00',
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
// The sample SI12 bill of 100.00 has 10.00 非医保结算范围: outside totalexpense (90.00), in fybjsfwfyze.
const SI12_OUT = {
  cardtype: '3',
  cardid: '801874940',
  lsh: '2026112701000002',
  jssqxh: 'JS2',
  totalexpense: '90.00',
  curaccountpay: '0.00',
  hisaccountpay: '0.00',
  zfdxjzfs: '0.00',
  zfdlnzhzfs: '0.00',
  tcdzhzfs: '0.00',
  tcdxjzfs: '9.00',
  tczfs: '81.00',
  fjdzhzfs: '0.00',
  fjdxjzfs: '0.00',
  fjzfs: '0.00',
  curaccountamt: '0.00',
  hisaccountamt: '0.00',
  ybjsfwfyze: '90.00',
  fybjsfwfyze: '10.00',
  jlc: '',
  jfje: '0.00',
};
// As the simulator booked it before the self-pay reading: the self-pay inside zfdxjzfs and totalexpense (histories replay with it).
const SI12_OUT_LEGACY = { ...SI12_OUT, totalexpense: '100.00', zfdxjzfs: '10.00' };

describe('payResponse against the output table of the bill type', () => {
  test.each([
    ['SH02', SH02_OUT, 10000, 500],
    ['SI12', SI12_OUT, 9000, 900],
  ] as const)('%s: lsh, jssqxh, totalexpense and the in-scope cash in fen', (type, out, total, cash) => {
    const r = parseWuqiPayResponse(type, JSON.stringify(out));
    expect(r.ok && r.settlement).toMatchObject({ type, lsh: out.lsh, jssqxh: out.jssqxh, totalexpenseFen: total, cashFen: cash });
  });
  test('V1.0.6 fields are accepted when present', () => {
    const r = parseWuqiPayResponse('SI12', {
      ...SI12_OUT,
      gjzhzfs: '0.00',
      zfdgjzhzfs: '0.00',
      tcdgjzhzfs: '0.00',
      fjdgjzhzfs: '0.00',
      flzflnzhzfs: '0.00',
      flzfgjzhzfs: '0.00',
      zflnzhzfs: '0.00',
      zfgjzhzfs: '0.00',
    });
    expect(r.ok).toBe(true);
  });
  test.each([
    ['SH02 without jzdyh', 'SH02', { ...SH02_OUT, jzdyh: undefined }, 'jzdyh'],
    ['SI12 without lsh', 'SI12', { ...SI12_OUT, lsh: undefined }, 'lsh'],
    ['SI12 lsh longer than 16', 'SI12', { ...SI12_OUT, lsh: '1'.repeat(17) }, 'lsh'],
    ['SI12 with a bad amount', 'SI12', { ...SI12_OUT, tczfs: '81.001' }, 'tczfs'],
  ] as const)('%s is refused at %s', (_n, type, out, path) => {
    const r = parseWuqiPayResponse(type, out);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.issues.map((i) => i.path.join('.'))).toContain(path);
  });
  test('the card number is masked in the kept xxnr', () => {
    const r = parseWuqiPayResponse('SH02', SH02_OUT);
    expect(r.ok && r.settlement.xxnr.cardid).toBe('*****4941');
  });
  test.each([
    [SH02_OUT, 'SH02'],
    [SI12_OUT, 'SI12'],
  ])('the push receiver tells the tables apart (%#)', (out, type) => expect(guessWuqiType(JSON.stringify(out))).toBe(type));
});

describe('verification rules', () => {
  describe('totalexpense sum rule (§4.3.2.3/§4.3.4.3 说明 1, V1.0.6 A.1 ①)', () => {
    test.each([
      ['SH02 holds', 'SH02', SH02_OUT, undefined],
      ['SI12 holds', 'SI12', SI12_OUT, undefined],
      ['SH02 a term off by one fen', 'SH02', { ...SH02_OUT, tczfs: '94.99' }, 'SUM_RULE_BROKEN'],
      ['SH02 totalexpense ≠ ybjsfwfyze', 'SH02', { ...SH02_OUT, ybjsfwfyze: '90.00', fybjsfwfyze: '10.00' }, 'SUM_RULE_BROKEN'],
      ['SI12 a term off', 'SI12', { ...SI12_OUT, zfdxjzfs: '1.00' }, 'SUM_RULE_BROKEN'],
      ['SI12 with 共济 terms that complete the sum', 'SI12', { ...SI12_OUT, tcdxjzfs: '4.00', tcdgjzhzfs: '3.00', gjzhzfs: '2.00' }, undefined],
      ['SI12 with a 共济 term that breaks it', 'SI12', { ...SI12_OUT, fjdgjzhzfs: '1.00' }, 'SUM_RULE_BROKEN'],
      ['SI12 分类自负 / 自费账户 fields are not sum terms', 'SI12', { ...SI12_OUT, flzflnzhzfs: '5.00', zfgjzhzfs: '1.00', zflnzhzfs: '2.00' }, undefined],
      ['SI12 the self-pay part is no term either', 'SI12', { ...SI12_OUT, fybjsfwfyze: '55.00' }, undefined],
    ] as const)('%s', (_n, type, out, expected) => {
      const r = checkSumRule(type, out as Record<string, unknown>);
      if (expected) expect(r).toMatch(new RegExp(`^${expected}`));
      else expect(r).toBeUndefined();
    });
  });

  describe("the whole bill is settled: totalexpense (insured) + fybjsfwfyze = the bill's totalexpense", () => {
    const sh02 = wuqiBillSchema.parse(sampleWuqiBill('SH02', '100.00')) as WuqiBill;
    const sh02Self = wuqiBillSchema.parse(sampleWuqiBill('SH02', '100.00', { selfPay: '10.00' })) as WuqiBill;
    const si12 = wuqiBillSchema.parse(sampleWuqiBill('SI12', '100.00')) as WuqiBill;
    const settled = (total: string, self: string) => ({ totalexpenseFen: Math.round(Number(total) * 100), xxnr: { totalexpense: total, fybjsfwfyze: self } });
    test.each([
      ['SH02 without self-pay', sh02, settled('100.00', '0.00'), undefined],
      ['SH02 one fen more', sh02, settled('100.01', '0.00'), 'TOTALEXPENSE_MISMATCH'],
      ['SH02 with self-pay: 90 insured + 10 self-pay', sh02Self, settled('90.00', '10.00'), undefined],
      ['SH02 with self-pay dropped', sh02Self, settled('90.00', '0.00'), 'TOTALEXPENSE_MISMATCH'],
      ['SH02 with self-pay counted twice', sh02Self, settled('100.00', '10.00'), 'TOTALEXPENSE_MISMATCH'],
      ['SI12: 90 insured + 10 self-pay over both 明细账单', si12, settled('90.00', '10.00'), undefined],
      ['SI12 only the first 明细账单', si12, settled('50.00', '0.00'), 'TOTALEXPENSE_MISMATCH'],
    ] as const)('%s', (_n, bill, s, expected) => {
      const r = checkBillTotal(bill, s);
      if (expected) expect(r).toMatch(new RegExp(`^${expected}`));
      else expect(r).toBeUndefined();
    });
    test('legacy (before patch wuqi-self-pay): the bill total against totalexpense alone', () => {
      expect(checkBillTotal(si12, settled('100.00', '10.00'), true)).toBeUndefined();
      expect(checkBillTotal(si12, settled('100.00', '10.00'))).toMatch(/^TOTALEXPENSE_MISMATCH/);
    });
  });

  describe("the cash part's bounds (§1.3.10, guide §5.14, A.1 自费账户)", () => {
    const out = (patch: Record<string, string>) => ({ xxnr: { ...SI12_OUT, ...patch } });
    test.each([
      ['no self-pay: exactly the in-scope cash', out({ fybjsfwfyze: '0.00' }), [900, 900]],
      ['self-pay, no 自费 account: in-scope cash up to + fybjsfwfyze', out({}), [900, 1900]],
      ['self-pay partly from the 自费共济账户', out({ zfgjzhzfs: '3.00' }), [900, 1600]],
      ['self-pay from both 自费 accounts', out({ zflnzhzfs: '4.00', zfgjzhzfs: '6.00' }), [900, 900]],
      ['all three in-scope cash fields', out({ zfdxjzfs: '1.00', tcdxjzfs: '2.00', fjdxjzfs: '3.00', fybjsfwfyze: '0.00' }), [600, 600]],
    ] as const)('%s', (_n, s, [min, max]) => expect(cashBounds(s)).toMatchObject({ minFen: min, maxFen: max }));
  });

  describe('third-party amount within the cash part', () => {
    const exact = { xxnr: { ...SI12_OUT, tcdxjzfs: '19.00', tczfs: '71.00', fybjsfwfyze: '0.00' } };
    const selfPay = { xxnr: { ...SI12_OUT, zfgjzhzfs: '3.00' } }; // bounds 900..1600
    test.each([
      ['wechat amount = cash', { channel: 'wechat', amount: '19.00' }, exact, undefined],
      ['amount as a number', { channel: 'alipay', amount: 19 }, exact, undefined],
      ['one fen short', { channel: 'wechat', amount: '18.99' }, exact, 'CASH_AMOUNT_MISMATCH'],
      ['amount missing', { channel: 'unionpay' }, exact, 'CASH_AMOUNT_MISSING'],
      ['self-pay: the in-scope cash only', { channel: 'wechat', amount: '9.00' }, selfPay, undefined],
      ['self-pay: everything not paid by the 自费 account', { channel: 'wechat', amount: '16.00' }, selfPay, undefined],
      ['self-pay: one fen above', { channel: 'wechat', amount: '16.01' }, selfPay, 'CASH_AMOUNT_MISMATCH'],
      ['self-pay: one fen below the in-scope cash', { channel: 'wechat', amount: '8.99' }, selfPay, 'CASH_AMOUNT_MISMATCH'],
      ['ybpay with no in-scope cash', { channel: 'ybpay' }, { xxnr: { ...SH02_OUT, tcdxjzfs: '0.00', tczfs: '100.00' } }, undefined],
      ['ybpay but an in-scope cash part', { channel: 'ybpay' }, exact, 'YBPAY_WITH_CASH'],
    ] as const)('%s', (_n, r, s, expected) => {
      const got = checkCashAmount(r as Pick<PayResult, 'channel' | 'amount'>, s);
      if (expected) expect(got).toMatch(new RegExp(`^${expected}`));
      else expect(got).toBeUndefined();
    });
    test('the cash paid is the channel amount, 0 for ybpay', () => {
      expect(paidCashFen({ channel: 'wechat', amount: '16.00' })).toBe(1600);
      expect(paidCashFen({ channel: 'ybpay' })).toBe(0);
    });
  });

  describe('a paid result as a whole', () => {
    const bill = wuqiBillSchema.parse({ ...sampleWuqiBill('SI12', '100.00') }) as WuqiBill;
    const push = (xxnr: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
      const out = wuqiSe03Output.parse({
        ecToken: TOKEN,
        payStatus: '1',
        payResponse: JSON.stringify(xxnr),
        gmt: '2026-11-27 10:00:00',
        channel: 'alipay',
        orderNo: 'TP1',
        tradeNo: 'T1',
        amount: '19.00',
        billTime: '20261127',
        ...extra,
      });
      return { source: 'push', ecToken: out.ecToken, payStatus: '1', channel: out.channel, amount: String(out.amount), wuqi: out.wuqi } as PayResult;
    };
    test('a consistent SI12 result with self-pay passes, the amount within the bounds', () => {
      expect(verifyWuqiPaidResult({ ecToken: TOKEN, bill }, push(SI12_OUT))).toBeUndefined();
      expect(verifyWuqiPaidResult({ ecToken: TOKEN, bill }, push(SI12_OUT, { amount: '9.00' }))).toBeUndefined();
      expect(verifyWuqiPaidResult({ ecToken: TOKEN, bill }, push(SI12_OUT, { amount: '19.01' }))).toMatch(/^CASH_AMOUNT_MISMATCH/);
    });
    test('the old booking (self-pay inside totalexpense) passes only as legacy', () => {
      expect(verifyWuqiPaidResult({ ecToken: TOKEN, bill }, push(SI12_OUT_LEGACY))).toMatch(/^TOTALEXPENSE_MISMATCH/);
      expect(verifyWuqiPaidResult({ ecToken: TOKEN, bill, legacyTotal: true }, push(SI12_OUT_LEGACY))).toBeUndefined();
    });
    test('another ecToken is refused', () => expect(verifyWuqiPaidResult({ ecToken: 'other', bill }, push(SI12_OUT))).toMatch(/^ECTOKEN_MISMATCH/));
    test('an SH02-shaped answer to an SH02 bill passes only as SH02', () => {
      const sh02Bill = wuqiBillSchema.parse(sampleWuqiBill('SH02', '100.00')) as WuqiBill;
      expect(verifyWuqiPaidResult({ ecToken: TOKEN, bill: sh02Bill }, push(SH02_OUT, { amount: '5.00' }))).toBeUndefined();
      expect(verifyWuqiPaidResult({ ecToken: TOKEN, bill: sh02Bill }, push(SI12_OUT))).toMatch(/^PAYRESPONSE_NOT_SH02/);
    });
    test('SE03 push of a paid result with a broken payResponse lists the failing fields', () => {
      const r = wuqiSe03Output.safeParse({
        ecToken: TOKEN,
        payStatus: '1',
        payResponse: JSON.stringify({ ...SI12_OUT, lsh: undefined }),
        gmt: '2026-11-27 10:00:00',
        channel: 'ybpay',
      });
      expect(r.success).toBe(false);
      expect(r.error!.issues.map((i) => i.path.join('.'))).toContain('payResponse.lsh');
    });
    test('a failed payment (-1) needs no 五期 output and maps to payStatus -1', () => {
      const out = wuqiSe03Output.parse({ ecToken: TOKEN, payStatus: '-1', payResponse: '第三方支付失败', gmt: '2026-11-27 10:00:00', channel: 'wechat' });
      expect(wuqiPayResultFromPush(out)).toMatchObject({ payStatus: '-1', failureText: '第三方支付失败' });
    });
    test('SE04 has no payStatus (§4.8.4.3): an answer without payResponse is malformed, never "processing"', () => {
      const r = wuqiSe04Output.safeParse({ ecToken: TOKEN, payStatus: '0' });
      expect(r.success).toBe(false);
      if (!r.success) expect(r.error.issues.map((i) => i.path[0])).toEqual(expect.arrayContaining(['payResponse', 'gmt', 'channel']));
    });
    test('SE04 answer without payStatus is a settled result, its amount in fen', () => {
      const out = wuqiSe04Output.parse({
        ecToken: TOKEN,
        payResponse: SI12_OUT,
        gmt: '2026-11-27 10:00:00',
        channel: 'wechat',
        orderNo: 'TP1',
        tradeNo: 'T1',
        amount: '19.0',
      });
      expect(out.wuqi).toMatchObject({ type: 'SI12', lsh: SI12_OUT.lsh, cashFen: 900 });
      expect(wuqiPayQueryFromSe04(out)).toMatchObject({
        kind: 'result',
        result: { payStatus: '1', amount: '19.00', amountFen: 1900, wuqi: { lsh: SI12_OUT.lsh } },
      });
    });
    test('a payStatus sent with a payResponse is ignored: the payResponse is what is acted on', () => {
      const out = wuqiSe04Output.parse({
        ecToken: TOKEN,
        payStatus: '-1',
        payResponse: SI12_OUT,
        gmt: '2026-11-27 10:00:00',
        channel: 'wechat',
        orderNo: 'TP1',
        tradeNo: 'T1',
        amount: 19,
      });
      expect(wuqiPayQueryFromSe04(out)).toMatchObject({ kind: 'result', result: { payStatus: '1', amountFen: 1900 } });
    });
  });

  describe('the push agrees with SE04 (lsh, totalexpense)', () => {
    const base = (lsh: string, total: number, amount = '19.00'): PayResult => ({
      source: 'push',
      ecToken: TOKEN,
      payStatus: '1',
      channel: 'alipay',
      amount,
      wuqi: { type: 'SI12', lsh, jssqxh: 'J', totalexpenseFen: total, cashFen: 1900, xxnr: {} },
    });
    test.each([
      ['the same', base('L1', 10000), base('L1', 10000), undefined],
      ['another lsh', base('L1', 10000), base('L2', 10000), 'PUSH_QUERY_MISMATCH: lsh'],
      ['another totalexpense', base('L1', 10000), base('L1', 10100), 'PUSH_QUERY_MISMATCH: totalexpense'],
      ['another amount', base('L1', 10000), base('L1', 10000, '19.01'), 'PUSH_QUERY_MISMATCH: amount'],
      ['paid vs failed', base('L1', 10000), { ...base('L1', 10000), payStatus: '-1', wuqi: undefined } as PayResult, 'PUSH_QUERY_MISMATCH: payStatus'],
    ] as const)('%s', (_n, push, query, expected) => {
      const r = sameWuqiPayResult(push, query);
      if (expected) expect(r).toMatch(new RegExp(`^${expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      else expect(r).toBeUndefined();
    });
  });
});

describe('the facts the workflow keeps', () => {
  test.each([
    [
      'SH02 paid by wechat',
      'SH02',
      SH02_OUT,
      { channel: 'wechat', amount: '5.00' },
      { totalexpense: '100.00', cash: '5.00', fund: '95.00', account: '0.00', inScopeCash: '5.00', selfPay: '0.00' },
    ],
    [
      'SI12 with 共济 and self-pay partly from the 自费共济账户',
      'SI12',
      { ...SI12_OUT, tcdxjzfs: '4.00', tcdgjzhzfs: '3.00', gjzhzfs: '2.00', zfgjzhzfs: '3.00' },
      { channel: 'alipay', amount: '11.00' },
      { totalexpense: '90.00', cash: '11.00', fund: '81.00', account: '5.00', inScopeCash: '4.00', selfPay: '10.00', selfPayAccount: '3.00' },
    ],
    ['SH02 ybpay: no cash', 'SH02', { ...SH02_OUT, tcdxjzfs: '0.00', tczfs: '100.00' }, { channel: 'ybpay' }, { cash: '0.00', fund: '100.00' }],
  ] as const)('%s: totalexpense = fund + account + in-scope cash; cash = the channel amount', (_n, type, out, paid, facts) => {
    const r = parseWuqiPayResponse(type, out);
    expect(r.ok && wuqiSettlementFacts(r.settlement, paid as Pick<PayResult, 'channel' | 'amount'>)).toMatchObject({
      type,
      lsh: out.lsh,
      jssqxh: out.jssqxh,
      ...facts,
    });
  });
});

describe('SK01 (§4.4.1)', () => {
  test('input from a settlement: cardtype 3, carddata the token, translsh lsh, totalexpense, xsywlx the bill\'s ("2" by default)', () => {
    const input = sk01InputFor({ translsh: '2026112701000002', totalexpense: '100.00' }, TOKEN);
    expect(input).toEqual({ cardtype: '3', carddata: TOKEN, translsh: '2026112701000002', totalexpense: '100.00', xsywlx: '2' });
    expect(sk01Input.safeParse(input).success).toBe(true);
    expect(sk01InputFor({ translsh: '2026112701000002', totalexpense: '100.00', xsywlx: '1' }, 'fresh-token')).toMatchObject({
      carddata: 'fresh-token',
      xsywlx: '1',
    });
  });
  test.each([
    ['translsh longer than 16', { translsh: '1'.repeat(17) }, 'translsh'],
    ['totalexpense not 数字格式A', { totalexpense: '100' }, 'totalexpense'],
    ['cardtype 1', { cardtype: '1' }, 'cardtype'],
  ])('%s is refused', (_n, patch, path) => {
    const r = sk01Input.safeParse({ ...sk01InputFor({ translsh: 'L1', totalexpense: '1.00' }, TOKEN), ...patch });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.'))).toContain(path);
  });
  test('output parsed with V1.0.6 fields; the stored form has no name and no card number', () => {
    const out = sk01Output.parse({
      cardtype: '3',
      cardid: '801874940',
      personname: '测试帮困乙',
      accountattr: '20000000000G0000',
      translsh: 'L1',
      curaccount: '0.00',
      hisaccount: '0.00',
      zfcash: '10.00',
      tchisaccount: '0.00',
      tccash: '9.00',
      tc: '81.00',
      dffjhisaccount: '0.00',
      dffjcash: '0.00',
      dffj: '0.00',
      curaccountamt: '0.00',
      hisaccountamt: '0.00',
      gjaccount: '0.00',
    });
    const stored = sk01Stored(out);
    expect(stored).toMatchObject({ translsh: 'L1', tc: '81.00', gjaccount: '0.00' });
    expect(stored).not.toHaveProperty('personname');
    expect(stored).not.toHaveProperty('cardid');
  });
});
