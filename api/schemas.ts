import { isIP } from 'node:net';
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { isAmount, MoneyError, toFen } from '../protocol/money';
import { onlineOpterType } from '../protocol/national-header';
import { settle2207Data } from '../protocol/settlement';
import { safe, safeStr, str } from '../protocol/zod-helpers';
import { cursorParam, indexCursor, visibilityCursor } from './cursor';
import { centreWordSchema } from './centre-word';
import { INPATIENT_MED_TYPES } from '../protocol/routing';
import { billPartsProblem, cardContradiction, INPATIENT_YLLB, OUTPATIENT_ONLY, sh02Bill, si12Bill } from '../protocol/wuqi-bills';

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
 * The ecToken as the platform issues it (V13 §2.3 samples 310000ect7s091103t0b230aa800002c952249 and
 * 310000ect7tf9a003v0b230aa80000f60289ab): the 6-digit area code of the issuing centre, "ect", then
 * lower-case letters and digits, at most 63 characters in all (SE01 表: 字符串 63).
 */
export const ECTOKEN_RE = /^\d{6}ect[0-9a-z]{16,54}$/;
export const ecTokenSchema = z
  .string()
  .regex(
    ECTOKEN_RE,
    'must be an ecToken as the platform issues it: a 6-digit area code, "ect", 16-54 lower-case letters or digits (e.g. 310000ect7tf9a003v0b230aa80000f60289ab)',
  )
  .openapi({ example: '310000ect7tf9a003v0b230aa80000f60289ab' });

export const operatorSchema = z
  .object({ opter: safe(z.string().min(1).max(30)), opter_name: safe(z.string().min(1).max(50)), opter_type: onlineOpterType })
  .strict()
  .openapi('Operator');

/**
 * The 2207 data the HIS prepares. mdtrt_cert_type/no are ours to set (01 + ecToken); they are accepted
 * when they say exactly that (the V13 SE02 sample prints them) and refused otherwise, in createSettlement.
 */
