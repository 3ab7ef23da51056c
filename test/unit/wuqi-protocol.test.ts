import { MsgidGenerator } from '../../protocol/msgid';
import type { PayResult } from '../../protocol/pay-result';
import { buildWuqiEnvelope, WUQI_ENVELOPE_NODES, WUQI_MSGID_RE, wuqiRequestEnvelope } from '../../protocol/wuqi';
import { billTotalFen, completeWuqiBill, wuqiBillSchema, type WuqiBill } from '../../protocol/wuqi-bills';
import { WUQI_CODES, wuqiCode } from '../../protocol/wuqi-codes';
import { guessWuqiType, parseWuqiPayResponse, sk01Input, sk01Output, sk01Stored, wuqiPayQueryFromSe04, wuqiPayResultFromPush, wuqiSe03Output, wuqiSe04Output } from '../../protocol/wuqi-results';
import { checkBillTotal, checkCashAmount, checkSumRule, sameWuqiPayResult, sk01InputFor, verifyWuqiPaidResult, wuqiSettlementFacts } from '../../protocol/wuqi-verify';
import { sampleWuqiBill } from '../../simulator/wuqi-samples';

const TOKEN = '310000ect7s091103t0b230aa800002c952249';

describe('§3.4 交易返回码: one table', () => {
  // §3.4 in order: 26 codes.
  const SPEC = ['P001', 'S001', 'A001', 'A002', 'C001', 'C002', 'S002', 'E001', 'T100', 'T002', 'T004', 'T099', 'P100', 'P200', 'P300', 'P400', 'P410', 'P420', 'P500', 'P510', 'P600', 'P610', 'P700', 'P800', 'P900', 'P010'];
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
});

describe('§3.2 envelope', () => {
  const msgid = new MsgidGenerator({ fixmedinsCode: 'H31011000053', instance: 3 }).wuqi('31011000053');
  const env = buildWuqiEnvelope({ xxlxm: 'SM01', msgid, xxnr: { cardtype: '3', carddata: TOKEN }, operator: { id: '0018', name: '医生' }, defaults: { orgCode: '31011000053', xzqhdm: '310000', bbh: 'V1.0' } });
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
    const long = buildWuqiEnvelope({ xxlxm: 'SM01', msgid, xxnr: {}, operator: { id: '1', name: '医'.repeat(40) }, defaults: { orgCode: '31011000053', xzqhdm: '310000', bbh: 'V1.0' } });
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
  test.each(['SH02', 'SI12', 'SI52'] as const)('a valid %s bill passes, with xsywlx "2" and 可空 nodes "" filled in', (type) => {
    const p = wuqiBillSchema.parse(sampleWuqiBill(type));
    expect(p.xxnr.xsywlx).toBe('2');
    expect(p.xxnr.gsrdh).toBe('');
  });
  const withField = (type: 'SH02' | 'SI12' | 'SI52', patch: Record<string, unknown>) => {
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
    ['SI12 mxzdh longer than 20', withField('SI12', { mxzdhs: [{ mxzdh: 'M'.repeat(21), totalexpense: '1.00', ybjsfwfyze: '1.00', fybjsfwfyze: '0.00' }] }), 'xxnr.mxzdhs.0.mxzdh'],
    ['SI12 jzdyh missing', withField('SI12', { jzdyh: '' }), 'xxnr.jzdyh'],
    ['SI52 zyts not 数字格式C', withField('SI52', { zyts: '2.3' }), 'xxnr.zyts'],
    ['SI52 jsksrq not 日期格式', withField('SI52', { jsksrq: '2026-11-20' }), 'xxnr.jsksrq'],
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
    expect(completeWuqiBill({ type: 'SH02', xxnr: { ...b.xxnr, carddata: 'another' } }, TOKEN)).toEqual({ ok: false, message: 'carddata must be the ecToken of this payment' });
  });
  test("the bill's totalexpense: SH02's own, SI12/SI52 the sum over mxzdhs", () => {
    expect(billTotalFen(wuqiBillSchema.parse(sampleWuqiBill('SH02', '12.34')) as WuqiBill)).toBe(1234);
    expect(billTotalFen(wuqiBillSchema.parse(sampleWuqiBill('SI12', '12.35')) as WuqiBill)).toBe(1235);
    expect(billTotalFen(wuqiBillSchema.parse(sampleWuqiBill('SI52', '99.99')) as WuqiBill)).toBe(9999);
  });
});

