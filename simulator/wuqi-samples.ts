import { formatYuan, toFen } from '../protocol/money';
import type { WuqiBillType } from '../protocol/wuqi-bills';

/**
 * Example 五期 bills as an HIS would send them ({ type, xxnr } of POST /api/settlements' wuqiPayRequest),
 * for tests, the demo and the chaos run. cardtype/carddata are left out: shyb-pay fills them in.
 * SH02's total is all 医保结算范围 (its 说明 1); SI12/SI52 split their total over two 明细账单, the
 * second one with a 非医保结算范围 part.
 */
export function sampleWuqiBill(type: WuqiBillType, total = '100.00', opts: { persontype?: '0' | '1' } = {}) {
  const persontype = opts.persontype ?? '0';
  const fen = toFen(total);
  const first = Math.floor(fen / 2);
  const second = fen - first;
  const outOfScope = Math.floor(second / 5);
  const items = [
    { mxzdh: 'MX0000000001', totalexpense: formatYuan(first), ybjsfwfyze: formatYuan(first), fybjsfwfyze: '0.00' },
    { mxzdh: 'MX0000000002', totalexpense: formatYuan(second), ybjsfwfyze: formatYuan(second - outOfScope), fybjsfwfyze: formatYuan(outOfScope) },
  ];
  const common = { personspectag: '0', yllb: type === 'SI52' ? 'S21' : 'S11', persontype, gsrdh: persontype === '1' ? 'GS20260001' : '', xsywlx: '2' };
  if (type === 'SH02') {
    return {
      type,
      xxnr: { ...common, deptid: '0301', zlxmdm: 'ZL001', dbtype: '', jssqxh: 'JS202611270000000001', totalexpense: formatYuan(fen), ybjsfwfyze: formatYuan(fen), zhenlf: formatYuan(fen), ghf: '0.00', fybjsfwfyze: '0.00', jmbz: '0' },
    } as const;
  }
  if (type === 'SI12') {
    return {
      type,
      xxnr: { ...common, deptid: '0301', zdnos: [{ zdno: 'J06.900', zdmc: '急性上呼吸道感染' }], dbtype: '', jzdyh: 'JZ2026112700000001', jssqxh: 'JS202611270000000002', mxzdhs: items },
    } as const;
  }
  return {
    type,
    xxnr: { ...common, cyjsbz: '0', jsksrq: '20261120', jsjsrq: '20261127', zyts: '7.0', zyh: 'ZY0001', deptid: '0501', zdnos: [{ zdno: 'J18.900', zdmc: '肺炎' }], jzdyh: 'JZ2026112700000003', jssqxh: '', mxzdhs: items },
  } as const;
}