const hisPayRequestFields = settle2207Data
  .extend({
    mdtrt_cert_type: z.string().optional().openapi({ description: 'optional; when given it must be "01" (医保电子凭证)' }),
    mdtrt_cert_no: z.string().optional().openapi({ description: 'optional; when given it must equal ecToken' }),
    // 字段扩展 is 字符型 4000 (表115); an object of flat fields is accepted as its JSON form.
    exp_content: z
      .union([safeStr(4000), z.record(safeStr(64), z.union([safeStr(4000), z.number(), z.boolean()]).nullable())])
      .refine((v) => typeof v === 'string' || JSON.stringify(v).length <= 4000, 'its JSON text must be at most 4000 characters (表115 #16 字符型 4000)')
      .optional()
      .openapi({
        description: '字段扩展: a string of at most 4000 characters, or an object of flat fields (sent as its JSON text unless EXP_CONTENT_FORMAT=object)',
      }),
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
  .strict();

/** The bill as the HIS sends it: the 2207 data, or the V13 SE02 sample's `{"data": {...}}` around it. */
export const hisPayRequestSchema = z
  .preprocess(
    (v) => (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && 'data' in v ? (v as { data: unknown }).data : v),
    hisPayRequestFields,
  )
  .openapi('HisPayRequest');

/**
 * The 五期 bill: { type, xxnr } with xxnr the SH02 (§4.3.2.2) or SI12 (§4.3.4.2) input. SI52 (住院类收费确认) is
 * refused with V13 §1.1 "国家平台、五期移动支付均只支持门诊交易". cardtype/carddata may be left out (we fill in "3"
 * and the ecToken); xsywlx defaults to "2"; 可空 nodes to "".
 */
export const wuqiPayRequestSchema = z
  .discriminatedUnion(
    'type',
    [
      z
        .object({ type: z.literal('SH02'), xxnr: sh02Bill.openapi('WuqiSH02Bill', { description: 'SH02 门诊类挂号确认 入参 (五期 §4.3.2.2)' }) })
        .strict()
        .openapi('WuqiPayRequestSH02'),
      z
        .object({ type: z.literal('SI12'), xxnr: si12Bill.openapi('WuqiSI12Bill', { description: 'SI12 门诊类收费确认 入参 (五期 §4.3.4.2)' }) })
        .strict()
        .openapi('WuqiPayRequestSI12'),
    ],
    {
      errorMap: (issue, ctx) => {
        if (issue.code !== z.ZodIssueCode.invalid_union_discriminator) return { message: ctx.defaultError };
        const type = (ctx.data as { type?: unknown } | undefined)?.type;
        return { message: `type must be SH02 or SI12 (门诊)${type === 'SI52' ? '; SI52 住院类收费确认 is not taken' : ''}: ${OUTPATIENT_ONLY}` };
      },
    },
  )
  .openapi('WuqiPayRequest', {
    description: `The 五期 bill (SH02 or SI12), for persons who settle in 五期 (干保, 互助帮困, 民政帮困, 工伤). Outpatient only: ${OUTPATIENT_ONLY}. totalexpense = ybjsfwfyze + fybjsfwfyze per bill / 明细账单`,
  });

/** SE01's terminal fields (五期 §4.8.1.2), optional: SE01_TERM_IP / SE01_OFFICE_ID / SE01_OFFICE_NAME otherwise. */
const se01Terminal = {
  termIp: z
    .string()
    .max(20)
    .refine((v) => isIP(v) !== 0, 'must be an IP address (SE01 termIp, at most 20 characters)')
    .optional()
    .openapi({ description: 'SE01 termIp: the IP of the terminal where the QR code was scanned (default SE01_TERM_IP)' }),
  officeId: safe(z.string().min(1).max(50)).optional().openapi({ description: 'SE01 officeId 医保科室编号 (default SE01_OFFICE_ID)' }),
  officeName: safe(z.string().min(1).max(50)).optional().openapi({ description: 'SE01 officeName 科室名称 (default SE01_OFFICE_NAME)' }),
};

export const createSettlementSchema = z
  .object({
    ecQrCode: safe(str(512).min(1)).optional(),
    ecQrChannel: z.enum(['1', '2', '3']).optional().openapi({ description: '1 支付宝, 2 微信, 3 随申办' }),
    ecToken: ecTokenSchema.optional(),
    operator: operatorSchema,
    payRequest: hisPayRequestSchema,
    pName: safeStr(50).optional(),
    pIdNo: z
      .string()
      .regex(/^\d{17}[\dXx]$/, 'must be an 18-character ID number')
      .optional(),
    wuqiPayRequest: wuqiPayRequestSchema.optional(),
    insuplcAdmdvs: z
      .string()
      .regex(/^\d{6}$/, 'must be a 6-digit admdvs, e.g. 310104')
      .optional()
      .openapi({ description: '参保地医保区划 (1101 insuinfo.insuplc_admdvs, e.g. from POST /api/identities); without it the order looks it up' }),
    idempotencyKey: z.string().min(1).max(128).optional(),
    ...se01Terminal,
  })
  .strict()
  .superRefine((v, ctx) => {
    const qr = v.ecQrCode !== undefined;
    if (qr === (v.ecToken !== undefined))
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['ecToken'], message: 'give either ecQrCode + ecQrChannel or ecToken' });
    if (qr && !v.ecQrChannel) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['ecQrChannel'], message: 'ecQrChannel is required with ecQrCode' });
    const p = v.payRequest;
    if (p.mdtrt_cert_type !== undefined && p.mdtrt_cert_type !== '01') {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['payRequest', 'mdtrt_cert_type'],
        message: 'must be "01" (医保电子凭证): online payment settles with the e-voucher (V13 §1); or leave it out',
      });
    }
    if (p.mdtrt_cert_no !== undefined && p.mdtrt_cert_no !== v.ecToken) {
      const message =
        v.ecToken === undefined
          ? 'is only accepted with ecToken (it must equal the ecToken); leave it out with ecQrCode'
          : 'must equal ecToken (就诊凭证编号 of an e-voucher is its ecToken); or leave it out';
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['payRequest', 'mdtrt_cert_no'], message });
    }
    if (INPATIENT_MED_TYPES.includes(p.med_type)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['payRequest', 'med_type'],
        message: `med_type ${p.med_type} is an inpatient kind (Shanghai guide §6.2): ${OUTPATIENT_ONLY}`,
      });
    }
    if (v.wuqiPayRequest) {
      const x = v.wuqiPayRequest.xxnr;
      if (INPATIENT_YLLB.includes(x.yllb))
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['wuqiPayRequest', 'xxnr', 'yllb'],
          message: `yllb ${x.yllb} is an inpatient kind (五期 §7.1.1): ${OUTPATIENT_ONLY}`,
        });
      const parts = billPartsProblem(v.wuqiPayRequest);
      if (parts)
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['wuqiPayRequest', 'xxnr', ...(v.wuqiPayRequest.type === 'SH02' ? ['totalexpense'] : ['mxzdhs'])],
          message: parts,
        });
      // With a QR code the ecToken does not exist yet, so a carddata cannot be it.
      const bad = qr && x.carddata ? 'carddata cannot be given with ecQrCode: it is the ecToken, filled in after SE01' : cardContradiction(x, v.ecToken);
      if (bad)
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['wuqiPayRequest', 'xxnr', bad.startsWith('cardtype') ? 'cardtype' : 'carddata'], message: bad });
    }
  })
  .openapi('CreateSettlement');

