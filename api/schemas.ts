import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { isAmount, MoneyError, toFen } from '../protocol/money';
import { onlineOpterType } from '../protocol/national-header';
import { settle2207Data } from '../protocol/settlement';
import { str } from '../protocol/zod-helpers';

extendZodWithOpenApi(z);

/** Largest amount whose fen still count exactly as an integer (Number.MAX_SAFE_INTEGER fen). */
export const MAX_YUAN = '90071992547409.91';

function fenOrUndefined(v: string): number | 'range' | undefined {
  if (!isAmount(v)) return undefined;
  try {
    return toFen(v);
  } catch (err) {
    if (err instanceof MoneyError) return 'range';
    throw err;
  }
}

/**
 * The 五期 bill (SI12/SI52 入参, 4.3.2.2): flat fields, or lists of flat detail rows. Deeper
 * nesting is no 五期 format, and would reach Temporal's payload encoder as a stack overflow.
 */
const wuqiScalar = z.union([z.string().max(4000), z.number(), z.boolean()]).nullable();
const wuqiRow = z.record(z.string().max(64), wuqiScalar);
export const wuqiPayRequestSchema = z
  .record(z.string().max(64), z.union([wuqiScalar, wuqiRow, z.array(z.union([wuqiScalar, wuqiRow])).max(1000)]))
  .refine((v) => Object.keys(v).length <= 500, 'at most 500 fields')
  .openapi('WuqiPayRequest', { description: 'The 五期 bill (e.g. SI12 入参: totalexpense, ybjsfwfyze, …): fields, or lists of flat detail rows', example: { totalexpense: '100.00', ybjsfwfyze: '100.00', xsywlx: '2' } });

export const operatorSchema = z
  .object({ opter: z.string().min(1).max(30), opter_name: z.string().min(1).max(50), opter_type: onlineOpterType })
  .strict()
  .openapi('Operator');

