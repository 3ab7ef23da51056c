import { z } from 'zod';
import { amount, dateTime, nonEmpty, str } from './zod-helpers';

// The centre's own record of one settlement (issue 18 item 1):
//  - national 【5203】结算信息查询 (§5.5.2.3: input 表380, output 表381 setlinfo + 表382 setldetail);
//  - national 【5203A】 by 医药机构结算ID (§5.5.2.4: input 表383, output 表384, a list);
//  - 五期 SI91 交易查询 (§4.6.3: 入参, 出参 + appendix A.5 V1.0.6 fields).
// Field names, lengths and required flags to the letter of those tables.

const money = amount(); // 数值型 16,2 / 数字格式A, a string or a JSON number
const opt = (max: number) => str(max).nullish();
const optMoney = money.nullish();

// ---- 5203 ----

/** 表380 (节点标识 data): all three required. The input has psn_no, so the header's insuplc_admdvs is required (表3 #4). */
export const query5203Data = z.object({ psn_no: nonEmpty(30), setl_id: nonEmpty(30), mdtrt_id: nonEmpty(30) }).strict();
export const query5203Input = z.object({ data: query5203Data }).strict();
export type Query5203Data = z.infer<typeof query5203Data>;

/**
 * 表381 setlinfo. 是否非空 Y fields are required, the others nullish. The extract's anomalies are kept as the
 * table prints them: #28 dtrt_cert_type (mdtrt_cert_type accepted too), #46 PREF_FUND_PAY next to #63
 * pref_fund_pay, #64 upldFlag. Unknown fields pass through.
 */
export const setlinfo5203 = z
  .object({
    setl_id: nonEmpty(30),
    mdtrt_id: nonEmpty(30),
    psn_no: nonEmpty(30),
    psn_name: nonEmpty(50),
    psn_cert_type: nonEmpty(6),
    certno: nonEmpty(50),
    gend: nonEmpty(6),
    naty: opt(3),
    brdy: z.string().nullish(),
    age: amount(1).nullish(),
    insutype: nonEmpty(6),
    psn_type: nonEmpty(6),
    cvlserv_flag: nonEmpty(3),
    flxempe_flag: opt(3),
    new_flag: opt(3),
    insu_optins: opt(6),
    emp_name: opt(200),
    pay_loc: nonEmpty(6),
    fixmedins_code: nonEmpty(30),
    fixmedins_name: nonEmpty(255),
    hosp_lv: opt(6),
    fixmedins_poolarea: opt(6),
    lmtpric_hosp_lv: opt(6),
    dedc_hosp_lv: opt(6),
    begndate: z.string().min(1),
    enddate: z.string().min(1),
    setl_time: dateTime,
    dtrt_cert_type: opt(3),
    mdtrt_cert_type: opt(3),
    med_type: nonEmpty(6),
    clr_type: nonEmpty(6),
    clr_way: opt(6),
    clr_optins: opt(6),
    medfee_sumamt: money,
    fulamt_ownpay_amt: money,
    overlmt_selfpay: money,
    preselfpay_amt: money,
    inscp_scp_amt: money,
    act_pay_dedc: money,
    hifp_pay: money,
    pool_prop_selfpay: amount(4),
    cvlserv_pay: money,
    hifes_pay: money,
    hifmi_pay: money,
    hifob_pay: money,
    maf_pay: money,
    PREF_FUND_PAY: optMoney,
    oth_pay: money,
    fund_pay_sumamt: money,
    psn_pay: money,
    acct_pay: money,
    cash_payamt: money,
    balc: money,
    acct_mulaid_pay: money,
    medins_setl_id: nonEmpty(30),
    refd_setl_flag: nonEmpty(3),
    year: nonEmpty(4),
    dise_code: opt(30),
    dise_name: opt(500),
    invono: opt(20),
    opter_id: opt(20),
    opter_name: opt(50),
    opt_time: z.string().nullish(),
    pref_fund_pay: opt(50),
    upldFlag: opt(3),
  })
  .passthrough();
export type Setlinfo5203 = z.infer<typeof setlinfo5203>;

/** 表382 setldetail (fund_pay_type 字符型 10). */
export const setldetail5203 = z
  .object({
    fund_pay_type: nonEmpty(10),
    inscp_scp_amt: money,
    crt_payb_lmt_amt: money,
    fund_payamt: money,
    fund_pay_type_name: opt(200),
    setl_proc_info: opt(4000),
    pref_fund_pay: opt(50),
  })
  .passthrough();

export const query5203Output = z.object({ setlinfo: setlinfo5203, setldetail: z.array(setldetail5203).default([]) }).passthrough();
export type Query5203Output = z.infer<typeof query5203Output>;

// ---- 5203A ----

/** 表383 (节点标识 data): psn_no, medins_setl_id (the 2207's 发送方报文ID), mdtrt_id, med_type, all required. */
export const query5203AData = z.object({ psn_no: nonEmpty(30), medins_setl_id: nonEmpty(30), mdtrt_id: nonEmpty(30), med_type: nonEmpty(6) }).strict();
export const query5203AInput = z.object({ data: query5203AData }).strict();
export type Query5203AData = z.infer<typeof query5203AData>;

