import type { SimPerson } from '../../../simulator/sim-person';

/**
 * The 五期 test persons (Shanghai guide ch. 2: 互助帮困、民政帮困、工伤和干部保健对象), besides `mutual-aid`
 * (第12位 G) and `cadre` (第2位 1) in simulator/persons.ts. `work-injury` is an ordinary employee by accountattr:
 * 工伤 is routed by the bill (persontype 1) or med_type 994101.
 */
export function wuqiPersons(): SimPerson[] {
  return [
    {
      id: 'civil-aid',
      name: '测试民政庚',
      idno: '310101196007071230',
      idtype: '01',
      psnNo: '801874945',
      accountattr: '20000000000A0000',
      insutype: '310',
      psnType: '12',
      fundRatio: 0.85,
      accountBalanceFen: 0,
      channel: 'wechat',
    },
    {
      id: 'civil-aid-resident',
      name: '测试民居辛',
      idno: '310101195808081231',
      idtype: '01',
      psnNo: '801874946',
      accountattr: '00000000000F000A',
      insutype: '390',
      psnType: '156036',
      fundRatio: 0.8,
      accountBalanceFen: 0,
      channel: 'alipay',
    },
    {
      id: 'work-injury',
      name: '测试工伤壬',
      idno: '310101198809091232',
      idtype: '01',
      psnNo: '801874947',
      accountattr: '1000000000000000',
      insutype: '310',
      psnType: '11',
      fundRatio: 1,
      accountBalanceFen: 0,
      channel: 'wechat',
      workInjury: true,
    },
    // 互助帮困 with a 共济 balance: SI12 results carry a non-zero tcdgjzhzfs, and zfgjzhzfs for self-pay items (V1.0.6 A.1).
    {
      id: 'mutual-aid-mulaid',
      name: '测试共济癸',
      idno: '310101197010101233',
      idtype: '01',
      psnNo: '801874948',
      accountattr: '20000000000G0000',
      insutype: '310',
      psnType: '12',
      fundRatio: 0.7,
      accountBalanceFen: 1_000,
      channel: 'alipay',
    },
  ];
}
