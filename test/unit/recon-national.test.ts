import fc from 'fast-check';
import { formatYuan, toFen } from '../../protocol/money';
import {
  build3201Input,
  build3202Input,
  buildTable200,
  formatTable201,
  group3201,
  input3201,
  input3202,
  isBalanced,
  matchTable201,
  missingGroupKey,
  ordersOnDay,
  parseTable200,
  parseTable201,
  scopeTotals,
  stmtRsltMeaning,
  Table201Error,
  type ReconOrder,
  type Table201Row,
} from '../../protocol/recon-national';
import { decodeFileBytes, encodeFileBytes, looksLikeZip, unzipTxt, zipTxt } from '../../protocol/recon-files';

// The pure parts of the national day close (national §5.3.2): 3201 groups and input, the 表200 file,
// 表201 read back and matched to our orders, and the zip / 9101 byte encodings.

const order = (over: Partial<ReconOrder>): ReconOrder => ({
  orderNo: 'H3101100005320260301100000000000001',
  kind: 'settlement',
  setlId: 'S1',
  mdtrtId: 'M1',
  psnNo: 'P1',
  medinsSetlId: 'H31011000053202603011000000001',
  msgid: 'H31011000053202603011000000001',
  setlTime: '2026-03-01 10:00:00',
  insutype: '310',
  clrType: '11',
  clrOptins: '310110',
  medfeeFen: 10_000,
  fundFen: 7_000,
  accountFen: 1_000,
  cashFen: 2_000,
  ...over,
});

const settled = order({});
const refund = order({
  orderNo: settled.orderNo,
  kind: 'refund',
  setlId: 'S1T',
  medinsSetlId: 'H31011000053202603011500000007',
  msgid: 'H31011000053202603011500000007',
  setlTime: '2026-03-01 15:00:00',
  medfeeFen: -10_000,
  fundFen: -7_000,
  accountFen: -1_000,
  cashFen: -2_000,
});
const other = order({
  orderNo: 'H3101100005320260301100000000000002',
  setlId: 'S2',
  mdtrtId: 'M2',
  psnNo: 'P2',
  medinsSetlId: 'H31011000053202603011100000002',
  msgid: 'H31011000053202603011100000002',
  setlTime: '2026-03-01 11:00:00',
  insutype: '390',
  medfeeFen: 5_055,
  fundFen: 3_000,
  accountFen: 0,
  cashFen: 2_055,
});

describe('3201 groups (§5.3.2.1)', () => {
  test('one group per (insutype, clr_type, setl_optins from clr_optins); signed sums; a refund counts as a record of its own', () => {
    expect(group3201([settled, refund, other])).toEqual([
      { insutype: '310', clr_type: '11', setl_optins: '310110', count: 2, medfee: 0, fund: 0, account: 0, cash: 0 },
      { insutype: '390', clr_type: '11', setl_optins: '310110', count: 1, medfee: 5_055, fund: 3_000, account: 0, cash: 2_055 },
    ]);
  });

  test("the day is the centre's setl_time date (Asia/Shanghai text), not ours", () => {
    const lateNight = order({ setlTime: '2026-03-01 23:59:59' });
    const nextDay = order({ setlTime: '2026-03-02 00:00:00' });
    expect(ordersOnDay([lateNight, nextDay], '2026-03-01')).toEqual([lateNight]);
  });

  test('build3201Input: 表196 to the letter, yuan text from fen, refd_setl_flag 1 (our totals include refund records)', () => {
    const [g] = group3201([other]);
    const input = build3201Input(g!, { stmtBegndate: '2026-03-01', stmtEnddate: '2026-03-01' });
    expect(input).toEqual({
      data: {
        insutype: '390',
        clr_type: '11',
        setl_optins: '310110',
        stmt_begndate: '2026-03-01',
        stmt_enddate: '2026-03-01',
        medfee_sumamt: '50.55',
        fund_pay_sumamt: '30.00',
        acct_pay: '0.00',
        fixmedins_setl_cnt: 1,
        refd_setl_flag: '1',
      },
    });
    expect(input3201.safeParse(input).success).toBe(true);
  });

  test("a group's yuan text is its fen sum exactly, for any amounts (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -99_999_999, max: 99_999_999 }), fc.integer({ min: 0, max: 99_999_999 })), { minLength: 1, maxLength: 40 }),
        (amounts) => {
          const orders = amounts.map(([m, f], i) => order({ setlId: `S${i}`, medfeeFen: m, fundFen: f }));
          const input = build3201Input(group3201(orders)[0]!, { stmtBegndate: '2026-03-01', stmtEnddate: '2026-03-01' });
          expect(toFen(input.data.medfee_sumamt)).toBe(amounts.reduce((a, [m]) => a + m, 0));
          expect(toFen(input.data.fund_pay_sumamt)).toBe(amounts.reduce((a, [, f]) => a + f, 0));
          expect(input.data.fixmedins_setl_cnt).toBe(amounts.length);
        },
      ),
    );
  });

  test('a group without setl_optins (no clr_optins in the output) is not sent, and says why', () => {
    const [g] = group3201([order({ clrOptins: '' })]);
    expect(missingGroupKey(g!)).toBe('not sent: the settlement output has no setl_optins (read from clr_optins)');
    expect(missingGroupKey(group3201([settled])[0]!)).toBeUndefined();
  });

  test('only stmt_rslt "0" is balanced; an unknown code is kept and named unknown', () => {
    expect(isBalanced('0')).toBe(true);
    for (const c of ['1', '101', '', '00', ' 0', '9']) expect(isBalanced(c)).toBe(false);
    expect(stmtRsltMeaning('103')).toBe('数据不一致');
    expect(stmtRsltMeaning('9')).toMatch(/unknown stmt_rslt.*"9"/);
  });
});

