import { z } from 'zod';
import { amount, nonEmpty, safeNonEmpty, safeStr, str } from './zod-helpers';

/** 表115 #18-19 (数值型 8): a whole count of at most 8 digits, as a number or its decimal text. */
const traceCount = z.union([z.number().int().min(0).max(99_999_999), z.string().regex(/^\d{1,8}$/, 'must be a whole count of at most 8 digits')]);

/**
 * 【2207】门诊结算 input `data` (表115). The four amount fields are optional as in 2207A and the V13 SE02 sample.
 * Its text refuses control characters, bidi controls and markup (safeStr): it goes to the platform as is.
 */
export const settle2207Data = z.object({
  psn_no: safeNonEmpty(30),
  mdtrt_cert_type: safeNonEmpty(3),
  mdtrt_cert_no: safeNonEmpty(50),
  med_type: safeNonEmpty(6),
  medfee_sumamt: amount(),
  psn_setlway: safeNonEmpty(6),
  mdtrt_id: safeNonEmpty(30),
  chrg_bchno: safeNonEmpty(30),
  insutype: safeNonEmpty(6),
  acct_used_flag: z.enum(['0', '1'], { errorMap: () => ({ message: 'acct_used_flag must be 0 or 1' }) }),
  invono: safeStr(20).optional(),
  fulamt_ownpay_amt: amount().optional(),
  overlmt_selfpay: amount().optional(),
  preselfpay_amt: amount().optional(),
  inscp_scp_amt: amount().optional(),
  exp_content: z.union([safeStr(4000), z.record(z.unknown())]).optional(),
  pub_hosp_rfom_flag: safeStr(6).optional(),
  // #18-19 数值型 8: counts of 追溯码 to upload with this settlement
  minpacunt_drug_trac_cnt: traceCount.optional(),
  mcs_trac_cnt: traceCount.optional(),
});
export type Settle2207Data = z.infer<typeof settle2207Data>;

/**
 * 表115 #16 exp_content is 字符型 4000: an object from the HIS goes out as its JSON text ('string', the
 * default). 'object' sends it as an object, for a 前置机 that wants one (EXP_CONTENT_FORMAT). A string is
 * always sent as given.
 */
export function withExpContent<T extends { exp_content?: string | Record<string, unknown> }>(data: T, format: 'string' | 'object'): T {
  if (format === 'object' || data.exp_content === undefined || typeof data.exp_content === 'string') return data;
  return { ...data, exp_content: JSON.stringify(data.exp_content) };
}

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
