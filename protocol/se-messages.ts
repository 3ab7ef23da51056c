import { z } from 'zod';
import { ORDER_NO_RE } from './msgid';
import { infcode } from './national-header';
import { personInfoInput } from './person-info';
import { reversalInput } from './reversal';
import { refund2208Input, settle2207Input, settle2207Output, type Settle2207Output } from './settlement';
import { signInInput, signOutInput } from './sign-in';
import { amount, billDate, dateTime, jsonStringOr, nonEmpty, safeNonEmpty, str } from './zod-helpers';

/** 字符串 63. No control characters, bidi controls or markup: a pushed ecToken is kept in the inbox and shown to staff. */
export const ecToken = safeNonEmpty(63);

export const CHANNELS = ['wechat', 'alipay', 'unionpay', 'ybpay'] as const;
export const channel = z.enum(CHANNELS, { errorMap: () => ({ message: 'channel must be wechat, alipay, unionpay or ybpay' }) });
export type Channel = z.infer<typeof channel>;

/** SE02 互联网线上结算 input. payRequest is the 2207 input (object, or its JSON text). */
export const se02Input = z.object({
  orderNo: z.string().regex(ORDER_NO_RE, 'must be fixmedins_code(12) + yyyyMMddHHmmssSSS + 6 digits'),
  ecToken,
  payRequest: jsonStringOr(settle2207Input),
  pName: str(50).optional(),
  pIdNo: str(20).optional(),
});
export type Se02Input = z.infer<typeof se02Input>;

export const tokenQueryInput = z.object({ ecToken });
export const se04Input = tokenQueryInput;
export const se06Input = tokenQueryInput;

/** SE07 现金退款提交: orderNo is the third-party order number from SE03/SE04. */
export const se07Input = z.object({ ecToken, orderNo: nonEmpty(40) });

/** Third-party payment fields, required when channel ≠ ybpay. */
const thirdParty = {
  gmt: dateTime,
  orderNo: str(40).nullish(),
  tradeNo: str(64).nullish(),
  amount: amount().nullish(),
  channel,
  billTime: billDate.nullish(),
};

type ThirdPartyKey = 'orderNo' | 'tradeNo' | 'amount' | 'billTime';
type ThirdPartyFields = { channel?: string } & Partial<Record<ThirdPartyKey, unknown>>;

function requireThirdParty(v: ThirdPartyFields, ctx: z.RefinementCtx, keys: ThirdPartyKey[] = ['orderNo', 'tradeNo', 'amount', 'billTime']) {
  if (v.channel === undefined || v.channel === 'ybpay') return;
  for (const k of keys) {
    if (v[k] === undefined || v[k] === null || v[k] === '') {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: [k], message: `${k} is required when channel is not ybpay` });
    }
  }
}

export const payStatus = z.enum(['1', '-1'], { errorMap: () => ({ message: 'payStatus must be 1 or -1' }) });

/** payResponse on success is the 2207 output; on failure the platform may put anything non-empty. */
export const se03Output = z
  .object({
    ecToken,
    payStatus,
    payResponse: z.union([z.string().min(1), z.record(z.unknown())]),
    ...thirdParty,
  })
  .passthrough()
  // A failed payment (-1) has no third-party trade to report, so the rule binds successes only.
  .superRefine((v, ctx) => (v.payStatus === '1' ? requireThirdParty(v, ctx) : undefined))
  .transform((v, ctx) => withSettlement(v, v.payStatus === '1', ctx));

/**
 * A paid result's payResponse must be the 2207 output. It is parsed here, once, and kept as
 * `settlement` beside the raw payResponse, so nobody downstream parses it again.
 */
function withSettlement<T extends { payResponse?: unknown }>(v: T, paid: boolean, ctx: z.RefinementCtx): T & { settlement?: Settle2207Output } {
  if (!paid || v.payResponse === undefined || v.payResponse === null) return v;
  const r = jsonStringOr(settle2207Output).safeParse(v.payResponse);
  if (!r.success) {
    for (const issue of r.error.issues) ctx.addIssue({ ...issue, path: ['payResponse', ...issue.path] });
    return z.NEVER;
  }
  return { ...v, settlement: r.data };
}