describe('表200 (3202 输入文件)', () => {
  test('a refund of the day gives its positive and its negative row: TAB-separated, 表200 order, null for empty', () => {
    expect(buildTable200([refund, settled]).split('\n')).toEqual([
      'S1\tM1\tP1\t100.00\t70.00\t10.00\t0\tnull',
      'S1T\tM1\tP1\t-100.00\t-70.00\t-10.00\t1\tnull',
      '',
    ]);
  });

  test("a refund of an earlier day's settlement gives only its negative row (the file is the day by setl_time)", () => {
    expect(buildTable200([refund])).toBe('S1T\tM1\tP1\t-100.00\t-70.00\t-10.00\t1\tnull\n');
  });

  test('the rows read back as they were written, to the fen (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: -9_999_999_999, max: 9_999_999_999 }), fc.boolean()), { minLength: 1, maxLength: 20 }), (xs) => {
        const orders = xs.map(([fen, isRefund], i) =>
          order({
            setlId: `S${String(i).padStart(3, '0')}`,
            kind: isRefund ? 'refund' : 'settlement',
            medfeeFen: fen,
            fundFen: 0 - fen || 0,
            accountFen: fen % 100 || 0,
          }),
        );
        const back = parseTable200(buildTable200(orders));
        expect(back.map((r) => [r.medfee_sumamt, r.fund_pay_sumamt, r.acct_pay, r.refd_setl_flag])).toEqual(
          orders.map((o) => [o.medfeeFen, o.fundFen, o.accountFen, o.kind === 'refund' ? '1' : '0']),
        );
      }),
    );
  });

  test("3202 input: the scope spans every insutype of (setl_optins, clr_type), totals are the file's, cash_payamt/clr_type/refd_setl_flag present", () => {
    const t = scopeTotals([settled, refund, other, order({ setlId: 'S9', clrType: '21' })], { setl_optins: '310110', clr_type: '11' });
    const input = build3202Input(t, 'U1', { stmtBegndate: '2026-03-01', stmtEnddate: '2026-03-01' });
    expect(input).toEqual({
      data: {
        setl_optins: '310110',
        file_qury_no: 'U1',
        stmt_begndate: '2026-03-01',
        stmt_enddate: '2026-03-01',
        medfee_sumamt: '50.55',
        fund_pay_sumamt: '30.00',
        cash_payamt: '20.55',
        fixmedins_setl_cnt: 3,
        clr_type: '11',
        refd_setl_flag: '1',
      },
    });
    expect(input3202.safeParse(input).success).toBe(true);
  });
});