/** POST /api/identities: decode the e-voucher and find the route before the HIS builds its bill. */
export const identitySchema = z
  .object({
    ecQrCode: safe(str(512).min(1)),
    ecQrChannel: z.enum(['1', '2', '3']).openapi({ description: '1 支付宝, 2 微信, 3 随申办' }),
    operator: operatorSchema,
    ...se01Terminal,
  })
  .strict()
  .openapi('IdentityRequest');

export const identityResultSchema = z
  .object({
    ecToken: z.string(),
    route: z.enum(['NATIONAL', 'WUQI']),
    routeReason: z.string(),
    tokenExpiresAt: z.string().openapi({ description: 'ISO time; the ecToken is valid about 5 minutes (五期 §1.3.7)' }),
    psnNo: z.string().optional().openapi({ description: 'national persons: 1101 baseinfo.psn_no' }),
    insuplcAdmdvs: z.string().optional().openapi({ description: 'national persons: 1101 insuinfo.insuplc_admdvs, to pass on as insuplcAdmdvs' }),
  })
  .openapi('Identity');

/**
 * A refund. 五期 only: a fresh e-voucher for SK01's carddata when the centre refused the settlement's 令牌
 * (reason ECTOKEN_REFUSED): `ecToken`, or `ecQrCode` + `ecQrChannel` (decoded with SE01 by the refund). It must
 * be the payer's own e-voucher; SE06/SE07 keep the settlement's ecToken.
 */
export const refundSchema = z
  .object({
    operator: operatorSchema,
    reason: safeStr(200).optional(),
    ecToken: ecTokenSchema.optional().openapi({ description: '五期: a fresh ecToken of the payer for SK01 (after ECTOKEN_REFUSED)' }),
    ecQrCode: safe(str(512).min(1))
      .optional()
      .openapi({ description: '五期: a fresh e-voucher QR code of the payer for SK01 (after ECTOKEN_REFUSED), with ecQrChannel' }),
    ecQrChannel: z.enum(['1', '2', '3']).optional().openapi({ description: '1 支付宝, 2 微信, 3 随申办' }),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.ecToken !== undefined && v.ecQrCode !== undefined)
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['ecToken'], message: 'give either ecToken or ecQrCode + ecQrChannel, not both' });
    if (v.ecQrCode !== undefined && !v.ecQrChannel)
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['ecQrChannel'], message: 'ecQrChannel is required with ecQrCode' });
    if (v.ecQrChannel !== undefined && v.ecQrCode === undefined)
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['ecQrCode'], message: 'ecQrChannel goes with ecQrCode' });
  })
  .openapi('RefundRequest');

/** A person's SE07 remedy for a refund in NEEDS_REVIEW whose cash part was not refunded (CASH_REFUND_NOT_SEEN). */
export const remedySchema = z
  .object({
    operator: safe(z.string().trim().min(1).max(50)),
    note: safe(z.string().trim().min(1).max(500)),
  })
  .strict()
  .openapi('RemedyRequest');

export const resolveSchema = z
  .object({
    decision: z.enum(['PAID', 'FAILED', 'REFUNDED', 'REFUND_FAILED']),
    operator: safe(z.string().trim().min(1).max(50)),
    note: safe(z.string().trim().min(1).max(500)),
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
    ecToken: z
      .string()
      .regex(/^[0-9A-Za-z]{1,63}$/, 'not an ecToken')
      .optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    cursor: cursorParam(visibilityCursor).optional().openapi({ description: "the previous page's nextCursor, with the same filters" }),
  })
  .strict();

export const linksSchema = z
  .object({ self: z.string(), refund: z.string(), ui: z.string().url().openapi({ description: 'the order in the Temporal UI' }) })
  .openapi('SettlementLinks');

export const acceptedSchema = z.object({ orderNo: z.string(), status: z.literal('PROCESSING'), links: linksSchema }).openapi('SettlementAccepted');

export const dateQuerySchema = z
  .object({
    date: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD')
      .refine((d) => !Number.isNaN(Date.parse(d)), 'not a date'),
  })
  .strict();