/** SE03 push: the V13 sample is an output header whose input-header fields are null. */
export const se03Push = z
  .object({
    infno: z.literal('SE03'),
    infcode: infcode.nullish(),
    output: se03Output,
  })
  .passthrough();
export type Se03Push = z.infer<typeof se03Push>;
export type Se03Output = z.infer<typeof se03Output>;

/**
 * SE04 output (V13 §2.3.3, 五期 §4.8.4.3). The table has no payStatus: the platform answers a payResponse
 * (the 2207 output) only for a settled payment, so a payResponse means paid. payResponse, gmt and channel
 * are 非空; the third-party fields are required when channel ≠ ybpay (V13's SE04 sample has no billTime,
 * so on SE04 only the money-bearing ones are enforced). A payStatus, if a platform adds one, is ignored:
 * the settlement inside payResponse is what we act on, and it must parse as a 2207 output.
 */
export const se04Output = z
  .object({
    ecToken,
    payResponse: z.union([z.string().min(1), z.record(z.unknown())]),
    gmt: dateTime,
    orderNo: str(40).nullish(),
    tradeNo: str(64).nullish(),
    amount: amount().nullish(),
    channel,
    billTime: billDate.nullish(),
  })
  .passthrough()
  .superRefine((v, ctx) => requireThirdParty(v, ctx, ['orderNo', 'tradeNo', 'amount']))
  .transform((v, ctx) => withSettlement(v, true, ctx));
export type Se04Output = z.infer<typeof se04Output>;

const refundChannel = z.enum(['wechat', 'alipay', 'unionpay'], { errorMap: () => ({ message: 'channel must be wechat, alipay or unionpay' }) });

const refundFields = {
  ecToken,
  rmt: dateTime.nullish(),
  orderNo: str(40).nullish(),
  refundNo: str(64).nullish(),
  amount: amount().nullish(),
  channel: refundChannel.nullish(),
  billTime: billDate.nullish(),
};

function requireRefundFields(v: { refundStatus?: string; [k: string]: unknown }, ctx: z.RefinementCtx) {
  if (v.refundStatus !== '1') return;
  for (const k of ['rmt', 'orderNo', 'refundNo', 'amount', 'channel', 'billTime']) {
    if (v[k] === undefined || v[k] === null || v[k] === '') {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: [k], message: `${k} is required when refundStatus is 1` });
    }
  }
}

export const se05Output = z
  .object({ ...refundFields, refundStatus: z.enum(['1', '-1'], { errorMap: () => ({ message: 'refundStatus must be 1 or -1' }) }) })
  .passthrough()
  .superRefine(requireRefundFields);
export type Se05Output = z.infer<typeof se05Output>;

export const se05Push = z.object({ infno: z.literal('SE05'), infcode: infcode.nullish(), output: se05Output }).passthrough();
export type Se05Push = z.infer<typeof se05Push>;

/**
 * SE06 output: refundStatus 1 / 0 (退款中) / -1. V13's sample omits refundStatus; a reply that
 * carries refundNo and rmt is then the finished refund it shows.
 */
export const se06Output = z
  .object({ ...refundFields, refundStatus: z.enum(['1', '0', '-1'], { errorMap: () => ({ message: 'refundStatus must be 1, 0 or -1' }) }).optional() })
  .passthrough()
  .transform((v, ctx) => {
    let status = v.refundStatus;
    if (status === undefined) {
      if (v.refundNo && v.rmt) status = '1';
      else {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['refundStatus'], message: 'refundStatus is required' });
        return z.NEVER;
      }
    }
    return { ...v, refundStatus: status };
  })
  .superRefine(requireRefundFields);
export type Se06Output = z.infer<typeof se06Output>;

/** Input schemas per national infno, used by the simulator and by our client before sending. */
export const nationalInputs = {
  '1101': personInfoInput,
  '2208': refund2208Input,
  '2601': reversalInput,
  '9001': signInInput,
  '9002': signOutInput,
  SE02: se02Input,
  SE04: se04Input,
  SE06: se06Input,
  SE07: se07Input,
} as const;
