import { SIGN_IN_INVALID } from './sign-in';
import { SE04_PROCESSING } from './pay-result';
import { wuqiCode } from './wuqi-codes';

// How a refusal of a query (SE04/SE06) or of a refund (2208/SK01/SE07) is read: the one table of the
// wordings and codes we recognise. National refusals are infcode -1 with free text (表5 defines no other
// code), so wording is all there is; 五期 refusals carry a §3.4 交易返回码.
//
// The rules (issue 19, "refusals read safely"):
//  - a refusal that names the sign-in (签到/签退/sign_no) says the platform did not process the call: it
//    is never "not found" (nor "processing", nor "already refunded"). The platform client has already
//    signed in again and resent once with a new msgid (platform/client.ts); a sign-in refusal still
//    standing after that is `unknown`;
//  - "not found" is not-found wording that carries no sign-in wording (national), or P610 交易查询未找到
//    相应记录 (五期 §3.4). P600 交易查询错误（如：交易记录与医院代码不符等）is an error, not "no record":
//    it stays unknown.

/** 未找到 / 不存在 / 无此: a national refusal saying there is no such order or refund. */
export const NOT_FOUND_WORDING = /未找到|不存在|无此|not found/i;
/** A national refusal of 2208/SE07 saying the refund was already made (an earlier attempt succeeded). */
export const ALREADY_REFUNDED_WORDING = /已经退款|重复退款|已撤销/;
/** The sign-in refusal (protocol/sign-in.ts): 签到 / 签退 / sign_no. */
export const SIGN_IN_WORDING = SIGN_IN_INVALID;
/** A refusal saying the payment is still being processed (V13 SE04 has no payStatus; both routes). */
export const PROCESSING_WORDING = SE04_PROCESSING;

export type QueryRefusal = 'signIn' | 'processing' | 'notFound' | 'unknown';

/** What a refused SE04/SE06 says. `signIn` and `unknown` both mean: we cannot tell. */
export function readQueryRefusal(route: 'NATIONAL' | 'WUQI', r: { code: string; message: string }): QueryRefusal {
  if (SIGN_IN_WORDING.test(r.message)) return 'signIn';
  if (route === 'WUQI') {
    if (wuqiCode(r.code).notFound) return 'notFound';
    return PROCESSING_WORDING.test(r.message) ? 'processing' : 'unknown';
  }
  if (PROCESSING_WORDING.test(r.message)) return 'processing';
  return NOT_FOUND_WORDING.test(r.message) ? 'notFound' : 'unknown';
}

/** A refused 2208/SE07 (national): "already refunded" by its wording, never when it names the sign-in. */
export function nationalAlreadyRefunded(message: string): boolean {
  return !SIGN_IN_WORDING.test(message) && ALREADY_REFUNDED_WORDING.test(message);
}