/** The 2207 data the HIS prepares. mdtrt_cert_type/no are ours (01 + ecToken), so they are refused here. */
export const hisPayRequestSchema = settle2207Data
  .omit({ mdtrt_cert_type: true, mdtrt_cert_no: true, minpacunt_drug_trac_cnt: true, mcs_trac_cnt: true })
  .extend({
    // 字段扩展 is 字符型 4000 (表115); an object of flat fields is accepted as its JSON form.
    exp_content: z
      .union([str(4000), z.record(z.string().max(64), z.union([z.string().max(4000), z.number(), z.boolean()]).nullable())])
      .optional()
      .openapi({ description: '字段扩展: a string of at most 4000 characters, or an object of flat fields' }),
    medfee_sumamt: z
      .string()
      .regex(/^\d{1,14}(\.\d{1,2})?$/, 'must be a decimal string with at most 2 decimals, e.g. "100.00"')
      // zod runs refinements on data whose fields already failed: guard before converting.
      .superRefine((v, ctx) => {
        const fen = fenOrUndefined(v);
        if (fen === 'range') ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be at most ${MAX_YUAN}` });
        else if (fen !== undefined && fen <= 0) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be greater than 0' });
      }),
  })
  .strict()
  .openapi('HisPayRequest');

export const createSettlementSchema = z
  .object({
    ecQrCode: str(512).min(1).optional(),
    ecQrChannel: z.enum(['1', '2', '3']).optional().openapi({ description: '1 支付宝, 2 微信, 3 随申办' }),
    ecToken: str(63).min(1).optional(),
    operator: operatorSchema,
    payRequest: hisPayRequestSchema,
    pName: str(50).optional(),
    pIdNo: z.string().regex(/^\d{17}[\dXx]$/, 'must be an 18-character ID number').optional(),
    wuqiPayRequest: wuqiPayRequestSchema.optional(),
    idempotencyKey: z.string().min(1).max(128).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    const qr = v.ecQrCode !== undefined;
    if (qr === (v.ecToken !== undefined)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['ecToken'], message: 'give either ecQrCode + ecQrChannel or ecToken' });
    if (qr && !v.ecQrChannel) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['ecQrChannel'], message: 'ecQrChannel is required with ecQrCode' });
  })
  .openapi('CreateSettlement');

export const refundSchema = z.object({ operator: operatorSchema, reason: z.string().max(200).optional() }).strict().openapi('RefundRequest');

export const resolveSchema = z
  .object({
    decision: z.enum(['PAID', 'FAILED', 'REFUNDED', 'REFUND_FAILED']),
    operator: z.string().trim().min(1).max(50),
    note: z.string().trim().min(1).max(500),
  })
  .strict()
  .openapi('ResolveRequest');

/** Long-poll: wait up to this many seconds for a PROCESSING settlement to be decided. */
export const statusQuerySchema = z.object({ wait: z.coerce.number().int().min(0).max(30).optional() }).strict();

export const orderNoParam = z.object({ orderNo: z.string().regex(/^[A-Z0-9]{12}\d{23}$/, 'not an orderNo') });

export const listQuerySchema = z
  .object({
    status: z.enum(['PROCESSING', 'PAID', 'FAILED', 'NEEDS_REVIEW', 'REFUNDING', 'REFUNDED', 'REFUND_FAILED']).optional(),
    from: z.string().datetime({ offset: true }).optional(),
    to: z.string().datetime({ offset: true }).optional(),
    ecToken: z.string().regex(/^[0-9A-Za-z]{1,63}$/, 'not an ecToken').optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();

export const errorSchema = z
  .object({ error: z.string(), details: z.array(z.object({ path: z.string(), message: z.string() })).optional() })
  .openapi('Error');

export const linksSchema = z
  .object({ self: z.string(), refund: z.string(), ui: z.string().url().openapi({ description: 'the order in the Temporal UI' }) })
  .openapi('SettlementLinks');

export const acceptedSchema = z.object({ orderNo: z.string(), status: z.literal('PROCESSING'), links: linksSchema }).openapi('SettlementAccepted');

export const dateQuerySchema = z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD').refine((d) => !Number.isNaN(Date.parse(d)), 'not a date') }).strict();

export const inboxMatchParams = z.object({ date: dateQuerySchema.shape.date, index: z.coerce.number().int().min(0) });
export const inboxMatchSchema = z.object({ orderNo: orderNoParam.shape.orderNo, operator: z.string().trim().min(1).max(50) }).strict().openapi('InboxMatch');

// Response shapes of the list endpoints (the settlement view itself lives in order-view.ts).

export const settlementListSchema = z
  .object({
    items: z.array(
      z.object({
        orderNo: z.string(),
        status: z.string().nullable(),
        route: z.string().nullable(),
        channel: z.string().nullable(),
        cashAmount: z.number().nullable().openapi({ description: 'cash part in yuan, from the CashAmount search attribute' }),
        startedAt: z.string(),
        closed: z.boolean(),
      }),
    ),
  })
  .openapi('SettlementList');

/** A push in the inbox, as finance sees it: the platform's identifiers and amounts, never its payResponse (personal data). */
export const inboxItemSchema = z
  .object({
    receivedAt: z.string(),
    kind: z.enum(['SE03', 'SE05']),
    route: z.enum(['NATIONAL', 'WUQI']),
    ecToken: z.string(),
    why: z.enum(['UNKNOWN_ECTOKEN', 'ORDER_CLOSED']),
    matchedOrderNo: z.string().optional(),
    matchedBy: z.string().optional(),
    output: z
      .object({
        orderNo: z.string().optional(),
        payStatus: z.string().optional(),
        refundStatus: z.string().optional(),
        channel: z.string().optional(),
        tradeNo: z.string().optional(),
        amount: z.string().optional(),
        billTime: z.string().optional(),
        gmt: z.string().optional(),
      })
      .openapi({ description: 'the push, without payResponse' }),
  })
  .openapi('InboxItem');
export const inboxSchema = z.object({ items: z.array(inboxItemSchema) }).openapi('Inbox');

export const reviewsSchema = z
  .object({
    items: z.array(
      z.object({
        orderNo: z.string(),
        reason: z.string().optional(),
        route: z.string().optional(),
        medfeeSumamt: z.string(),
        refund: z.object({ workflowId: z.string(), status: z.string(), reason: z.string().optional() }).optional(),
      }),
    ),
  })
  .openapi('ReviewQueue');

const sumsSchema = z
  .object({ count: z.number().int(), medfee_sumamt: z.string(), fund_pay_sumamt: z.string(), acct_pay: z.string(), psn_cash_pay: z.string() })
  .openapi('ReconSums');
export const reconReportSchema = z
  .object({
    date: z.string(),
    rows: z.array(
      z.object({
        type: z.enum(['SETTLEMENT', 'REFUND']),
        orderNo: z.string(),
        at: z.string(),
        status: z.string(),
        setl_id: z.string(),
        medfee_sumamt: z.string(),
        fund_pay_sumamt: z.string(),
        acct_pay: z.string(),
        psn_cash_pay: z.string(),
        channel: z.string(),
        tradeNo: z.string(),
        billTime: z.string(),
        reason: z.string(),
      }),
    ),
    totals: z.object({ byChannel: z.record(sumsSchema), byStatus: z.record(sumsSchema), net: sumsSchema }),
    flags: z.object({
      needsReview: z.array(z.object({ orderNo: z.string(), reason: z.string() })),
      pushQueryMismatches: z.array(z.object({ orderNo: z.string(), reason: z.string() })),
      orphanPushes: z.array(inboxItemSchema),
    }),
  })
  .openapi('ReconciliationReport');

export const healthSchema = z
  .object({ temporal: z.enum(['ok', 'unreachable']), platform: z.enum(['ok', 'unreachable']), platformUrl: z.string() })
  .openapi('Health');

export const livenessSchema = z.object({ status: z.literal('ok') }).openapi('Liveness');
