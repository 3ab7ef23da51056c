import * as wf from '@temporalio/workflow';
import type { AnsweredAt, InsuranceRefund, Outcome, PlatformActivities } from '../activities/contract';
import { formatYuan, toFen } from '../protocol/money';
import type { RefundResult } from '../protocol/pay-result';
import { HistoryClock } from './clock';
import { FAIL, initialWatch, REVIEW, type Answer, type WatchParams } from './decide';
import { refundProgressSignal, refundPushSignal, refundStatusQuery, remedyRefundUpdate, resolveRefundUpdate, type RefundInput, type RefundView, type RemedyInput } from './messages';
import { RefundState } from './refund-state';
import { watch } from './watch';

const INSURANCE_TRIES = 3;

/**
 * Refund of a PAID settlement (V13 附件一 3, 五期 §2.4): the insurance part (2208 / SK01) first; the
 * platform then refunds the cash part by itself (SE05 push, SE06 poll). SE07 is only the remedy
 * (五期 §4.8.7 "医保已退，现金未退"): when the cash part failed, or never showed after a grace period.
 */
export async function refund(input: RefundInput): Promise<RefundView> {
  const t = input.timing;
  const insurance = wf.proxyActivities<PlatformActivities>({ startToCloseTimeout: t.insuranceTimeoutMs, retry: { maximumAttempts: 1 } });
  const se07 = wf.proxyActivities<PlatformActivities>({ startToCloseTimeout: t.submitTimeoutMs, retry: { maximumAttempts: 1 } });
  const polls = wf.proxyLocalActivities<PlatformActivities>({ startToCloseTimeout: t.queryTimeoutMs, retry: { initialInterval: '1s', maximumAttempts: 3 } });
  const parent = wf.workflowInfo().parent;
  const state = new RefundState(
    input,
    wf.workflowInfo().workflowId,
    async (s) => {
      if (parent) await wf.getExternalWorkflowHandle(parent.workflowId, parent.runId).signal(refundProgressSignal, s);
    },
    () => Date.now(),
  );

  wf.setHandler(refundPushSignal, (r) => state.onPush(r));
  wf.setHandler(refundStatusQuery, () => state.view);
  wf.setHandler(resolveRefundUpdate, (r) => state.resolve(r), { validator: (r) => state.validateResolve(r) });
  wf.setHandler(remedyRefundUpdate, (r) => state.requestRemedy(r), { validator: (r) => state.validateRemedy(r, hasCashPart(input)) });

  if (await insurancePart(state, input, insurance, polls)) await cashPart(state, input, se07, polls);
  // Under review a person resolves, or (cash part not refunded, the centre says so) sends the SE07 remedy.
  while (state.status === 'NEEDS_REVIEW' || state.remedyRequest) {
    state.view.step = 'AWAITING_REVIEW';
    await wf.condition(() => state.status !== 'NEEDS_REVIEW' || state.remedyRequest !== undefined);
    const remedy = state.remedyRequest;
    state.remedyRequest = undefined;
    if (remedy) await cashPart(state, input, se07, polls, remedy);
  }
  state.view.step = 'DONE';
  // the resolve Update (which signals the parent) must finish before the workflow does
  await wf.condition(wf.allHandlersFinished);
  return state.view;
}

type Acts = ReturnType<typeof wf.proxyActivities<PlatformActivities>>;

/**
 * 2208 (SK01 on 五期): true once the insurance part is refunded. An unknown 2208 is reversed (2601)
 * before a new one; an unknown SK01 is queried (SE06) before a new one (see docs/spec-readings.md).
 */
