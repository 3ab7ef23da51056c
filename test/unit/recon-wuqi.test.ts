import { readResultcollate, sl01Input, sl01InputOf, sl01PartsOf, sl01Totals, totalsOfInput, type Sl01Entry } from '../../protocol/recon-wuqi';

// SL01 (五期 §4.6.1, V1.0.6 A.4): each settlement's share of the totals, the day's totals, the input to the letter,
// and how resultcollate is read.

/** An SI12 output (§4.3.4.3 + A.1) with every part set, so each lands in its total once. */
const si12 = {
  lsh: '2026120412000001',
  jssqxh: 'JS1',
  totalexpense: '100.00', // the sum rule's terms below add up to it
  curaccountpay: '1.00',
  hisaccountpay: '2.00',
  zfdxjzfs: '3.00',
  zfdlnzhzfs: '4.00',
  tcdzhzfs: '5.00',
  tcdxjzfs: '6.00',
  tczfs: '50.00',
  fjdzhzfs: '7.00',
  fjdxjzfs: '8.00',
  fjzfs: '9.00',
  gjzhzfs: '2.50',
  zfdgjzhzfs: '0.50',
  tcdgjzhzfs: '1.00',
  fjdgjzhzfs: '1.00',
  // 分类自负 = ybjsfwfyze − totalexpense = 20.00: 历年 3.00 + 共济 2.00 + 现金 15.00 (guide §5.14)
  ybjsfwfyze: '120.00',
  flzflnzhzfs: '3.00',
  flzfgjzhzfs: '2.00',
  // 非医保结算范围 30.00, of which the 自费 accounts paid 4.00 + 6.00
  fybjsfwfyze: '30.00',
  zflnzhzfs: '4.00',
  zfgjzhzfs: '6.00',
};

describe("sl01PartsOf: a settlement's share of each V1.0.6 total", () => {
  test('totalhisaccpay = the in-scope 历年 and 共济 parts (分类自负 ones included); totalflzf = 分类自负 cash only; totalzfaccpay = the 自费 accounts', () => {
    expect(sl01PartsOf(si12)).toEqual({
      curacc: 100,
      // 历年 2 + 4 + 5 + 7 + 3 (分类自负) = 21.00; 共济 2.5 + 0.5 + 1 + 1 + 2 (分类自负) = 7.00
      hisacc: 2800,
      cash: 1700, // 3 + 6 + 8
      tc: 5000,
      dffj: 900,
      flzf: 1500, // 20 − 3 − 2
      zfacc: 1000,
      fybjsfw: 3000,
    });
  });

  test('every fen of the 医保结算范围 part counts once: cur + his + cash + tc + dffj + flzf = ybjsfwfyze', () => {
    const p = sl01PartsOf(si12);
    expect(p.curacc + p.hisacc + p.cash + p.tc + p.dffj + p.flzf).toBe(12_000);
  });

  test('an SH02 output without the V1.0.6 fields: the absent fields count 0', () => {
    const sh02 = {
      lsh: 'L',
      jssqxh: 'J',
      totalexpense: '10.00',
      curaccountpay: '0.00',
      hisaccountpay: '0.00',
      zfdxjzfs: '2.00',
      zfdlnzhzfs: '0.00',
      tcdzhzfs: '0.00',
      tcdxjzfs: '1.00',
      tczfs: '7.00',
      fjdzhzfs: '0.00',
      fjdxjzfs: '0.00',
      fjzfs: '0.00',
      ybjsfwfyze: '10.00',
      fybjsfwfyze: '0.00',
    };
    expect(sl01PartsOf(sh02)).toEqual({ curacc: 0, hisacc: 0, cash: 300, tc: 700, dffj: 0, flzf: 0, zfacc: 0, fybjsfw: 0 });
  });
});

describe('sl01Totals and the SL01 input', () => {
  const parts = sl01PartsOf(si12);
  const other = sl01PartsOf({ ...si12, tczfs: '60.00', totalexpense: '110.00', ybjsfwfyze: '130.00' });
  const entries: Sl01Entry[] = [
    { orderNo: 'A', kind: 'settlement', lsh: 'L1', parts },
    { orderNo: 'B', kind: 'settlement', lsh: 'L2', parts: other },
    { orderNo: 'A', kind: 'refund', lsh: 'L1', parts },
  ];

  test("a refund subtracts its settlement's parts; daycount counts settlements and refunds (§4.6.1.2 说明 1)", () => {
    const t = sl01Totals('2026-12-04', entries);
    expect(t).toMatchObject({
      daycount: 3,
      settlements: 2,
      refunds: 1,
      totaltcpay: 6000,
      totalcashpay: 1700,
      totalflzf: 1500,
      totalzfaccpay: 1000,
      totalfybjsfw: 3000,
    });
  });

  test('the input carries the V1.0.6 field names to the letter, amounts in 数字格式A and the day as yyyyMMdd', () => {
    const input = sl01InputOf(sl01Totals('2026-12-04', entries));
    // A.4's rows, in its order
    expect(Object.keys(input)).toEqual([
      'daycollate',
      'daycount',
      'totalcuraccpay',
      'totalhisaccpay',
      'totalcashpay',
      'totaltcpay',
      'totaldffjpay',
      'totalflzf',
      'totalzfaccpay',
      'totalfybjsfw',
    ]);
    expect(input).toMatchObject({
      daycollate: '20261204',
      daycount: '3',
      totaltcpay: '60.00',
      totalhisaccpay: '28.00',
      totalzfaccpay: '10.00',
      totalflzf: '15.00',
    });
    expect(totalsOfInput(input)).toMatchObject({ daycount: 3, totaltcpay: 6000 });
  });

  test('a day whose refunds outweigh its settlements has negative totals, still 数字格式A with a sign', () => {
    const input = sl01InputOf(sl01Totals('2026-12-04', [{ orderNo: 'A', kind: 'refund', lsh: 'L1', parts }]));
    expect(input.totaltcpay).toBe('-50.00');
    expect(sl01Input.safeParse(input).success).toBe(true);
  });

  test('an empty day: every total 0.00', () => {
    expect(sl01InputOf(sl01Totals('2026-12-04', []))).toMatchObject({ daycount: '0', totalcuraccpay: '0.00', totalfybjsfw: '0.00' });
  });
});

describe('resultcollate (§4.6.1.3) is kept with its meaning', () => {
  test.each([
    ['0', 'differences', '金额不符，交易明细未生成'],
    ['1', 'differences', '金额不符，交易明细已生成，可以下载'],
    ['2', 'balanced', '此次对帐通过'],
    ['3', 'alreadyPassed', '对帐已通过，不需再次对帐'],
    ['4', 'balanced', '改帐通过'],
  ])('%s: %s', (code, reading, meaning) => {
    expect(readResultcollate(code)).toEqual({ resultcollate: code, reading, meaning });
  });

  test('an unknown code, an empty one or none is kept and read as unknown, never balanced', () => {
    expect(readResultcollate('9')).toMatchObject({ resultcollate: '9', reading: 'unknown' });
    expect(readResultcollate('9').meaning).toContain('unknown');
    expect(readResultcollate('')).toMatchObject({ resultcollate: '', reading: 'unknown' });
    expect(readResultcollate(null)).toMatchObject({ resultcollate: null, reading: 'unknown' });
    expect(readResultcollate(2)).toMatchObject({ resultcollate: '2', reading: 'balanced' });
  });
});