// Outputs by hand, per table, so that the sum rules hold.
const SH02_OUT = {
  cardtype: '3', cardid: '801874941', jzdyh: 'JZ1', lsh: '2026112701000001', jssqxh: 'JS1', jmjsbz: '0', totalexpense: '100.00', curaccountpay: '0.00', hisaccountpay: '0.00',
  zfdxjzfs: '0.00', zfdlnzhzfs: '0.00', tcdzhzfs: '0.00', tcdxjzfs: '5.00', tczfs: '95.00', fjdzhzfs: '0.00', fjdxjzfs: '0.00', fjzfs: '0.00', curaccountamt: '0.00', hisaccountamt: '0.00',
  ybjsfwfyze: '100.00', fybjsfwfyze: '0.00', jlc: '', jfje: '0.00',
};
const SI12_OUT = {
  cardtype: '3', cardid: '801874940', lsh: '2026112701000002', jssqxh: 'JS2', totalexpense: '100.00', curaccountpay: '0.00', hisaccountpay: '0.00',
  zfdxjzfs: '10.00', zfdlnzhzfs: '0.00', tcdzhzfs: '0.00', tcdxjzfs: '9.00', tczfs: '81.00', fjdzhzfs: '0.00', fjdxjzfs: '0.00', fjzfs: '0.00', curaccountamt: '0.00', hisaccountamt: '0.00',
  ybjsfwfyze: '90.00', fybjsfwfyze: '10.00', jlc: '', jfje: '0.00',
};
const SI52_OUT = {
  cardtype: '3', cardid: '801874940', lsh: '2026112701000003', jssqxh: 'JS3', totalexpense: '100.00', qfdzhzfs: '0.00', tcdzhzfs: '0.00', fjdzhzfs: '0.00', qfdxjzfs: '10.00', tcdxjzfs: '27.00',
  fjdxjzfs: '0.00', tczfs: '63.00', fjzfs: '0.00', curaccountamt: '0.00', hisaccountamt: '0.00', ybjsfwfyze: '90.00', fybjsfwfyze: '10.00', jfje: '0.00',
};

describe('payResponse against the output table of the bill type', () => {
  test.each([
    ['SH02', SH02_OUT, 500],
    ['SI12', SI12_OUT, 1900],
    ['SI52', SI52_OUT, 3700],
  ] as const)('%s: lsh, jssqxh, totalexpense and the cash part in fen', (type, out, cash) => {
    const r = parseWuqiPayResponse(type, JSON.stringify(out));
    expect(r.ok && r.settlement).toMatchObject({ type, lsh: out.lsh, jssqxh: out.jssqxh, totalexpenseFen: 10000, cashFen: cash });
  });
  test('V1.0.6 fields are accepted when present', () => {
    const r = parseWuqiPayResponse('SI12', { ...SI12_OUT, gjzhzfs: '0.00', zfdgjzhzfs: '0.00', tcdgjzhzfs: '0.00', fjdgjzhzfs: '0.00', flzflnzhzfs: '0.00', flzfgjzhzfs: '0.00', zflnzhzfs: '0.00', zfgjzhzfs: '0.00' });
    expect(r.ok).toBe(true);
  });
  test.each([
    ['SH02 without jzdyh', 'SH02', { ...SH02_OUT, jzdyh: undefined }, 'jzdyh'],
    ['SI12 without lsh', 'SI12', { ...SI12_OUT, lsh: undefined }, 'lsh'],
    ['SI12 lsh longer than 16', 'SI12', { ...SI12_OUT, lsh: '1'.repeat(17) }, 'lsh'],
    ['SI52 read as SI12', 'SI12', SI52_OUT, 'curaccountpay'],
    ['SI52 with a bad amount', 'SI52', { ...SI52_OUT, tczfs: '63.001' }, 'tczfs'],
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
    [SI52_OUT, 'SI52'],
  ])('the push receiver tells the tables apart (%#)', (out, type) => expect(guessWuqiType(JSON.stringify(out))).toBe(type));
});

