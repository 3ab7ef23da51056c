import { z } from 'zod';
import { maskPersonal } from '../common/logger';
import { REFUND_STATUSES, SETTLEMENT_STATUSES } from '../workflows/status';
import type { RefundSummary, SettlementView } from '../workflows/messages';
import type { InboxPush } from '../workflows/push-inbox';
import type { inboxItemSchema } from './schemas'; // importing schemas also extends zod with .openapi()
import './schemas';
import { apiCentreWord, centreWordSchema } from './centre-word';

// The API's own answer for a settlement: mapped field by field from the workflow's view, so a field
// the platform adds later never reaches the HIS unreviewed, and personal data is masked here, once.

const money = z.union([z.string(), z.number()]).openapi({ description: '数字格式A: yuan, at most 2 decimals', example: '100.00' });
const optMoney = money.nullish();
const text = z.string().nullish();

/** 表116 setlinfo as the API shows it: identity fields masked, amounts as the platform sent them. */
export const apiSetlinfoSchema = z
  .object({
    mdtrt_id: z.string(),
    setl_id: z.string(),
    psn_no: z.string().openapi({ description: 'masked: last 4 characters only', example: '*****4939' }),
    psn_name: z.string().openapi({ description: 'masked', example: '测**' }),
    psn_cert_type: text,
    certno: z.string().openapi({ description: 'masked: first 6 and last 1', example: '310000***********1' }),
    gend: z.string().nullish().openapi({ description: 'masked', example: '*' }),
    brdy: z.string().nullish().openapi({ description: 'masked', example: '****-**-**' }),
    age: z.string().nullish().openapi({ description: 'masked', example: '**' }),
    naty: text,
    insutype: text,
    psn_type: text,
    cvlserv_flag: text,
    setl_time: z.string(),
    mdtrt_cert_type: text,
    med_type: text,
    medfee_sumamt: money,
    fulamt_ownpay_amt: optMoney,
    overlmt_selfpay: optMoney,
    preselfpay_amt: optMoney,
    inscp_scp_amt: optMoney,
    act_pay_dedc: optMoney,
    hifp_pay: optMoney,
    pool_prop_selfpay: optMoney,
    cvlserv_pay: optMoney,
    hifes_pay: optMoney,
    hifmi_pay: optMoney,
    hifob_pay: optMoney,
    maf_pay: optMoney,
    oth_pay: optMoney,
    fund_pay_sumamt: money,
    psn_part_amt: optMoney,
    acct_pay: money,
    psn_cash_pay: money,
    hosp_part_amt: optMoney,
    balc: optMoney,
    acct_mulaid_pay: optMoney,
    medins_setl_id: text,
    clr_optins: text,
    clr_way: text,
    clr_type: text,
    hifdm_pay: optMoney,
  })
  .openapi('Setlinfo');

export const apiSetldetailSchema = z
  .object({
    fund_pay_type: z.string(),
    inscp_scp_amt: money,
    crt_payb_lmt_amt: money,
    fund_payamt: money,
    fund_pay_type_name: text,
    setl_proc_info: text,
  })
  .openapi('Setldetail');

export const eventSchema = z.object({ at: z.string().datetime({ offset: true }), type: z.string(), detail: z.string().optional() }).openapi('SettlementEvent');

export const refundViewSchema = z
  .object({
    workflowId: z.string(),
    status: z.enum(REFUND_STATUSES),
    reason: z.string().optional(),
    cashRefundNo: z.string().optional(),
    cashAmount: z.string().optional(),
    insuranceRefundedAt: z.string().optional(),
    insuranceMsgid: z.string().optional().openapi({ description: 'msgid of the 2208 (SK01) that refunded the insurance part' }),
    reversalMsgid: z.string().optional().openapi({ description: 'msgid of a 2601 冲正 sent for an unknown 2208' }),
    refundedAt: z.string().optional(),
  })
  .openapi('Refund');