async function insurancePart(state: RefundState, input: RefundInput, acts: Acts, polls: Acts): Promise<boolean> {
  if (input.insuranceRefundedAt) {
    state.event('INSURANCE_ALREADY_REFUNDED', `by an earlier attempt at ${input.insuranceRefundedAt}`);
    return true;
  }
  const national = input.route === 'NATIONAL';
  // 五期 with a fresh e-voucher (after ECTOKEN_REFUSED): it must be the payer's; it is SK01's carddata only
  let carddata: string | undefined;
  if (input.freshVoucher && !national) {
    state.view.step = 'FRESH_VOUCHER';
    const fresh = await polls
      .checkRefundVoucher({ voucher: input.freshVoucher, payerCardMask: input.payerCardMask, operator: input.operator })
      .catch((err) => ({ kind: 'refused', message: `FRESH_VOUCHER_UNCHECKED: ${text(err)}` }) as const);
    if (fresh.kind === 'refused') return state.setStatus('REFUND_FAILED', `FRESH_VOUCHER_REFUSED: ${fresh.message}`).then(() => false);
    carddata = fresh.ecToken;
    state.event('FRESH_VOUCHER', 'SK01 goes out with a fresh e-voucher of the payer');
  }
  state.view.step = national ? '2208' : 'SK01';
  let sawUnknown = false;
  for (let attempt = 1; ; attempt++) {
    const r: InsuranceRefund = await acts
      .refundInsurance({
        route: input.route,
        orderNo: input.orderNo,
        ecToken: input.ecToken,
        operator: input.operator,
        // national 2208
        setlId: input.setlId,
        mdtrtId: input.mdtrtId,
        psnNo: input.psnNo,
        insuplcAdmdvs: input.insuplcAdmdvs,
        // 五期 SK01 (carddata: a fresh ecToken; SE06/SE07 keep input.ecToken)
        wuqi: input.wuqi && carddata ? { ...input.wuqi, carddata } : input.wuqi,
      })
      .catch((err) => ({ kind: 'unknown', msgid: '', reason: text(err) }) as const);
    if (r.kind === 'ok') return state.insuranceRefunded(r.msgid, r.output), true;
    if (r.kind === 'business') {
      // 五期 P510 after an attempt we could not see the end of: that attempt worked (issue 11 §3)
      if (r.alreadyRefunded && sawUnknown && !national) return state.event('INSURANCE_REFUND_CONFIRMED', r.message), state.insuranceRefunded(r.msgid, undefined), true;
      if (r.tokenRefused && !national && !r.alreadyRefunded) {
        await state.setStatus('REFUND_FAILED', `ECTOKEN_REFUSED: the centre refused the e-voucher token for SK01 (${r.message}); nothing was refunded: ask the patient for a fresh e-voucher and request the refund again with ecToken, or ecQrCode + ecQrChannel`);
        return false;
      }
      await state.setStatus(r.alreadyRefunded ? 'NEEDS_REVIEW' : 'REFUND_FAILED', `INSURANCE_REFUND_REJECTED: ${r.message}`);
      return false;
    }
    sawUnknown = true;
    state.event('INSURANCE_REFUND_UNKNOWN', `${r.msgid || 'no msgid'}: ${r.reason}`);
    if (attempt >= INSURANCE_TRIES) return review(state, `INSURANCE_REFUND_UNKNOWN: ${r.reason}`);
    if (!national) {
      // 五期 has no 2601: SE06 first; a refund it shows proves the SK01 acted. Only "no such refund" allows
      // one more SK01, which the platform refuses with P510 if the first one did act (counted as done above).
      const seen = await sk01Seen(state, input, polls);
      if (seen === 'refunded') return state.event('INSURANCE_REFUND_CONFIRMED', `SE06 shows the refund of SK01 msgid ${r.msgid || '?'}`), state.insuranceRefunded(r.msgid, undefined), true;
      if (seen === 'unknown') return review(state, `INSURANCE_REFUND_UNKNOWN: SK01 msgid ${r.msgid || '?'} unanswered and SE06 cannot tell: ${r.reason}`);
      continue;
    }
    // Shanghai guide §4.10: an unanswered 2208 is reversed (2601) before anything else moves money.
    if (!r.msgid) return review(state, `INSURANCE_REFUND_UNKNOWN: the 2208 call did not return its msgid, so it cannot be reversed: ${r.reason}`);
    if (!(await reverse(state, input, acts, r.msgid))) return false;
  }
}

