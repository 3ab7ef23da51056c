import { formatYuan, toFen } from '../../../protocol/money';
import type { WuqiBillType } from '../../../protocol/wuqi-bills';

/**
 * Example 五期 bills as an HIS would send them ({ type, xxnr } of POST /api/settlements' wuqiPayRequest),
 * for tests, the demo and the chaos run. cardtype/carddata are left out: shyb-pay fills them in.
 * Each bill's (each 明细账单's) 交易费用总额 is 医保结算范围 + 非医保结算范围 (billPartsProblem). SH02 is all
 * 医保结算范围 unless `selfPay` is given; SI12 splits its total over two 明细账单, the second one with a
 * 非医保结算范围 part (a fifth of it) unless `selfPay` says how much (then on the second 明细账单).
 */
export function sampleWuqiBill(type: WuqiBillType, total = '100.00', opts: { persontype?: '0' | '1'; selfPay?: string } = {}) {
  const persontype = opts.persontype ?? '0';
  const fen = toFen(total);
  const first = Math.floor(fen / 2);
  const second = fen - first;
  const outOfScope = opts.selfPay === undefined ? Math.floor(second / 5) : Math.min(toFen(opts.selfPay), second);
  const items = [
    { mxzdh: 'MX0000000001', totalexpense: formatYuan(first), ybjsfwfyze: formatYuan(first), fybjsfwfyze: '0.00' },
    { mxzdh: 'MX0000000002', totalexpense: formatYuan(second), ybjsfwfyze: formatYuan(second - outOfScope), fybjsfwfyze: formatYuan(outOfScope) },
  ];
  const common = { personspectag: '0', yllb: 'S11', persontype, gsrdh: persontype === '1' ? 'GS20260001' : '', xsywlx: '2' };
  if (type === 'SH02') {
    const selfPay = Math.min(toFen(opts.selfPay ?? '0.00'), fen);
    const insured = fen - selfPay;
    return {
      type,
      xxnr: {
        ...common,
        deptid: '0301',
        zlxmdm: 'ZL001',
        dbtype: '',
        jssqxh: 'JS202611270000000001',
        totalexpense: formatYuan(fen),
        ybjsfwfyze: formatYuan(insured),
        zhenlf: formatYuan(insured),
        ghf: formatYuan(selfPay),
        fybjsfwfyze: formatYuan(selfPay),
        jmbz: '0',
      },
    } as const;
  }
  return {
    type,
    xxnr: {
      ...common,
      deptid: '0301',
      zdnos: [{ zdno: 'J06.900', zdmc: '急性上呼吸道感染' }],
      dbtype: '',
      jzdyh: 'JZ2026112700000001',
      jssqxh: 'JS202611270000000002',
      mxzdhs: items,
    },
  } as const;
}
