import { centreDayOf } from '../../common/centre-day';
import { assembleResult, routeOutcomes, wuqiResultOf, type NationalGroupResult } from '../../protocol/centre-reconciliation';
import { sl01Totals } from '../../protocol/recon-wuqi';
import type { SettlementView } from '../../workflows/messages';

// The day close's result (issue 18, 4, send mode): what each part answered, put together; and our day read from
// the status views (common/centre-day.ts). Unknown result codes are kept and never read as balanced.

const group = (over: Partial<NationalGroupResult> = {}): NationalGroupResult => ({
  insutype: '310',
  clr_type: '11',
  setl_optins: '310000',
  ours: { count: 2, medfee: 20_000, fund: 14_000, account: 0, cash: 6_000 },
  stmt_rslt: '0',
  stmt_rslt_dscr: '平',
  stmt_rslt_meaning: '平',
  balanced: true,
  asked: [{ infno: '3201', msgid: 'M1', at: '2026-12-04T00:00:00Z' }],
  ...over,
});
const detail = (over: Record<string, unknown>) => ({
  outside: false,
  setlId: 'S1',
  mdtrtId: 'D1',
  psnNo: 'P1',
  msgid: 'M',
  stmt_rslt: '103',
  stmt_rslt_dscr: '数据不一致',
  refd_setl_flag: '0',
  memo: '',
  centre: { medfee: 10_100, fund: 7_000, account: 0 },
  ...over,
});
const noWuqi = wuqiResultOf(sl01Totals('2026-12-04', []), undefined);
const assemble = (national: NationalGroupResult[], wuqi = noWuqi) =>
  assembleResult({ date: '2026-12-04', national, wuqi, incomplete: [], startedAt: 's', finishedAt: 'f' });

describe('assembleResult', () => {
  test('every group 平 and SL01 passed: balanced, nothing listed', () => {
    const wuqi = wuqiResultOf(sl01Totals('2026-12-04', []), { msgid: 'W', resultcollate: '2' });
    const r = assemble([group()], wuqi);
    expect(r).toMatchObject({ mode: 'send', outcome: 'balanced', discrepancies: [], outside: [] });
    expect(routeOutcomes(r)).toEqual({ national: 'balanced', wuqi: 'balanced' });
  });

  test('a group not 平: one discrepancy per 表201 row of ours, naming the order; rows outside shyb-pay are listed apart', () => {
    const g = group({
      stmt_rslt: '1',
      stmt_rslt_dscr: '不平',
      balanced: false,
      details: [
        detail({ orderNo: 'ORD1', kind: 'settlement', ours: { medfee: 10_000, fund: 7_000, account: 0, cash: 3_000 } }),
        detail({ outside: true, setlId: 'S9', stmt_rslt: '101', stmt_rslt_dscr: '中心多' }),
      ],
    });
    const r = assemble([g]);
    expect(r.outcome).toBe('differences');
    expect(r.discrepancies).toEqual([
      expect.objectContaining({
        route: 'NATIONAL',
        orderNo: 'ORD1',
        code: '103',
        ours: { medfee: 10_000, fund: 7_000, account: 0, cash: 3_000 },
        centre: { medfee: 10_100, fund: 7_000, account: 0 },
      }),
      expect.objectContaining({ route: 'NATIONAL', code: '101', setlId: 'S9', meaning: '中心多 (outside shyb-pay)' }),
    ]);
    expect(r.outside).toEqual([expect.objectContaining({ outside: true, setlId: 'S9', group: { insutype: '310', clr_type: '11', setl_optins: '310000' } })]);
  });

  test('an unknown stmt_rslt is kept and shown, and never balanced', () => {
    const r = assemble([group({ stmt_rslt: '7', stmt_rslt_dscr: '未知对账结果代码(unknown stmt_rslt) "7"', balanced: false })]);
    expect(r.outcome).toBe('differences');
    expect(r.discrepancies).toEqual([expect.objectContaining({ route: 'NATIONAL', code: '7', meaning: expect.stringContaining('unknown') })]);
    expect(r.national[0]!.stmt_rslt).toBe('7');
  });

  test('a refused 3201 is a discrepancy that names the refusal', () => {
    const r = assemble([group({ stmt_rslt: '', stmt_rslt_dscr: '', balanced: false, refused: { infno: '3201', code: '-1', message: '对账失败' } })]);
    expect(r.discrepancies[0]).toMatchObject({ code: '', meaning: '3201 refused: -1 对账失败' });
  });

  test('SL01 1 (明细已生成): a 五期 discrepancy, with what the clerk does since no download interface exists', () => {
    const wuqi = wuqiResultOf(sl01Totals('2026-12-04', []), { msgid: 'W', resultcollate: '1' });
    const r = assemble([], wuqi);
    expect(r.outcome).toBe('differences');
    expect(r.wuqi).toMatchObject({
      resultcollate: '1',
      reading: 'differences',
      meaning: '金额不符，交易明细已生成，可以下载',
      note: expect.stringContaining('no interface to download'),
    });
    expect(r.discrepancies).toEqual([expect.objectContaining({ route: 'WUQI', code: '1' })]);
    expect(routeOutcomes(r)).toEqual({ wuqi: 'differences' });
  });

  test('SL01 with an unknown or empty resultcollate is kept and never balanced; 3 (已通过) is balanced with a note', () => {
    for (const code of ['5', '', null]) {
      const r = assemble([], wuqiResultOf(sl01Totals('2026-12-04', []), { msgid: 'W', resultcollate: code }));
      expect(r.outcome).toBe('differences');
      expect(r.wuqi.resultcollate).toBe(code);
    }
    const three = assemble([], wuqiResultOf(sl01Totals('2026-12-04', []), { msgid: 'W', resultcollate: '3' }));
    expect(three.outcome).toBe('balanced');
    expect(three.wuqi.note).toContain('not compared');
  });
});

