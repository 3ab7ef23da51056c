import { wuqiPersons } from './wuqi-persons';

/** A person the simulated platform knows. Rates are fractions of medfee_sumamt paid by the fund. */
export interface SimPerson {
  id: string;
  name: string;
  idno: string;
  idtype: string;
  psnNo: string;
  accountattr: string;
  insutype: string;
  psnType: string;
  fundRatio: number;
  /** Personal account balance in fen, used when acct_used_flag = 1. */
  accountBalanceFen: number;
  /** Third-party channel for the cash part. */
  channel: 'wechat' | 'alipay' | 'unionpay';
  /** The payment of this person fails (payStatus -1). */
  payFails?: boolean;
  /** 参保地医保区划 that 1101 answers in insuinfo (default 310000). */
  insuplcAdmdvs?: string;
  /** Already decoded tokens that never expire (the V13 samples' tokens). */
  staticTokens?: string[];
  /** 工伤认定: 五期 accepts persontype 1 bills only for such a person. */
  workInjury?: boolean;
}

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
  ];
}