describe('表201 (3202 输出文件)', () => {
  const row = (over: Partial<Table201Row>): Table201Row => ({
    psn_no: 'P1',
    mdtrt_id: 'M1',
    setl_id: 'S1',
    msgid: '',
    stmt_rslt: '103',
    refd_setl_flag: '0',
    memo: '',
    medfee_sumamt: 10_100,
    fund_pay_sumamt: 7_000,
    acct_pay: 1_000,
    exp_content: '',
    ...over,
  });

  test('parse: 11 TAB columns, "null" and a missing exp_content are empty, \\r\\n and a BOM are accepted', () => {
    const txt = '\uFEFFP1\tM1\tS1\tH1\t103\t0\t金额不一致\t101.00\t70.00\t10.00\tnull\r\nP9\tnull\tnull\tH9\t101\t0\tnull\t5.00\t0\t0\r\n\r\n';
    expect(parseTable201(txt)).toEqual([
      row({ msgid: 'H1', memo: '金额不一致' }),
      {
        psn_no: 'P9',
        mdtrt_id: '',
        setl_id: '',
        msgid: 'H9',
        stmt_rslt: '101',
        refd_setl_flag: '0',
        memo: '',
        medfee_sumamt: 500,
        fund_pay_sumamt: 0,
        acct_pay: 0,
        exp_content: '',
      },
    ]);
  });

  test('parse refuses a row it cannot read: wrong column count, a bad amount, an empty stmt_rslt', () => {
    expect(() => parseTable201('P1\tM1\tS1\n')).toThrow(Table201Error);
    expect(() => parseTable201('P1\tM1\tS1\tH1\t103\t0\t\t1.001\t0\t0\tnull\n')).toThrow(/line 1: medfee_sumamt/);
    expect(() => parseTable201('P1\tM1\tS1\tH1\tnull\t0\t\t1\t0\t0\tnull\n')).toThrow(/stmt_rslt is empty/);
  });

  test('formatTable201 and parseTable201 round-trip', () => {
    const rows = [row({}), row({ setl_id: '', mdtrt_id: '', msgid: 'H2', medfee_sumamt: null, memo: 'a\tb' })];
    expect(parseTable201(formatTable201(rows))).toEqual([rows[0], { ...rows[1], memo: 'a b' }]);
  });

  test('match by setl_id; a settlement and its refund sharing an id are told apart by refd_setl_flag', () => {
    const sameId = { ...refund, setlId: 'S1' };
    const { matched, outside } = matchTable201([row({ refd_setl_flag: '1', medfee_sumamt: -10_000 }), row({})], [settled, sameId]);
    expect(outside).toEqual([]);
    expect(matched.map((m) => [m.orderNo, m.kind, m.matchedBy])).toEqual([
      [settled.orderNo, 'refund', 'setl_id'],
      [settled.orderNo, 'settlement', 'setl_id'],
    ]);
    expect(matched[1]).toMatchObject({
      stmt_rslt: '103',
      stmt_rslt_dscr: '数据不一致',
      centre: { medfee: 10_100 },
      ours: { medfee: 10_000, cash: 2_000 },
      outside: false,
    });
  });

  test('setl_id empty (the centre holds several details, §5.3.2.2.2 item 7): by 表201 msgid against medins_setl_id', () => {
    const { matched } = matchTable201(
      [row({ setl_id: '', mdtrt_id: '', msgid: refund.medinsSetlId!, refd_setl_flag: '1' }), row({ setl_id: '', msgid: other.medinsSetlId! })],
      [settled, refund, other],
    );
    expect(matched.map((m) => [m.orderNo, m.kind, m.setlId, m.matchedBy])).toEqual([
      [refund.orderNo, 'refund', '', 'msgid'],
      [other.orderNo, 'settlement', '', 'msgid'],
    ]);
  });

  test("a row matching none of our orders is outside shyb-pay, kept with the centre's ids and amounts, psn_no masked", () => {
    const { matched, outside } = matchTable201(
      [row({ setl_id: 'C77', msgid: 'H31011000053202603010900009999', stmt_rslt: '101', psn_no: '801874977' })],
      [settled, other],
    );
    expect(matched).toEqual([]);
    expect(outside).toEqual([
      expect.objectContaining({
        outside: true,
        setlId: 'C77',
        psnNo: '*****4977',
        stmt_rslt: '101',
        stmt_rslt_dscr: '中心多',
        centre: { medfee: 10_100, fund: 7_000, account: 1_000 },
      }),
    ]);
    expect(outside[0]!.orderNo).toBeUndefined();
  });
});

describe('the files: zip and 9101 `in`', () => {
  test('a TXT zipped is a zip (PK signature) and unzips to the same UTF-8 text', () => {
    const txt = buildTable200([settled, refund]) + '中文备注\n';
    const z = zipTxt('day.txt', txt);
    expect(looksLikeZip(z)).toBe(true);
    expect(unzipTxt(z)).toEqual([{ name: 'day.txt', text: txt }]);
  });

  test('base64 and byte-array encodings of `in` decode to the same bytes (Java signed bytes too)', () => {
    const bytes = zipTxt('x.txt', 'S1\tM1\n');
    expect(decodeFileBytes(encodeFileBytes(bytes, 'base64'))).toEqual(bytes);
    expect(decodeFileBytes(encodeFileBytes(bytes, 'array'))).toEqual(bytes);
    expect(decodeFileBytes(Array.from(bytes).map((b) => (b > 127 ? b - 256 : b)))).toEqual(bytes);
  });

  test('formatYuan of a negative refund amount is the signed yuan text', () => {
    expect(formatYuan(-1)).toBe('-0.01');
  });
});
