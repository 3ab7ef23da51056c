import type { InsuranceRefundPolicy, Recovery, RefundCalls, RefundRecorder, PolicyInput } from '../route-adapter';

/**
 * 2208 refunds the insurance part. Shanghai guide §4.10: an unanswered 2208 is reversed (2601) before
 * anything else moves money; once the reversal is confirmed the 2208 may go out again.
 */
export const nationalRefundPolicy: InsuranceRefundPolicy = {
  step: '2208',
  freshVoucher: { accepted: false, refusal: 'ecToken / ecQrCode are for 五期 refunds only (SK01 carddata); a national refund (2208) needs no e-voucher' },
  // after a reversal an "already refunded" is no proof: a person looks
  alreadyRefundedConfirms: false,
  async recoverUnknown(state, input, calls, unknown): Promise<Recovery> {
    if (!unknown.msgid)
      return { do: 'review', reason: `INSURANCE_REFUND_UNKNOWN: the 2208 call did not return its msgid, so it cannot be reversed: ${unknown.reason}` };
    return reverse(state, input, calls, unknown.msgid);
  },
};

async function reverse(state: RefundRecorder, input: PolicyInput, calls: RefundCalls, omsgid: string): Promise<Recovery> {
  state.step('2601');
  const rev = await calls.money
    .reverseInsuranceRefund({ omsgid, oinfno: '2208', psnNo: input.psnNo, insuplcAdmdvs: input.insuplcAdmdvs, operator: input.operator })
    .catch((err) => ({ kind: 'unknown', msgid: '', reason: calls.text(err) }) as const);
  state.reversalSent(rev.msgid || undefined);
  state.event('REVERSAL_SENT', `2601 msgid ${rev.msgid || '?'} for 2208 msgid ${omsgid}: ${rev.kind}`);
  if (rev.kind !== 'ok') {
    const why = rev.kind === 'business' ? rev.message : rev.reason;
    return { do: 'review', reason: `REVERSAL_UNCONFIRMED: 2208 msgid ${omsgid}, 2601 msgid ${rev.msgid || '?'}: ${why}` };
  }
  state.event('REVERSED', `2208 msgid ${omsgid}`);
  state.step('2208');
  return { do: 'retry' };
}
