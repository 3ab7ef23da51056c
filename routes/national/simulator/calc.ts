import { formatDateTime } from '../../../protocol/shanghai-time';
import { formatYuan } from '../../../protocol/money';
import type { SimPerson } from '../../../simulator/sim-person';

export interface SplitFen {
  medfee: number;
  fund: number;
  acct: number;
  cash: number;
}

/** Splits a bill the way the simulated platform settles it; integer fen, nothing lost. */
export function splitBill(person: SimPerson, medfeeFen: number, useAccount: boolean): SplitFen {
  const fund = Math.floor(medfeeFen * person.fundRatio);
  const part = medfeeFen - fund;
  const acct = useAccount ? Math.min(person.accountBalanceFen, part) : 0;
  return { medfee: medfeeFen, fund, acct, cash: part - acct };
}

/** A consistent 2207 output: fund + psn_part = medfee; psn_part = acct + cash; medins_setl_id = msgid. */
export function build2207Output(args: { person: SimPerson; split: SplitFen; setlId: string; mdtrtId: string; medType: string; msgid: string; at: number }) {
  const { person, split } = args;
  const y = formatYuan;
  const zero = '0.00';
  return {
    setlinfo: {
      setl_id: args.setlId,
      mdtrt_id: args.mdtrtId,
      psn_no: person.psnNo,
      psn_name: person.name,
      psn_cert_type: person.idtype,
      certno: person.idno,
      gend: '1',
      naty: '01',
      brdy: `${person.idno.slice(6, 10)}-${person.idno.slice(10, 12)}-${person.idno.slice(12, 14)}`,
      age: '30.0',
      insutype: person.insutype,
      psn_type: person.psnType,
      cvlserv_flag: '0',
      setl_time: formatDateTime(args.at),
      mdtrt_cert_type: '01',
      med_type: args.medType,
      medfee_sumamt: y(split.medfee),
      fulamt_ownpay_amt: zero,
      overlmt_selfpay: zero,
      preselfpay_amt: zero,
      inscp_scp_amt: y(split.medfee),
      act_pay_dedc: zero,
      hifp_pay: y(split.fund),
      pool_prop_selfpay: (1 - person.fundRatio).toFixed(4),
      cvlserv_pay: zero,
      hifes_pay: zero,
      hifmi_pay: zero,
      hifob_pay: zero,
      hifdm_pay: zero,
      maf_pay: zero,
      oth_pay: zero,
      fund_pay_sumamt: y(split.fund),
      psn_part_amt: y(split.acct + split.cash),
      acct_pay: y(split.acct),
      psn_cash_pay: y(split.cash),
      hosp_part_amt: zero,
      balc: y(person.accountBalanceFen - split.acct),
      acct_mulaid_pay: zero,
      medins_setl_id: args.msgid,
      clr_optins: '310110',
      clr_way: '1',
      clr_type: '11',
    },
    setldetail: [
      {
        fund_pay_type: '310100',
        inscp_scp_amt: y(split.medfee),
        crt_payb_lmt_amt: zero,
        fund_payamt: y(split.fund),
        fund_pay_type_name: '基本医疗保险统筹基金',
        setl_proc_info: null,
      },
      {
        fund_pay_type: '本年余额',
        inscp_scp_amt: y(split.medfee),
        crt_payb_lmt_amt: zero,
        fund_payamt: y(split.acct),
        fund_pay_type_name: '本年余额',
        setl_proc_info: null,
      },
      {
        fund_pay_type: '历年余额',
        inscp_scp_amt: y(split.medfee),
        crt_payb_lmt_amt: zero,
        fund_payamt: zero,
        fund_pay_type_name: '历年余额',
        setl_proc_info: null,
      },
      {
        fund_pay_type: '附加段现金',
        inscp_scp_amt: y(split.medfee),
        crt_payb_lmt_amt: zero,
        fund_payamt: y(split.cash),
        fund_pay_type_name: '附加段现金',
        setl_proc_info: null,
      },
    ],
  };
}
