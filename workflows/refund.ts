import * as wf from '@temporalio/workflow';
import type { AnsweredAt, InsuranceRefund, PlatformActivities } from '../activities/contract';
import { formatYuan, toFen } from '../protocol/money';
import type { RefundResult } from '../protocol/pay-result';
import { insuranceCallOf, routeOf } from '../routes';
import { HistoryClock } from './clock';
import { FAIL, initialWatch, REVIEW, type Answer, type WatchParams } from './decide';
import {
  refundProgressSignal,
  refundPushSignal,
  refundStatusQuery,
  remedyRefundUpdate,
  resolveRefundUpdate,
  type RefundInput,
  type RefundView,
  type RemedyInput,
} from './messages';
import { RefundState } from './refund-state';
import { watch } from './watch';

const INSURANCE_TRIES = 3;

/**
 * Refund of a PAID settlement (V13 附件一 3, 五期 §2.4): the insurance part (the route's call) first; the
 * platform then refunds the cash part by itself (SE05 push, SE06 poll). SE07 is only the remedy
 * (五期 §4.8.7 "医保已退，现金未退"): when the cash part failed, or never showed after a grace period.
 */
export async function refund(input: RefundInput): Promise<RefundView> {
  const parent = wf.workflowInfo().parent;
  const state = new RefundState(
    input,
    wf.workflowInfo().workflowId,
    async (s) => {
      if (parent) await wf.getExternalWorkflowHandle(parent.workflowId, parent.runId).signal(refundProgressSignal, s);
    },
    () => Date.now(),
    (id) => wf.patched(id),
  );

  wf.setHandler(refundPushSignal, (r) => state.onPush(r));
  wf.setHandler(refundStatusQuery, () => state.view);
  wf.setHandler(resolveRefundUpdate, (r) => state.resolve(r), { validator: (r) => state.validateResolve(r) });
  wf.setHandler(remedyRefundUpdate, (r) => state.requestRemedy(r), { validator: (r) => state.validateRemedy(r) });

  await refundSteps(state, input);
  // the resolve Update (which signals the parent) must finish before the workflow does
  await wf.condition(wf.allHandlersFinished);
  return state.view;
}

/**
 * A refund's steps over its RefundState, wherever the state lives: in the settlement workflow's OrderState
 * (patch one-refund-model), or in the refund child of older orders (refund() above). The commands are the
 * same in both: the insurance part, the cash part, then a review until a person resolves or remedies.
 */
export async function refundSteps(state: RefundState, input: RefundInput): Promise<void> {
  const t = input.timing;
  const insurance = wf.proxyActivities<PlatformActivities>({ startToCloseTimeout: t.insuranceTimeoutMs, retry: { maximumAttempts: 1 } });
  const se07 = wf.proxyActivities<PlatformActivities>({ startToCloseTimeout: t.submitTimeoutMs, retry: { maximumAttempts: 1 } });
  const polls = wf.proxyLocalActivities<PlatformActivities>({ startToCloseTimeout: t.queryTimeoutMs, retry: { initialInterval: '1s', maximumAttempts: 3 } });
  if (await insurancePart(state, input, insurance, polls)) await cashPart(state, input, se07, polls);
  // Under review a person resolves, or (cash part not refunded, the centre says so) sends the SE07 remedy.
  while (state.status === 'NEEDS_REVIEW' || state.remedyRequest) {
    state.step('AWAITING_REVIEW');
    await wf.condition(() => state.status !== 'NEEDS_REVIEW' || state.remedyRequest !== undefined);
    const remedy = state.remedyRequest;
    state.remedyRequest = undefined;
    if (remedy) await cashPart(state, input, se07, polls, remedy);
  }
  state.step('DONE');
}

type Acts = ReturnType<typeof wf.proxyActivities<PlatformActivities>>;

/**
 * The insurance part, by the route's policy (routes/<route>/refund-policy.ts): true once it is refunded.
 * An unknown outcome is recovered before a new call (reversed, or queried: see docs/spec-readings.md).
 */