// preprocess, not z.coerce: coerce also turns null into 0, so the document would call the index nullable
const pathInteger = z.preprocess((v) => (typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : v), z.number().int().min(0));
export const inboxMatchParams = z.object({ date: dateQuerySchema.shape.date, index: pathInteger });
export const inboxMatchSchema = z
  .object({ orderNo: orderNoParam.shape.orderNo, operator: safe(z.string().trim().min(1).max(50)) })
  .strict()
  .openapi('InboxMatch');

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
    nextCursor: z.string().optional().openapi({ description: 'pass as cursor for the next page; absent on the last page' }),
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
    index: z.number().int().min(0).optional().openapi({ description: 'its place in the day: POST /api/inbox/{date}/{index}/match' }),
    truncated: z.literal(true).optional().openapi({ description: 'the push was larger than an entry may be: only its identifiers and amount were kept' }),
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
        refundNo: z.string().optional(),
        rmt: z.string().optional(),
      })
      .openapi({ description: 'the push, without payResponse' }),
  })
  .openapi('InboxItem');
export const inboxSchema = z
  .object({
    items: z.array(inboxItemSchema),
    nextCursor: z.string().optional().openapi({ description: 'pass as cursor for the next page; absent on the last page' }),
    total: z.number().int().openapi({ description: 'pushes kept this day' }),
    dropped: z.number().int().openapi({ description: 'pushes not kept because the day held capacity already (each was acknowledged and counted)' }),
    capacity: z.number().int().openapi({ description: 'most pushes a day keeps' }),
  })
  .openapi('Inbox');

/** A page: an opaque cursor (the previous page's nextCursor) of this list's shape, and how many items at most. */
export const pageQuery = <S extends z.ZodTypeAny>(position: S, maxLimit = 500) => ({
  cursor: cursorParam(position).optional().openapi({ description: "the previous page's nextCursor" }),
  limit: z.coerce.number().int().min(1).max(maxLimit).default(100),
});
export const inboxQuerySchema = dateQuerySchema.extend(pageQuery(indexCursor));

export const reviewsSchema = z
  .object({
    items: z.array(
      z.object({
        orderNo: z.string(),
        reason: z.string().optional(),
        route: z.string().optional(),
        medfeeSumamt: z.string(),
        refund: z.object({ workflowId: z.string(), status: z.string(), reason: z.string().optional() }).optional(),
        centre: centreWordSchema.optional(),
        suggestion: z.string().optional().openapi({ description: "what the centre's record points to; a person still decides" }),
      }),
    ),
    nextCursor: z.string().optional().openapi({ description: 'pass as cursor for the next page; absent on the last page' }),
  })
  .openapi('ReviewQueue');

export const reviewsQuerySchema = z.object(pageQuery(visibilityCursor)).strict();

const sumsSchema = z
  .object({ count: z.number().int(), medfee_sumamt: z.string(), fund_pay_sumamt: z.string(), acct_pay: z.string(), psn_cash_pay: z.string() })
  .openapi('ReconSums');
/** One day (`date`) or a range of days (`from` and `to`, both included). */
export const reconQuerySchema = z
  .object({
    date: dateQuerySchema.shape.date.optional(),
    from: z.string().optional().openapi({ description: 'first Shanghai day, YYYY-MM-DD (with to, instead of date)', example: '2026-11-01' }),
    to: z.string().optional().openapi({ description: 'last Shanghai day, included; at most 31 days after from', example: '2026-11-30' }),
  })
  .strict();

export const reconReportSchema = z
  .object({
    date: z.string().openapi({ description: 'the day, or for a range the ISO 8601 interval from/to' }),
    from: z.string(),
    to: z.string(),
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
      orphanPushes: z.array(
        inboxItemSchema.extend({ date: z.string().openapi({ description: 'the inbox day it is kept in: POST /api/inbox/{date}/{index}/match' }) }),
      ),
    }),
  })
  .openapi('ReconciliationReport');

const signInStatusSchema = z
  .object({ state: z.string(), opterNo: z.string(), signedInOn: z.string().optional(), signedInAt: z.string().optional(), lastError: z.string().optional() })
  .openapi('SignInStatus', { description: 'a platform client\'s 9001 sign-in; REFUSED: national calls go out with sign_no ""' });

/** Without a key (or from a non-loopback client when API_KEYS is unset) only the states: no address, no sign-in record. */
export const healthSchema = z
  .object({
    status: z.enum(['ok', 'unavailable']),
    temporal: z.enum(['ok', 'unreachable']),
    platform: z.enum(['ok', 'unreachable']),
    platformUrl: z.string().optional().openapi({ description: 'with a valid key only' }),
    signIn: z.array(signInStatusSchema).optional().openapi({ description: 'with a valid key only' }),
  })
  .openapi('Health');

export const livenessSchema = z.object({ status: z.literal('ok') }).openapi('Liveness');

/** Idempotency-Key: a repeat with the same key and request returns the first order. */
export const idempotencyHeaders = z.object({
  'Idempotency-Key': z.string().min(1, 'must be 1-128 characters').max(128, 'must be 1-128 characters').optional(),
});
