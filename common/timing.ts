import { z } from 'zod';

// The settlement's and refund's timing, once: the workflows take their types from these schemas
// (workflows/messages.ts, type-only, so zod stays out of the workflow bundle) and SETTLEMENT_TIMING
// is validated by them (common/config.ts).

const ms = z.number().int().positive();
const schedule = z.array(ms).max(50);

export const refundTimingSchema = z
  .object({
    pollScheduleMs: schedule,
    pollEveryMs: ms,
    deadlineMs: ms,
    /** No cash refund seen this long after the insurance part: review, or the SE07 remedy (五期 §4.8.7) with cashSilence 'remedy'. */
    cashGraceMs: ms,
    /** Silence after cashGraceMs: NEEDS_REVIEW CASH_REFUND_NOT_SEEN ('review', the default) or SE07 at once ('remedy'). CASH_REFUND_SILENCE. */
    cashSilence: z.enum(['review', 'remedy']).optional(),
    /** Activity start-to-close for 2208/SK01 and 2601: above their 150 s HTTP timeout (Shanghai guide §4.10). */
    insuranceTimeoutMs: ms,
  })
  .strict();

export const settlementTimingSchema = z
  .object({
    /** SE04 polls after SE02, in ms from the previous one; then every pollEveryMs. */
    pollScheduleMs: schedule,
    pollEveryMs: ms,
    /** No final answer by then: NEEDS_REVIEW. */
    deadlineMs: ms,
    /** Confirm a pushed result with one SE04 before PAID. */
    confirmPush: z.boolean(),
    /** ecToken validity: resubmitting SE02 is allowed only within it. */
    tokenValidMs: ms,
    /** SE04 "not found" answers in a row, after an SE02 with unknown outcome, before a resubmit. */
    notFoundBeforeResubmit: z.number().int().min(1),
    maxResubmits: z.number().int().min(0).max(3),
    /** An SE02 the platform never showed: FAILED SE02_NOT_RECEIVED this long after the token stopped being able to settle. */
    notReceivedGraceMs: ms,
    /** How long the order stays open for refunds and late pushes once settled. */
    refundWindowMs: ms,
    /** Activity start-to-close for one submit (SE02/2208/SE07) and one query (SE04/SE06): above the HTTP timeouts. */
    submitTimeoutMs: ms,
    queryTimeoutMs: ms,
    refund: refundTimingSchema,
  })
  .strict();

/** SETTLEMENT_TIMING: any part of the timing, the refund's included; the rest keeps DEFAULT_TIMING. */
export const timingOverrideSchema = settlementTimingSchema
  .omit({ refund: true })
  .partial()
  .extend({ refund: refundTimingSchema.partial().optional() })
  .strict();
