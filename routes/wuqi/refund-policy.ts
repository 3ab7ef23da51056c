import type { InsuranceRefundPolicy, PolicyInput, RefundCalls, RefundRecorder } from '../route-adapter';

const SE06_TRIES = 3;

/**
 * SK01 refunds the insurance part (§4.4.1). 五期 has no 2601: after an unknown SK01, SE06 first; a refund it
 * shows proves the SK01 acted. Only "no such refund" allows one more SK01, which the platform refuses with
 * P510 if the first one did act (alreadyRefundedConfirms). See docs/spec-readings.md.
 */
export const wuqiRefundPolicy: InsuranceRefundPolicy = {
  step: 'SK01',
  freshVoucher: { accepted: true, event: 'SK01 goes out with a fresh e-voucher of the payer' },
  // P510 after an attempt we could not see the end of: that attempt worked (issue 11 §3)
  alreadyRefundedConfirms: true,
  tokenRefused: (message) =>
    `ECTOKEN_REFUSED: the centre refused the e-voucher token for SK01 (${message}); nothing was refunded: ask the patient for a fresh e-voucher and request the refund again with ecToken, or ecQrCode + ecQrChannel`,
  async recoverUnknown(state, input, calls, unknown) {
    const seen = await sk01Seen(state, input, calls);
    if (seen === 'refunded') return { do: 'refunded', detail: `SE06 shows the refund of SK01 msgid ${unknown.msgid || '?'}` };
    if (seen === 'unknown')
      return { do: 'review', reason: `INSURANCE_REFUND_UNKNOWN: SK01 msgid ${unknown.msgid || '?'} unanswered and SE06 cannot tell: ${unknown.reason}` };
    return { do: 'retry' };
  },
};

/** After an unknown SK01: SE06 a few times. A refund record (any refundStatus) means the SK01 acted. */
async function sk01Seen(state: RefundRecorder, input: PolicyInput, calls: RefundCalls): Promise<'refunded' | 'notFound' | 'unknown'> {
  state.step('SE06');
  for (let i = 1; i <= SE06_TRIES; i++) {
    await calls.sleep(2_000 * i);
    const q = await calls.polls
      .queryRefund({ route: input.route, ecToken: input.ecToken, operator: input.operator })
      .catch((err) => ({ kind: 'unknown', reason: calls.text(err) }) as const);
    state.event(
      'SK01_CHECKED',
      q.kind === 'result' ? `SE06 refundStatus ${q.result.refundStatus}` : q.kind === 'unknown' ? `SE06 unknown: ${q.reason}` : 'SE06 no such refund',
    );
    if (q.kind === 'result') return 'refunded';
    if (q.kind === 'notFound') return (state.step('SK01'), 'notFound');
  }
  return 'unknown';
}
