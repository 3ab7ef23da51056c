import { z } from 'zod';
import { amount, nonEmpty, str } from './zod-helpers';

/** 【2207】门诊结算 input `data` (表115). The four amount fields are optional as in 2207A and the V13 SE02 sample. */
export const settle2207Data = z.object({
  psn_no: nonEmpty(30),
  mdtrt_cert_type: nonEmpty(3),
  mdtrt_cert_no: nonEmpty(50),
  med_type: nonEmpty(6),
  medfee_sumamt: amount(),
  psn_setlway: nonEmpty(6),
  mdtrt_id: nonEmpty(30),
  chrg_bchno: nonEmpty(30),
  insutype: nonEmpty(6),
  acct_used_flag: z.enum(['0', '1'], { errorMap: () => ({ message: 'acct_used_flag must be 0 or 1' }) }),
  invono: str(20).optional(),
  fulamt_ownpay_amt: amount().optional(),
  overlmt_selfpay: amount().optional(),
  preselfpay_amt: amount().optional(),
  inscp_scp_amt: amount().optional(),
  exp_content: z.union([str(4000), z.record(z.unknown())]).optional(),
  pub_hosp_rfom_flag: str(6).optional(),
  minpacunt_drug_trac_cnt: amount(0).optional(),
  mcs_trac_cnt: amount(0).optional(),
});
export type Settle2207Data = z.infer<typeof settle2207Data>;

export const settle2207Input = z.object({ data: settle2207Data });
export type Settle2207Input = z.infer<typeof settle2207Input>;

const money = amount();

/** 【2207】output setlinfo (表116). Unknown fields are kept: the platform adds fields over versions. */
export const setlinfo = z
  .object({
    mdtrt_id: nonEmpty(30),
    setl_id: nonEmpty(30),
    psn_no: nonEmpty(30),
    psn_name: str(50),
    psn_cert_type: str(6),
    certno: str(50),
    gend: str(6).nullish(),
    naty: str(3).nullish(),
    brdy: z.string().nullish(),
    age: amount(1).nullish(),
    insutype: str(6).nullish(),
    psn_type: str(6),
    cvlserv_flag: str(3),
    setl_time: z.string(),
    mdtrt_cert_type: str(3).nullish(),
    med_type: str(6),
    medfee_sumamt: money,
    fulamt_ownpay_amt: money,
    overlmt_selfpay: money,
    preselfpay_amt: money,
    inscp_scp_amt: money,
    act_pay_dedc: money.nullish(),
    hifp_pay: money,
    pool_prop_selfpay: amount(4),
    cvlserv_pay: money,
    hifes_pay: money,
    hifmi_pay: money,
    hifob_pay: money,
    maf_pay: money,
    oth_pay: money,
    fund_pay_sumamt: money,
    psn_part_amt: money,
    acct_pay: money,
    psn_cash_pay: money,
    hosp_part_amt: money,
    balc: money,
    acct_mulaid_pay: money,
    medins_setl_id: str(30),
    clr_optins: str(6).nullish(),
    clr_way: str(6).nullish(),
    clr_type: str(6),
    hifdm_pay: money,
    exp_content: z.unknown().optional(),
  })
  .passthrough();
export type Setlinfo = z.infer<typeof setlinfo>;

/** setldetail (表117). fund_pay_type may be a Shanghai label such as 本年余额. */
export const setldetail = z
  .object({
    fund_pay_type: nonEmpty(20),
    inscp_scp_amt: money,
    crt_payb_lmt_amt: money,
    fund_payamt: money,
    fund_pay_type_name: str(200).nullish(),
    setl_proc_info: str(4000).nullish(),
  })
  .passthrough();
export type Setldetail = z.infer<typeof setldetail>;

export const settle2207Output = z
  .object({
    setlinfo,
    setldetail: z.array(setldetail).default([]),
    exp_content: z.unknown().optional(),
  })
  .passthrough();
export type Settle2207Output = z.infer<typeof settle2207Output>;

/** 【2208】门诊结算撤销 input `data`. */
export const refund2208Data = z.object({
  setl_id: nonEmpty(30),
  mdtrt_id: nonEmpty(30),
  psn_no: nonEmpty(30),
  exp_content: z.union([str(4000), z.record(z.unknown())]).optional(),
});
export type Refund2208Data = z.infer<typeof refund2208Data>;
export const refund2208Input = z.object({ data: refund2208Data });

/** 【2208】output: the reversal's setlinfo (amounts negated) and setldetail. */
export const refund2208Output = z
  .object({
    setlinfo: z
      .object({
        mdtrt_id: nonEmpty(30),
        setl_id: nonEmpty(30),
        psn_no: nonEmpty(30),
        medfee_sumamt: money,
        fund_pay_sumamt: money,
        acct_pay: money,
        psn_cash_pay: money,
        setl_time: z.string().optional(),
        medins_setl_id: str(30).optional(),
      })
      .passthrough(),
    setldetail: z.array(setldetail).default([]),
  })
  .passthrough();
export type Refund2208Output = z.infer<typeof refund2208Output>;