/** 表384, one row: the fields the extract marks Y required (setl_id, mdtrt_id, psn_insu_rlts_id, setl_time, setl_type, medins_setl_id, refd_setl_flag, vali_flag). */
export const setlinfo5203A = z
  .object({
    setl_id: nonEmpty(30),
    init_setl_id: z.string().nullish(),
    mdtrt_id: nonEmpty(30),
    psn_insu_rlts_id: z.string().min(1),
    psn_no: z.string().nullish(),
    setl_time: dateTime,
    setl_type: z.string().min(1),
    med_type: z.string().nullish(),
    clr_type: z.string().nullish(),
    medfee_sumamt: optMoney,
    fund_pay_sumamt: optMoney,
    psn_pay: optMoney,
    acct_pay: optMoney,
    cash_payamt: optMoney,
    acct_mulaid_pay: optMoney,
    medins_setl_id: nonEmpty(30),
    refd_setl_flag: nonEmpty(3),
    vali_flag: nonEmpty(3),
  })
  .passthrough();
export type Setlinfo5203A = z.infer<typeof setlinfo5203A>;

/**
 * 表384 is a list (节点类型：列表) whose node the extract does not name: the list itself, or under setlinfo
 * (表381's node) or data, is accepted. Our simulator answers { setlinfo: [...] }.
 */
export const query5203AOutput = z
  .union([z.array(setlinfo5203A), z.object({ setlinfo: z.array(setlinfo5203A) }).passthrough(), z.object({ data: z.array(setlinfo5203A) }).passthrough()])
  .transform((v): Setlinfo5203A[] => (Array.isArray(v) ? v : 'setlinfo' in v ? (v.setlinfo as Setlinfo5203A[]) : (v.data as Setlinfo5203A[])));

// ---- 五期 SI91 ----

/** SI91 入参 (§4.6.3.2): 电子凭证 (cardtype 3) with its 令牌, the 计算申请序号 and 交易费用总额 (数字格式A). */
export const si91Input = z
  .object({
    cardtype: z.enum(['0', '1', '2', '3'], { errorMap: () => ({ message: 'cardtype must be 0, 1, 2 or 3' }) }),
    carddata: nonEmpty(63),
    jssqxh: nonEmpty(34),
    totalexpense: z.string().regex(/^\d{1,14}\.\d{2}$/, 'must be 数字格式A, e.g. "100.00"'),
  })
  .strict();
export type Si91Input = z.infer<typeof si91Input>;

const a = amount();
/** SI91 出参 (§4.6.3.3): 非空 fields required; appendix A.5 (V1.0.6) fields accepted when present. */
export const si91Output = z
  .object({
    cardtype: opt(1),
    cardid: opt(50),
    personname: opt(50),
    accountattr: z.string().length(16, 'accountattr must be 16 characters'),
    jzdyh: nonEmpty(20),
    lsh: nonEmpty(16),
    jssqxh: nonEmpty(34),
    totalexpense: a,
    curaccountamt: a,
    hisaccountamt: a,
    ybjsfwfyze: a,
    fybjsfwfyze: a,
    curaccountpay: a,
    hisaccountpay: a,
    zfdxjzfs: a,
    zfdlnzhzfs: a,
    qfdzhzfs: a,
    tcdzhzfs: a,
    fjdzhzfs: a,
    qfdxjzfs: a,
    tcdxjzfs: a,
    fjdxjzfs: a,
    tczfs: a,
    fjzfs: a,
    paystatus: z.enum(['1', '0'], { errorMap: () => ({ message: 'paystatus must be 1 (成功) or 0 (失败)' }) }),
    gjzhzfs: a.optional(),
    zfdgjzhzfs: a.optional(),
    qfdgjzhzfs: a.optional(),
    tcdgjzhzfs: a.optional(),
    fjdgjzhzfs: a.optional(),
    flzflnzhzfs: a.optional(),
    flzfgjzhzfs: a.optional(),
    zflnzhzfs: a.optional(),
    zfgjzhzfs: a.optional(),
  })
  .passthrough();
export type Si91Output = z.infer<typeof si91Output>;

// ---- builders ----

/** 5203 for a settlement we hold: psn_no, setl_id, mdtrt_id of its setlinfo. */
export const build5203Input = (s: Query5203Data) => query5203Input.parse({ data: { psn_no: s.psn_no, setl_id: s.setl_id, mdtrt_id: s.mdtrt_id } });
/** 5203A by the 2207's medins_setl_id. */
export const build5203AInput = (s: Query5203AData) =>
  query5203AInput.parse({ data: { psn_no: s.psn_no, medins_setl_id: s.medins_setl_id, mdtrt_id: s.mdtrt_id, med_type: s.med_type } });
/** SI91 with the e-voucher's 令牌 (cardtype 3), the settlement's jssqxh and totalexpense. */
export const buildSi91Input = (s: { ecToken: string; jssqxh: string; totalexpense: string }) =>
  si91Input.parse({ cardtype: '3', carddata: s.ecToken, jssqxh: s.jssqxh, totalexpense: s.totalexpense });
