// The shape of a simulated person, on its own so that persons.ts and routes/wuqi/simulator/persons.ts both import it
// without importing each other.

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