/** After an unknown SK01: SE06 a few times. A refund record (any refundStatus) means the SK01 acted. */
async function sk01Seen(state: RefundState, input: RefundInput, polls: Acts): Promise<'refunded' | 'notFound' | 'unknown'> {
  state.view.step = 'SE06';
  for (let i = 1; i <= INSURANCE_TRIES; i++) {
    await wf.sleep(2_000 * i);
    const q = await polls.queryRefund({ route: input.route, ecToken: input.ecToken, operator: input.operator }).catch((err) => ({ kind: 'unknown', reason: text(err) }) as const);
    state.event('SK01_CHECKED', q.kind === 'result' ? `SE06 refundStatus ${q.result.refundStatus}` : q.kind === 'unknown' ? `SE06 unknown: ${q.reason}` : 'SE06 no such refund');
    if (q.kind === 'result') return 'refunded';
    if (q.kind === 'notFound') return state.view.step = 'SK01', 'notFound';
  }
  return 'unknown';
}

async function reverse(state: RefundState, input: RefundInput, acts: Acts, omsgid: string): Promise<boolean> {
  state.view.step = '2601';
  const rev: Outcome = await acts
    .reverseInsuranceRefund({ omsgid, oinfno: '2208', psnNo: input.psnNo, insuplcAdmdvs: input.insuplcAdmdvs, operator: input.operator })
    .catch((err) => ({ kind: 'unknown', msgid: '', reason: text(err) }) as const);
  state.view.reversalMsgid = rev.msgid || undefined;
  state.event('REVERSAL_SENT', `2601 msgid ${rev.msgid || '?'} for 2208 msgid ${omsgid}: ${rev.kind}`);
  if (rev.kind !== 'ok') {
    const why = rev.kind === 'business' ? rev.message : rev.reason;
    return review(state, `REVERSAL_UNCONFIRMED: 2208 msgid ${omsgid}, 2601 msgid ${rev.msgid || '?'}: ${why}`);
  }
  state.event('REVERSED', `2208 msgid ${omsgid}`);
  state.view.step = '2208';
  return true;
}

const hasCashPart = (input: RefundInput) => input.cashFen > 0 && input.channel !== 'ybpay' && !!input.thirdOrderNo;

/**
 * The cash part: the platform refunds it by itself; SE07 only as the remedy. With `remedy` (a person's
 * audited request after CASH_REFUND_NOT_SEEN) SE07 goes out first and the watch starts over from it.
 */