describe('centreDayOf: our day from the status views', () => {
  const setlinfo = (over: Record<string, string> = {}) => ({
    setl_id: 'S1',
    mdtrt_id: 'D1',
    psn_no: 'P1',
    setl_time: '2026-12-04 10:00:00',
    insutype: '310',
    clr_type: '11',
    clr_optins: '310000',
    medins_setl_id: 'H1',
    medfee_sumamt: '100.00',
    fund_pay_sumamt: '70.00',
    acct_pay: '0.00',
    psn_cash_pay: '30.00',
    ...over,
  });
  const view = (over: Partial<SettlementView>): SettlementView =>
    ({ orderNo: 'O1', status: 'PAID', medfeeSumamt: '100.00', step: '', events: [], ...over }) as SettlementView;

  test("a national settlement by the centre's setl_time (§5.3.2.1.2), its refund by the 2208 reversal's, negative and with the reversal's setl_id", () => {
    const v = view({
      setlinfo: setlinfo() as never,
      se02Msgid: 'SE02M',
      refund: {
        workflowId: 'r',
        status: 'REFUNDED',
        insuranceMsgid: 'R2208',
        insuranceRefundedAt: '2026-12-04T05:00:00Z',
        insuranceOutput: {
          setlinfo: {
            ...setlinfo({ setl_id: 'S1R', setl_time: '2026-12-04 13:00:00', medins_setl_id: 'R2208' }),
            medfee_sumamt: '-100.00',
            fund_pay_sumamt: '-70.00',
            acct_pay: '0.00',
            psn_cash_pay: '-30.00',
          },
        },
      },
    });
    const day = centreDayOf([v], '2026-12-04');
    expect(day.national).toEqual([
      expect.objectContaining({
        orderNo: 'O1',
        kind: 'settlement',
        setlId: 'S1',
        msgid: 'SE02M',
        medinsSetlId: 'H1',
        medfeeFen: 10_000,
        cashFen: 3_000,
        clrOptins: '310000',
      }),
      expect.objectContaining({
        orderNo: 'O1',
        kind: 'refund',
        setlId: 'S1R',
        msgid: 'R2208',
        medinsSetlId: 'R2208',
        medfeeFen: -10_000,
        fundFen: -7_000,
        cashFen: -3_000,
        setlTime: '2026-12-04 13:00:00',
      }),
    ]);
    expect(centreDayOf([v], '2026-12-03').national).toEqual([]);
  });

  test('a settlement without clr_optins keeps it empty (never guessed): its group is reported as not sent', () => {
    const day = centreDayOf([view({ setlinfo: setlinfo({ clr_optins: '' }) as never })], '2026-12-04');
    expect(day.national).toEqual([expect.objectContaining({ orderNo: 'O1', clrOptins: '' })]);
    const r = assemble([
      group({
        setl_optins: '',
        stmt_rslt: '',
        stmt_rslt_dscr: '',
        balanced: false,
        asked: [],
        notSent: 'not sent: the settlement output has no setl_optins (read from clr_optins)',
      }),
    ]);
    expect(r.outcome).toBe('differences');
    expect(r.discrepancies).toEqual([
      expect.objectContaining({
        group: expect.objectContaining({ setl_optins: '' }),
        meaning: 'not sent: the settlement output has no setl_optins (read from clr_optins)',
      }),
    ]);
  });

  test('a setl_time that does not read: its day is unknown, listed as incomplete', () => {
    const day = centreDayOf([view({ settledAt: '2026-12-04T02:00:00Z', setlinfo: setlinfo({ setl_time: '20261204100000' }) as never })], '2026-12-04');
    expect(day.national).toEqual([]);
    expect(day.incomplete).toEqual([{ orderNo: 'O1', reason: expect.stringContaining('setl_time') }]);
  });

  test('an order an operator resolved PAID holds no settlement details: listed as incomplete on the day it was resolved', () => {
    const v = view({ status: 'PAID', resolution: { decision: 'PAID', operator: 'op', note: 'n', at: '2026-12-04T02:00:00Z' } });
    expect(centreDayOf([v], '2026-12-04')).toMatchObject({
      national: [],
      wuqi: [],
      incomplete: [{ orderNo: 'O1', reason: expect.stringContaining('by hand') }],
    });
    expect(centreDayOf([v], '2026-12-05').incomplete).toEqual([]);
  });

  test('a 五期 settlement by its gmt, its SK01 refund by when it was refunded, both with the SL01 parts', () => {
    const sl01 = { curacc: 0, hisacc: 500, cash: 1000, tc: 7000, dffj: 0, flzf: 0, zfacc: 0, fybjsfw: 0 };
    const v = view({
      route: 'WUQI',
      gmt: '2026-12-04 23:59:00',
      wuqi: { type: 'SI12', lsh: 'L1', jssqxh: 'J', totalexpense: '85.00', cash: '10.00', fund: '70.00', account: '5.00', sl01 },
      refund: { workflowId: 'r', status: 'REFUNDED', insuranceRefundedAt: '2026-12-04T16:30:00Z' },
    });
    expect(centreDayOf([v], '2026-12-04').wuqi).toEqual([{ orderNo: 'O1', kind: 'settlement', lsh: 'L1', parts: sl01 }]);
    // 16:30 UTC is 00:30 the next day in Shanghai
    expect(centreDayOf([v], '2026-12-05').wuqi).toEqual([{ orderNo: 'O1', kind: 'refund', lsh: 'L1', parts: sl01 }]);
  });
});