describe('verification rules', () => {
  describe('totalexpense sum rule (§4.3.2.3/§4.3.4.3/§4.3.6.3 说明 1, V1.0.6 ①)', () => {
    test.each([
      ['SH02 holds', 'SH02', SH02_OUT, undefined],
      ['SI12 holds', 'SI12', SI12_OUT, undefined],
      ['SI52 holds', 'SI52', SI52_OUT, undefined],
      ['SH02 a term off by one fen', 'SH02', { ...SH02_OUT, tczfs: '94.99' }, 'SUM_RULE_BROKEN'],
      ['SH02 totalexpense ≠ ybjsfwfyze', 'SH02', { ...SH02_OUT, ybjsfwfyze: '90.00', fybjsfwfyze: '10.00' }, 'SUM_RULE_BROKEN'],
      ['SI12 a term off', 'SI12', { ...SI12_OUT, zfdxjzfs: '11.00' }, 'SUM_RULE_BROKEN'],
      ['SI12 with 共济 terms that complete the sum', 'SI12', { ...SI12_OUT, tcdxjzfs: '4.00', tcdgjzhzfs: '3.00', gjzhzfs: '2.00' }, undefined],
      ['SI12 with a 共济 term that breaks it', 'SI12', { ...SI12_OUT, fjdgjzhzfs: '1.00' }, 'SUM_RULE_BROKEN'],
      ['SI12 分类自负 fields are not sum terms', 'SI12', { ...SI12_OUT, flzflnzhzfs: '5.00', zfgjzhzfs: '1.00' }, undefined],
      ['SI52 a term off', 'SI52', { ...SI52_OUT, qfdxjzfs: '9.00' }, 'SUM_RULE_BROKEN'],
      ['SI52 with 共济 terms that complete the sum', 'SI52', { ...SI52_OUT, tcdxjzfs: '20.00', qfdgjzhzfs: '5.00', tcdgjzhzfs: '2.00' }, undefined],
      ['SI52 with outpatient 共济 (gjzhzfs) ignored: not an SI52 term', 'SI52', { ...SI52_OUT, gjzhzfs: '5.00' }, undefined],
    ] as const)('%s', (_n, type, out, expected) => {
      const r = checkSumRule(type, out as Record<string, unknown>);
      if (expected) expect(r).toMatch(new RegExp(`^${expected}`));
      else expect(r).toBeUndefined();
    });
  });

  describe("totalexpense equals the bill's", () => {
    const sh02 = wuqiBillSchema.parse(sampleWuqiBill('SH02', '100.00')) as WuqiBill;
    const si52 = wuqiBillSchema.parse(sampleWuqiBill('SI52', '100.00')) as WuqiBill;
    test.each([
      ['SH02 equal', sh02, 10000, undefined],
      ['SH02 one fen more', sh02, 10001, 'TOTALEXPENSE_MISMATCH'],
      ['SI52 equal to the sum over mxzdhs', si52, 10000, undefined],
      ['SI52 only the first 明细账单', si52, 5000, 'TOTALEXPENSE_MISMATCH'],
    ] as const)('%s', (_n, bill, fen, expected) => {
      const r = checkBillTotal(bill, { totalexpenseFen: fen });
      if (expected) expect(r).toMatch(new RegExp(`^${expected}`));
      else expect(r).toBeUndefined();
    });
  });

  describe('third-party amount equals the cash part', () => {
    test.each([
      ['wechat amount = cash', { channel: 'wechat', amount: '19.00' }, 1900, undefined],
      ['amount as a number', { channel: 'alipay', amount: 19 }, 1900, undefined],
      ['one fen short', { channel: 'wechat', amount: '18.99' }, 1900, 'CASH_AMOUNT_MISMATCH'],
      ['amount missing', { channel: 'unionpay' }, 1900, 'CASH_AMOUNT_MISSING'],
      ['ybpay with no cash', { channel: 'ybpay' }, 0, undefined],
      ['ybpay but a cash part', { channel: 'ybpay' }, 100, 'YBPAY_WITH_CASH'],
    ] as const)('%s', (_n, r, cash, expected) => {
      const got = checkCashAmount(r as Pick<PayResult, 'channel' | 'amount'>, { cashFen: cash });
      if (expected) expect(got).toMatch(new RegExp(`^${expected}`));
      else expect(got).toBeUndefined();
    });
  });

  describe('a paid result as a whole', () => {
    const bill = wuqiBillSchema.parse({ ...sampleWuqiBill('SI12', '100.00') }) as WuqiBill;
    const push = (xxnr: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
      const out = wuqiSe03Output.parse({ ecToken: TOKEN, payStatus: '1', payResponse: JSON.stringify(xxnr), gmt: '2026-11-27 10:00:00', channel: 'alipay', orderNo: 'TP1', tradeNo: 'T1', amount: '19.00', billTime: '20261127', ...extra });
      return { source: 'push', ecToken: out.ecToken, payStatus: '1', channel: out.channel, amount: String(out.amount), wuqi: out.wuqi } as PayResult;
    };
    test('a consistent SI12 result passes', () => expect(verifyWuqiPaidResult({ ecToken: TOKEN, bill }, push(SI12_OUT))).toBeUndefined());
    test('another ecToken is refused', () => expect(verifyWuqiPaidResult({ ecToken: 'other', bill }, push(SI12_OUT))).toMatch(/^ECTOKEN_MISMATCH/));
    test('an SH02-shaped answer to an SH02 bill passes only as SH02', () => {
      const sh02Bill = wuqiBillSchema.parse(sampleWuqiBill('SH02', '100.00')) as WuqiBill;
      expect(verifyWuqiPaidResult({ ecToken: TOKEN, bill: sh02Bill }, push(SH02_OUT, { amount: '5.00' }))).toBeUndefined();
      expect(verifyWuqiPaidResult({ ecToken: TOKEN, bill: sh02Bill }, push(SI12_OUT))).toMatch(/^PAYRESPONSE_NOT_SH02/);
    });
    test('SE03 push of a paid result with a broken payResponse lists the failing fields', () => {
      const r = wuqiSe03Output.safeParse({ ecToken: TOKEN, payStatus: '1', payResponse: JSON.stringify({ ...SI12_OUT, lsh: undefined }), gmt: '2026-11-27 10:00:00', channel: 'ybpay' });
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
      const out = wuqiSe04Output.parse({ ecToken: TOKEN, payResponse: SI52_OUT, gmt: '2026-11-27 10:00:00', channel: 'wechat', orderNo: 'TP1', tradeNo: 'T1', amount: '37.0' });
      expect(out.wuqi).toMatchObject({ type: 'SI52', lsh: SI52_OUT.lsh, cashFen: 3700 });
      expect(wuqiPayQueryFromSe04(out)).toMatchObject({ kind: 'result', result: { payStatus: '1', amount: '37.00', amountFen: 3700, wuqi: { lsh: SI52_OUT.lsh } } });
    });
    test('a payStatus sent with a payResponse is ignored: the payResponse is what is acted on', () => {
      const out = wuqiSe04Output.parse({ ecToken: TOKEN, payStatus: '-1', payResponse: SI52_OUT, gmt: '2026-11-27 10:00:00', channel: 'wechat', orderNo: 'TP1', tradeNo: 'T1', amount: 37 });
      expect(wuqiPayQueryFromSe04(out)).toMatchObject({ kind: 'result', result: { payStatus: '1', amountFen: 3700 } });
    });
  });

  describe('the push agrees with SE04 (lsh, totalexpense)', () => {
    const base = (lsh: string, total: number, amount = '19.00'): PayResult => ({ source: 'push', ecToken: TOKEN, payStatus: '1', channel: 'alipay', amount, wuqi: { type: 'SI12', lsh, jssqxh: 'J', totalexpenseFen: total, cashFen: 1900, xxnr: {} } });
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
    ['SI12', { ...SI12_OUT, tcdxjzfs: '4.00', tcdgjzhzfs: '3.00', gjzhzfs: '2.00' }, { totalexpense: '100.00', cash: '14.00', fund: '81.00', account: '5.00' }],
    ['SI52', SI52_OUT, { totalexpense: '100.00', cash: '37.00', fund: '63.00', account: '0.00' }],
  ] as const)('%s: totalexpense = fund (tczfs + fjzfs) + account + cash', (type, out, facts) => {
    const r = parseWuqiPayResponse(type, out);
    expect(r.ok && wuqiSettlementFacts(r.settlement)).toMatchObject({ type, lsh: out.lsh, jssqxh: out.jssqxh, ...facts });
  });
});