async function cashPart(state: RefundState, input: RefundInput, se07: Acts, polls: Acts, remedy?: RemedyInput): Promise<void> {
  if (!hasCashPart(input)) return state.setStatus('REFUNDED', 'no cash part');
  if (!remedy) await state.setStatus('CASH_REFUNDING');
  const t = input.timing;
  const clock = new HistoryClock(); // from this refund's start: the grace and the deadline count a little early, never late
  const querySe06 = async (): Promise<Answer<RefundResult> & AnsweredAt> => {
    const q = await polls.queryRefund({ route: input.route, ecToken: input.ecToken, operator: input.operator }).catch((err) => ({ kind: 'unknown', reason: text(err) }) as const);
    state.event(q.kind === 'unknown' ? 'POLL_FAILED' : 'POLL_ANSWERED', q.kind === 'result' ? `refundStatus ${q.result.refundStatus}` : q.kind === 'unknown' ? q.reason : q.kind);
    return q.kind === 'notFound' ? { kind: 'notFound', at: q.at } : q;
  };
  // A person's remedy: SE06 first (never SE07 blindly); its answer brings the clock to now and is the
  // watch's first answer, so SE07 goes out only if SE06 still shows no cash refund, or a failed one.
  let asked = remedy ? await querySe06() : undefined;
  clock.saw(asked?.at);
  const startedAt = clock.now();
  const fen = (a?: string) => {
    try {
      return a === undefined ? undefined : toFen(a);
    } catch {
      return undefined;
    }
  };
  const params: WatchParams<RefundResult> = {
    confirmPush: true,
    deadlineAt: startedAt + t.deadlineMs,
    verify: (r) => (r.refundStatus === '1' && fen(r.amount) !== input.cashFen ? `CASH_REFUND_AMOUNT_MISMATCH: refunded ${r.amount ?? '?'}, paid ${formatYuan(input.cashFen)}` : undefined),
    agree: (a, b) => (a.refundStatus !== b.refundStatus || fen(a.amount) !== fen(b.amount) ? `PUSH_QUERY_MISMATCH: refundStatus ${a.refundStatus}/${a.amount ?? '-'} vs ${b.refundStatus}/${b.amount ?? '-'}` : undefined),
    outcome: (r) => (r.refundStatus === '1' ? 'success' : r.refundStatus === '0' ? 'pending' : 'failure'),
    remedy: remedy ? { graceUntil: startedAt, max: 1, onSilence: 'remedy' } : { graceUntil: startedAt + t.cashGraceMs, max: 1, onSilence: t.cashSilence ?? 'review' },
  };
  const thirdOrderNo = input.thirdOrderNo!; // hasCashPart checked it
  const first = asked ? ({ do: 'query' } as const) : undefined;
  const final = await watch(initialWatch<RefundResult>('accepted'), params, {
    schedule: t.pollScheduleMs,
    every: t.pollEveryMs,
    nextPush: () => state.pushes.shift(),
    hasPush: () => state.pushes.length > 0,
    query: async () => {
      const a = asked ?? (await querySe06());
      asked = undefined;
      return a;
    },
    send: async (why) => {
      state.event('SE07_REMEDY', why);
      const r = await se07.submitSe07({ route: input.route, ecToken: input.ecToken, thirdOrderNo, operator: input.operator }).catch((err) => ({ kind: 'unknown', msgid: '', reason: text(err) }) as const);
      if (r.kind === 'ok') return state.event('SE07_RECEIVED', r.msgid), { outcome: 'accepted' };
      if (r.kind === 'unknown') return state.event('SE07_UNKNOWN', r.reason), { outcome: 'unknown' };
      if (r.alreadyRefunded) return state.event('SE07_ALREADY_SUBMITTED', r.message), { outcome: 'accepted' };
      return { outcome: 'refused', message: r.message };
    },
    step: (s) => void (state.view.step = s),
  }, clock, first);
  if (final.do === 'review') return review(state, cashReason(final.reason, t.cashGraceMs)).then(() => undefined);
  if (final.do === 'fail') {
    const next = 'the insurance part is refunded, request the refund again';
    const reason = cashReason(final.reason, t.cashGraceMs);
    return state.setStatus('REFUND_FAILED', reason.includes(next) ? reason : `${reason}; ${next}`);
  }
  Object.assign(state.view, { cashRefundNo: final.result.refundNo, cashAmount: formatYuan(input.cashFen) });
  await state.setStatus('REFUNDED', `cash refund ${final.result.refundNo ?? ''} by ${final.by}`.trim());
}

/** decide()'s neutral codes in the refund's own words (a reason without one is kept as it is). */
function cashReason(reason: string, graceMs: number): string {
  const [code, ...rest] = reason.split(': ');
  const detail = rest.join(': ');
  switch (code) {
    case FAIL.remedyRefused:
      return `SE07_REJECTED: ${detail}`;
    case FAIL.failedAfterRemedy:
      return 'CASH_REFUND_FAILED: the cash part failed after the SE07 remedy; the insurance part is refunded, request the refund again';
    case REVIEW.nothingSeen:
      return `CASH_REFUND_NOT_SEEN: no cash refund seen ${Math.round(graceMs / 60_000)} min after the insurance refund; ask the centre, then send the SE07 remedy (console or npm run remedy) or resolve`;
    default:
      return reason;
  }
}

async function review(state: RefundState, reason: string): Promise<false> {
  await state.setStatus('NEEDS_REVIEW', reason);
  return false;
}

function text(err: unknown): string {
  const e = err as { message?: string; cause?: { message?: string } };
  return [e.message, e.cause?.message].filter(Boolean).join(': ').slice(0, 300);
}