async function insurancePart(state: RefundState, input: RefundInput, acts: Acts, polls: Acts): Promise<boolean> {
  if (input.insuranceRefundedAt) {
    state.event('INSURANCE_ALREADY_REFUNDED', `by an earlier attempt at ${input.insuranceRefundedAt}`);
    return true;
  }
  const policy = routeOf(input.route).refund;
  // a fresh e-voucher (after a refused token), where the route takes one: it must be the payer's; it is the insurance call's card data only
  let carddata: string | undefined;
  const voucher = policy.freshVoucher;
  if (input.freshVoucher && voucher.accepted) {
    state.step('FRESH_VOUCHER');
    const fresh = await polls
      .checkRefundVoucher({ voucher: input.freshVoucher, payerCardMask: input.payerCardMask, operator: input.operator })
      .catch((err) => ({ kind: 'refused', message: `FRESH_VOUCHER_UNCHECKED: ${text(err)}` }) as const);
    if (fresh.kind === 'refused') return state.setStatus('REFUND_FAILED', `FRESH_VOUCHER_REFUSED: ${fresh.message}`).then(() => false);
    carddata = fresh.ecToken;
    state.event('FRESH_VOUCHER', voucher.event);
  }
  state.step(policy.step);
  let sawUnknown = false;
  for (let attempt = 1; ; attempt++) {
    const r: InsuranceRefund = await acts
      .refundInsurance(insuranceCallOf(input, carddata))
      .catch((err) => ({ kind: 'unknown', msgid: '', reason: text(err) }) as const);
    if (r.kind === 'ok') return (state.insuranceRefunded(r.msgid, r.output), true);
    if (r.kind === 'business') {
      // "already refunded" after an attempt we could not see the end of: where the route says so, that attempt worked
      if (r.alreadyRefunded && sawUnknown && policy.alreadyRefundedConfirms)
        return (state.event('INSURANCE_REFUND_CONFIRMED', r.message), state.insuranceRefunded(r.msgid, undefined), true);
      if (r.tokenRefused && policy.tokenRefused && !r.alreadyRefunded) {
        await state.setStatus('REFUND_FAILED', policy.tokenRefused(r.message));
        return false;
      }
      await state.setStatus(r.alreadyRefunded ? 'NEEDS_REVIEW' : 'REFUND_FAILED', `INSURANCE_REFUND_REJECTED: ${r.message}`);
      return false;
    }
    sawUnknown = true;
    state.event('INSURANCE_REFUND_UNKNOWN', `${r.msgid || 'no msgid'}: ${r.reason}`);
    if (attempt >= INSURANCE_TRIES) return review(state, `INSURANCE_REFUND_UNKNOWN: ${r.reason}`);
    // the route's recovery before anything else moves money (a reversal, or a query that shows what the call did)
    const rec = await policy.recoverUnknown(state, input, { money: acts, polls, sleep: (ms) => wf.sleep(ms), text }, r);
    if (rec.do === 'refunded') return (state.event('INSURANCE_REFUND_CONFIRMED', rec.detail), state.insuranceRefunded(r.msgid, undefined), true);
    if (rec.do === 'review') return review(state, rec.reason);
  }
}

/**
 * The cash part: the platform refunds it by itself; SE07 only as the remedy. With `remedy` (a person's
 * audited request after CASH_REFUND_NOT_SEEN) SE07 goes out first and the watch starts over from it.
 */
async function cashPart(state: RefundState, input: RefundInput, se07: Acts, polls: Acts, remedy?: RemedyInput): Promise<void> {
  if (!state.cashPart) return state.setStatus('REFUNDED', 'no cash part');
  if (!remedy) await state.setStatus('CASH_REFUNDING');
  const t = input.timing;
  const clock = new HistoryClock(); // from this refund's start: the grace and the deadline count a little early, never late
  const querySe06 = async (): Promise<Answer<RefundResult> & AnsweredAt> => {
    const q = await polls
      .queryRefund({ route: input.route, ecToken: input.ecToken, operator: input.operator })
      .catch((err) => ({ kind: 'unknown', reason: text(err) }) as const);
    state.event(
      q.kind === 'unknown' ? 'POLL_FAILED' : 'POLL_ANSWERED',
      q.kind === 'result' ? `refundStatus ${q.result.refundStatus}` : q.kind === 'unknown' ? q.reason : q.kind,
    );
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
    verify: (r) =>
      r.refundStatus === '1' && fen(r.amount) !== input.cashFen
        ? `CASH_REFUND_AMOUNT_MISMATCH: refunded ${r.amount ?? '?'}, paid ${formatYuan(input.cashFen)}`
        : undefined,
    agree: (a, b) =>
      a.refundStatus !== b.refundStatus || fen(a.amount) !== fen(b.amount)
        ? `PUSH_QUERY_MISMATCH: refundStatus ${a.refundStatus}/${a.amount ?? '-'} vs ${b.refundStatus}/${b.amount ?? '-'}`
        : undefined,
    outcome: (r) => (r.refundStatus === '1' ? 'success' : r.refundStatus === '0' ? 'pending' : 'failure'),
    remedy: remedy
      ? { graceUntil: startedAt, max: 1, onSilence: 'remedy' }
      : { graceUntil: startedAt + t.cashGraceMs, max: 1, onSilence: t.cashSilence ?? 'review' },
  };
  const thirdOrderNo = input.thirdOrderNo!; // state.cashPart checked it
  const first = asked ? ({ do: 'query' } as const) : undefined;
  const final = await watch(
    initialWatch<RefundResult>('accepted'),
    params,
    {
      patched: state.patched,
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
        const r = await se07
          .submitSe07({ route: input.route, ecToken: input.ecToken, thirdOrderNo, operator: input.operator })
          .catch((err) => ({ kind: 'unknown', msgid: '', reason: text(err) }) as const);
        if (r.kind === 'ok') return (state.event('SE07_RECEIVED', r.msgid), { outcome: 'accepted' });
        if (r.kind === 'unknown') return (state.event('SE07_UNKNOWN', r.reason), { outcome: 'unknown' });
        if (r.alreadyRefunded) return (state.event('SE07_ALREADY_SUBMITTED', r.message), { outcome: 'accepted' });
        return { outcome: 'refused', message: r.message };
      },
      step: (s) => state.step(s),
    },
    clock,
    first,
  );
  if (final.do === 'review') return review(state, cashReason(final.reason, t.cashGraceMs)).then(() => undefined);
  if (final.do === 'fail') {
    const next = 'the insurance part is refunded, request the refund again';
    const reason = cashReason(final.reason, t.cashGraceMs);
    return state.setStatus('REFUND_FAILED', reason.includes(next) ? reason : `${reason}; ${next}`);
  }
  state.cashRefunded(final.result.refundNo, formatYuan(input.cashFen));
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
