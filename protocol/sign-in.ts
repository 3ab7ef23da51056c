import { z } from 'zod';
import { dateTime, nonEmpty, str } from './zod-helpers';

// 【9001】签到 / 【9002】签退 (national §5.8.1.1, §5.8.1.2). The sign_no from 9001 goes into every
// later header (表3 #17); 9002 makes it invalid for every terminal of that operator.

/** 9001 input, node signIn (表411). */
export const signInInput = z.object({
  signIn: z.object({ opter_no: nonEmpty(20), mac: nonEmpty(20), ip: nonEmpty(20) }),
});
export type SignInInput = z.infer<typeof signInInput>;

/** 9001 output, node signinoutb (表412). sign_time is 日期型 in the table but printed yyyy-MM-dd HH:mm:ss. */
export const signInOutput = z.object({ signinoutb: z.object({ sign_time: z.string().min(1), sign_no: nonEmpty(30) }).passthrough() }).passthrough();

/** 9002 input, node signOut (表413). */
export const signOutInput = z.object({ signOut: z.object({ sign_no: nonEmpty(30), opter_no: nonEmpty(20) }) });

/** 9002 output, node signoutoutb (表414). */
export const signOutOutput = z.object({ signoutoutb: z.object({ sign_time: z.union([dateTime, str(30)]) }).passthrough() }).passthrough();

/**
 * The platform's "your sign-in is not valid" refusal. The national spec defines infcode -1 only (表5),
 * so the refusal is known by its err_msg: it names 签到 (sign-in) or 签退 (signed out, §5.8.1.2.2
 * "签退后，签到流水号失效"). A sign-in refusal means the transaction was not processed.
 */
export const SIGN_IN_INVALID = /签到|签退|sign_no/i;
