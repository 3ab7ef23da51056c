import type { SimPerson } from './sim-person';
import { wuqiPersons } from './wuqi-persons';

export type { SimPerson } from './sim-person';

export const V13_SAMPLE_SE02_TOKEN = '310000ect7s091103t0b230aa800002c952249';
export const V13_SAMPLE_SETTLED_TOKEN = '310000ect7tf9a003v0b230aa80000f60289ab';
export const V13_SAMPLE_THIRD_PARTY_ORDER = 'H3101100005320220303205350000550346';

export function defaultPersons(): SimPerson[] {
  return [
    ...wuqiPersons(),
    {
      id: 'v13-sample',
      name: '测试人员三四五',
      idno: '310000200006150001',
      idtype: '01',
      psnNo: '888838818',
      accountattr: '1000000000000000',
      insutype: '310',
      psnType: '116031',
      fundRatio: 0.5,
      accountBalanceFen: 0,
      channel: 'alipay',
      // the V13 SE04/SE06/SE07 samples' headers carry insuplc_admdvs 310104
      insuplcAdmdvs: '310104',
      staticTokens: [V13_SAMPLE_SE02_TOKEN, V13_SAMPLE_SETTLED_TOKEN],
    },
    { id: 'employee', name: '测试职工甲', idno: '310101199001011234', idtype: '01', psnNo: '801874939', accountattr: '1000000000000000', insutype: '310', psnType: '11', fundRatio: 0.7, accountBalanceFen: 0, channel: 'wechat' },
    { id: 'mutual-aid', name: '测试帮困乙', idno: '310101196502021235', idtype: '01', psnNo: '801874940', accountattr: '20000000000G0000', insutype: '310', psnType: '12', fundRatio: 0.9, accountBalanceFen: 0, channel: 'alipay' },
    { id: 'cadre', name: '测试干保丙', idno: '310101195003031236', idtype: '01', psnNo: '801874941', accountattr: '3100000000000000', insutype: '310', psnType: '13', fundRatio: 0.95, accountBalanceFen: 0, channel: 'wechat' },
    { id: 'resident', name: '测试居保丁', idno: '310101201004041237', idtype: '01', psnNo: '801874942', accountattr: '00000000000E0000', insutype: '390', psnType: '149901', fundRatio: 0.6, accountBalanceFen: 0, channel: 'unionpay' },
    { id: 'no-cash', name: '测试全额戊', idno: '310101198005051238', idtype: '01', psnNo: '801874943', accountattr: '1000000000000000', insutype: '310', psnType: '11', fundRatio: 1, accountBalanceFen: 0, channel: 'wechat' },
    { id: 'pay-fails', name: '测试失败己', idno: '310101198506061239', idtype: '01', psnNo: '801874944', accountattr: '1000000000000000', insutype: '310', psnType: '11', fundRatio: 0.7, accountBalanceFen: 0, channel: 'alipay', payFails: true },
    // insured in 浦东 (310115), with a 港澳台居民居住证 (idtype 17): 1101 answers only to SE01's own certificate type
    { id: 'pudong-resident-permit', name: '测试浦东子', idno: '810000199001011230', idtype: '17', psnNo: '801874950', accountattr: '1000000000000000', insutype: '310', psnType: '11', fundRatio: 0.7, accountBalanceFen: 0, channel: 'alipay', insuplcAdmdvs: '310115' },
    // 异地 (accountattr 第12位 Y, 五期 §7.1.4): insured in 南京 (320102); no 1101 for them (Shanghai guide §4.3.2)
    { id: 'out-of-town', name: '测试异地丑', idno: '320102198802021231', idtype: '01', psnNo: '801874951', accountattr: '10000000000Y0000', insutype: '310', psnType: '11', fundRatio: 0.6, accountBalanceFen: 0, channel: 'wechat', insuplcAdmdvs: '320102' },
  ];
}