/** 五期 route: the verified settlement's 中心流水号 (lsh), 计算申请序号 and its parts in yuan. */
export const wuqiViewSchema = z
  .object({
    type: z.string(),
    lsh: z.string(),
    jssqxh: z.string(),
    totalexpense: z.string().openapi({ description: '交易费用总额 as settled: the 医保结算范围 part only' }),
    cash: z.string().openapi({ description: 'what the patient paid in cash: the verified channel amount (0 for ybpay); the platform refunds this' }),
    fund: z.string(),
    account: z.string(),
    inScopeCash: z.string().optional().openapi({ description: '医保合规范围内现金 zfdxjzfs + tcdxjzfs + fjdxjzfs' }),
    selfPay: z.string().optional().openapi({ description: '非医保结算范围费用总额 (fybjsfwfyze), outside totalexpense' }),
    selfPayAccount: z.string().optional().openapi({ description: 'paid of selfPay by the 自费 accounts (zflnzhzfs + zfgjzhzfs)' }),
  })
  .openapi('WuqiSettlement');

export const settlementViewSchema = z
  .object({
    orderNo: z.string(),
    status: z.enum(SETTLEMENT_STATUSES),
    step: z.string().optional(),
    reason: z.string().optional(),
    route: z.enum(['NATIONAL', 'WUQI']).optional(),
    ecToken: z.string().optional(),
    psnNo: z.string().optional().openapi({ description: 'masked: last 4 characters only' }),
    insuplcAdmdvs: z.string().optional().openapi({ description: '参保地医保区划 sent in the national headers' }),
    insuplcAdmdvsSource: z.enum(['his', '1101', 'default']).optional().openapi({
      description:
        "where insuplcAdmdvs came from: the HIS, 1101, or the configured default MDTRTAREA_ADMVS (1101 could not tell: not necessarily the person's own)",
    }),
    medfeeSumamt: z.string(),
    wuqi: wuqiViewSchema.optional(),
    setlinfo: apiSetlinfoSchema.optional(),
    setldetail: z.array(apiSetldetailSchema).optional(),
    channel: z.string().optional(),
    tradeNo: z.string().optional(),
    thirdOrderNo: z.string().optional(),
    amount: z.string().optional(),
    billTime: z.string().optional(),
    gmt: z.string().optional(),
    settledAt: z.string().optional(),
    nextPollAt: z.string().optional(),
    events: z.array(eventSchema),
    refund: refundViewSchema.optional(),
    review: z
      .object({
        kind: z.enum(['settlement', 'refund']),
        reason: z.string(),
        centre: centreWordSchema.optional(),
        suggestion: z.string().optional().openapi({
          description: 'what the centre\'s record points to, e.g. "the centre holds setl_id 44020 …, paid, not refunded: resolve PAID"; a person still decides',
        }),
      })
      .optional(),
    resolution: z
      .object({
        decision: z.enum(['PAID', 'FAILED']),
        operator: z.string(),
        note: z.string(),
        at: z.string(),
        by: z.string().optional().openapi({ description: "the API key's name that resolved it" }),
      })
      .optional(),
    source: z.enum(['workflow', 'visibility']).openapi({
      description:
        "workflow: the order's own answer (every field, its events). visibility: the status it keeps in Temporal, read without a worker when its answer took longer than about a second; no events, setlinfo or psn_no, step may lag",
    }),
  })
  .openapi('Settlement');

export type ApiSettlementView = z.infer<typeof settlementViewSchema>;
export type ApiSetlinfo = z.infer<typeof apiSetlinfoSchema>;

/** Keeps the last 4 characters: enough for staff to tell persons apart, not to identify one. */
export const maskTail = (v: string, keep = 4) => (v.length <= keep ? '*'.repeat(v.length) : '*'.repeat(v.length - keep) + v.slice(-keep));
const hidden = (v: unknown, mask: string) => (v === null || v === undefined || v === '' ? (v as null | undefined) : mask);
const s = (v: unknown) => (v === null || v === undefined ? v : String(v)) as string | null | undefined;

