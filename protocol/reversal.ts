import { z } from 'zod';
import { NATIONAL_MSGID_RE } from './msgid';
import { nonEmpty } from './zod-helpers';

// 【2601】冲正交易 (national §5.2.7.1; Shanghai guide §4.10). omsgid/oinfno name the original
// transaction; the output is 无. Never a refund by itself (guide §4.10 item 4).

/** The transactions that can be reversed (national §5.2.7.1.2 item 1). */
export const REVERSIBLE_INFNOS = ['2102', '2103', '2207', '2208', '2304', '2305', '2401', '2304A', '2102A'] as const;

export const reversalData = z.object({
  psn_no: nonEmpty(30),
  omsgid: z.string().regex(NATIONAL_MSGID_RE, 'omsgid must be the original 30-character msgid'),
  oinfno: z.enum(REVERSIBLE_INFNOS, { errorMap: () => ({ message: `oinfno must be one of ${REVERSIBLE_INFNOS.join(', ')}` }) }),
});
export const reversalInput = z.object({ data: reversalData });
export type ReversalData = z.infer<typeof reversalData>;