describe('SK01 (§4.4.1)', () => {
  test('input from a settlement: cardtype 3, carddata ecToken, translsh lsh, totalexpense, xsywlx 2', () => {
    const input = sk01InputFor({ lsh: '2026112701000002', totalexpenseFen: 10000 }, TOKEN);
    expect(input).toEqual({ cardtype: '3', carddata: TOKEN, translsh: '2026112701000002', totalexpense: '100.00', xsywlx: '2' });
    expect(sk01Input.safeParse(input).success).toBe(true);
  });
  test.each([
    ['translsh longer than 16', { translsh: '1'.repeat(17) }, 'translsh'],
    ['totalexpense not 数字格式A', { totalexpense: '100' }, 'totalexpense'],
    ['cardtype 1', { cardtype: '1' }, 'cardtype'],
  ])('%s is refused', (_n, patch, path) => {
    const r = sk01Input.safeParse({ ...sk01InputFor({ lsh: 'L1', totalexpenseFen: 100 }, TOKEN), ...patch });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.'))).toContain(path);
  });
  test('output parsed with V1.0.6 fields; the stored form has no name and no card number', () => {
    const out = sk01Output.parse({
      cardtype: '3', cardid: '801874940', personname: '测试帮困乙', accountattr: '20000000000G0000', translsh: 'L1', curaccount: '0.00', hisaccount: '0.00', zfcash: '10.00', tchisaccount: '0.00',
      tccash: '9.00', tc: '81.00', dffjhisaccount: '0.00', dffjcash: '0.00', dffj: '0.00', curaccountamt: '0.00', hisaccountamt: '0.00', gjaccount: '0.00',
    });
    const stored = sk01Stored(out);
    expect(stored).toMatchObject({ translsh: 'L1', tc: '81.00', gjaccount: '0.00' });
    expect(stored).not.toHaveProperty('personname');
    expect(stored).not.toHaveProperty('cardid');
  });
});