function pick<T extends z.ZodRawShape>(shape: T, from: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.keys(shape)
      .filter((k) => from[k] !== undefined)
      .map((k) => [k, from[k]]),
  );
}

export function apiSetlinfo(raw: Record<string, unknown>): ApiSetlinfo {
  return {
    ...(pick(apiSetlinfoSchema.shape, raw) as ApiSetlinfo),
    psn_no: maskTail(String(raw.psn_no ?? '')),
    psn_name: maskPersonal(String(raw.psn_name ?? '')).replace(/^(.)(.*)$/u, (_m, a: string, b: string) => a + '*'.repeat([...b].length)),
    certno: maskPersonal(String(raw.certno ?? '')).replace(/^(?!\d{6}\*)(.*)$/, (m) => maskTail(m, 1)),
    gend: hidden(raw.gend, '*'),
    brdy: hidden(raw.brdy, '****-**-**'),
    age: hidden(s(raw.age), '**'),
  };
}

/** A refund as the API shows it: its own fields only (never the 2208 output, which names the person). */
export function apiRefund(r: RefundSummary) {
  return pick(refundViewSchema.shape, { ...r, reason: r.reason && maskPersonal(r.reason) } as Record<string, unknown>) as z.infer<typeof refundViewSchema>;
}

/** The workflow's view → the API's view; `source` says whether the workflow answered or its kept status did. */
export function toApiView(v: SettlementView, source: ApiSettlementView['source'] = 'workflow'): ApiSettlementView {
  const base = pick(settlementViewSchema.shape, v as unknown as Record<string, unknown>) as ApiSettlementView;
  return {
    ...base,
    source,
    ...(v.reason ? { reason: maskPersonal(v.reason) } : {}),
    ...(v.psnNo ? { psnNo: maskTail(v.psnNo) } : {}),
    ...(v.review ? { review: { kind: v.review.kind, reason: maskPersonal(v.review.reason), ...apiCentreWord(v.review) } } : {}),
    ...(v.setlinfo ? { setlinfo: apiSetlinfo(v.setlinfo as Record<string, unknown>) } : {}),
    ...(v.setldetail ? { setldetail: v.setldetail.map((d) => pick(apiSetldetailSchema.shape, d) as z.infer<typeof apiSetldetailSchema>) } : {}),
    events: v.events.map((e) => ({ at: e.at, type: e.type, ...(e.detail !== undefined ? { detail: maskPersonal(e.detail) } : {}) })),
    ...(v.refund ? { refund: apiRefund(v.refund) } : {}),
  };
}

const INBOX_OUTPUT_KEYS = ['orderNo', 'payStatus', 'refundStatus', 'channel', 'tradeNo', 'amount', 'billTime', 'gmt', 'refundNo', 'rmt'] as const;

/** An inbox push for the API: identifiers and amounts only; payResponse carries personal data. */
export function inboxItemView(p: InboxPush & { index?: number }): z.infer<typeof inboxItemSchema> {
  const output: Record<string, string> = {};
  for (const k of INBOX_OUTPUT_KEYS) {
    const v = p.output[k];
    if (v !== undefined && v !== null && typeof v !== 'object') output[k] = String(v);
  }
  return {
    receivedAt: p.receivedAt,
    kind: p.kind,
    route: p.route,
    ecToken: p.ecToken,
    why: p.why,
    ...(p.index !== undefined ? { index: p.index } : {}),
    ...(p.truncated ? { truncated: true as const } : {}),
    ...(p.matchedOrderNo ? { matchedOrderNo: p.matchedOrderNo } : {}),
    ...(p.matchedBy ? { matchedBy: p.matchedBy } : {}),
    output,
  };
}
