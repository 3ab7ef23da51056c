import * as wf from '@temporalio/workflow';
import type { AccountAnswer, AnsweredAt, PayQueryOutcome, PersonInfoAnswer, PlatformActivities, QrIdentityAnswer } from '../activities/contract';
import type { ReportActivities } from '../activities/report-activities';
import { CashAmountKey, ChannelKey, EcTokenKey, RouteKey, SettledAtKey, SettlementStatusKey } from '../common/search-attributes';
import type { PayResult } from '../protocol/pay-result';
import { insuplcAdmdvsPlan } from '../protocol/person-info';
import { decideRoute } from '../protocol/routing';
import { DEFAULT_ROUTE, foreignResult, paidIdOf, refundTargetOf, routeFactsOf, routeOf, submitParts } from '../routes';
import type { Settle2207Data } from '../protocol/settlement';
import { HistoryClock } from './clock';
import { initialWatch, type Answer, type WatchParams } from './decide';
import {
  DEFAULT_TIMING,
  freshVoucherOf,
  refundWorkflowId,
  type RefundInput,
  type RefundRequest,
  type SettlementInput,
  type SettlementTiming,
  type TimingInput,
} from './messages';
import type { OrderState, Publisher } from './order-state';
import { refund, refundSteps } from './refund';
import type { Patched } from './patches';
import { STATUS_MEMO_KEY, STATUS_MEMO_PATCH } from './status-memo';
import { watch } from './watch';

// The settlement's steps, each a short function over the OrderState. The workflow (settlement.ts)
// calls them in order.

export function mergeTiming(t: TimingInput = {}): SettlementTiming {
  return { ...DEFAULT_TIMING, ...t, refund: { ...DEFAULT_TIMING.refund, ...(t.refund ?? {}) } };
}

/**
 * Read-only calls (SE01, SM01, 1101, SE04, claims) run as local activities: no activity task round
 * trip, retried when the platform cannot answer. Money-moving SE02 stays an ordinary activity that
 * Temporal never retries: an unknown outcome is resolved by SE04 first.
 */
export function platform(t: SettlementTiming) {
  return {
    reads: wf.proxyLocalActivities<PlatformActivities>({
      startToCloseTimeout: t.queryTimeoutMs,
      retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 5, nonRetryableErrorTypes: ['InvalidRequestError'] },
    }),
    polls: wf.proxyLocalActivities<PlatformActivities>({ startToCloseTimeout: t.queryTimeoutMs, retry: { initialInterval: '1s', maximumAttempts: 3 } }),
    // identifyByQr sends SE01, SM01 and 1101 in one go: room for all three, so it is not cut short and
    // retried (a retry would decode the QR code again)
    identity: wf.proxyLocalActivities<PlatformActivities>({
      startToCloseTimeout: 3 * t.queryTimeoutMs,
      retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 5, nonRetryableErrorTypes: ['InvalidRequestError'] },
    }),
    money: wf.proxyActivities<PlatformActivities>({ startToCloseTimeout: t.submitTimeoutMs, retry: { maximumAttempts: 1 } }),
    report: wf.proxyLocalActivities<ReportActivities>({ startToCloseTimeout: '5s', retry: { maximumAttempts: 2 } }),
  };
}
export type Platform = ReturnType<typeof platform>;

export const temporalPublisher = (patched: Patched): Publisher => ({
  attributes: (a) =>
    wf.upsertSearchAttributes([
      { key: SettlementStatusKey, value: a.status },
      ...(a.route ? [{ key: RouteKey, value: a.route }] : []),
      ...(a.ecToken ? [{ key: EcTokenKey, value: a.ecToken }] : []),
      ...(a.channel ? [{ key: ChannelKey, value: a.channel }] : []),
      ...(a.settledAt ? [{ key: SettledAtKey, value: new Date(a.settledAt) }] : []),
      ...(a.cashYuan !== undefined ? [{ key: CashAmountKey, value: a.cashYuan }] : []),
    ]),
  details: (text) => wf.setCurrentDetails(text),
  // a history event per status change, like the attributes; earlier histories replay without it
  memo: (m) => {
    if (patched(STATUS_MEMO_PATCH)) wf.upsertMemo({ [STATUS_MEMO_KEY]: m });
  },
});

/**
 * Patch: a QR code is decoded by identifyByQr (SE01 → SM01 → 1101 with SE01's identity, in one activity),
 * a 异地 person gets no 1101 and needs the HIS's insuplcAdmdvs, and the view says where insuplc_admdvs came
 * from. Histories without it replay the former calls (decodeQr, queryAccount, queryPersonInfo).
 */
export const PERSON_INFO_PATCH = 'insuplc-admdvs-from-se01';

/** SE01 (QR code) and its ecToken claim, SM01 and the route, 1101 for the header: false when the order failed. */
export async function identify(order: OrderState, input: SettlementInput, p: Platform): Promise<boolean> {
  try {
    const v2 = wf.patched(PERSON_INFO_PATCH);
    let ecToken = 'ecToken' in input.identity ? input.identity.ecToken : '';
    let fromQr: { account?: AccountAnswer; person?: PersonInfoAnswer } = {};
    if ('ecQrCode' in input.identity) {
      order.step('SE01');
      const who = { ...input.identity, operator: input.operator, pName: input.pName, pIdNo: input.pIdNo, terminal: input.terminal };
      const routeFacts = routeFactsOf(input);
      const d: QrIdentityAnswer = v2 ? await p.identity.identifyByQr({ ...who, routeFacts, insuplcAdmdvs: input.insuplcAdmdvs }) : await p.reads.decodeQr(who);
      if (d.kind === 'business') return failed(order, `SE01_FAILED: ${d.message}`);
      if (d.identityMatches === false) return failed(order, 'IDENTITY_MISMATCH: pName/pIdNo do not match the e-voucher');
      ecToken = d.ecToken;
      fromQr = { account: d.account, person: d.person };
      order.event('SE01_DECODED');
      // the API claims ecTokens it is given; one decoded here is claimed now (one order per ecToken)
      const { owner } = await p.reads.claim({ key: `ectoken:${ecToken}`, orderNo: input.orderNo });
      if (owner !== input.orderNo) return failed(order, `ECTOKEN_IN_USE: the e-voucher already belongs to order ${owner}`);
    }
    order.learn({ ecToken });
    order.step('SM01');
    // asked here unless identifyByQr had its answer (absent when SM01's outcome was unknown there)
    const acc = fromQr.account ?? (await p.reads.queryAccount({ ecToken, operator: input.operator, pName: input.pName }));
    if (acc.kind === 'business') return failed(order, `SM01_FAILED: ${acc.message}`);
    if (acc.nameMatches === false) return failed(order, 'IDENTITY_MISMATCH: pName does not match the account');
    let route;
    try {
      route = decideRoute(acc.accountattr, routeFactsOf(input));
    } catch (err) {
      return failed(order, `ACCOUNTATTR_INVALID: ${(err as Error).message}`);
    }
    order.learn({ route: route.route });
    order.event('ROUTED', `${route.route}: ${route.reason}`);
    const rules = routeOf(route.route);
    const refusal = rules.inputRefusal(input);
    if (refusal) return failed(order, refusal);
    if (!rules.needsPersonInfo) return true;
    if (!v2) return (await legacyPersonInfo(order, input, ecToken, p), true);
    return await personInfo(order, input, ecToken, p, { accountattr: acc.accountattr, person: fromQr.person });
  } catch (err) {
    return failed(order, `IDENTITY_UNAVAILABLE: ${failureText(err)}`);
  }
}

/**
 * insuplc_admdvs for the platform's headers (表3 #4: required when the input carries a psn_no,
 * "可通过【1101】人员信息获取交易取得"), by protocol/person-info.ts insuplcAdmdvsPlan:
 *  - the HIS's insuplcAdmdvs (source `his`);
 *  - a 异地 person without one: FAILED INSUPLC_ADMDVS_REQUIRED before SE02 (no 1101 for 异地人员, Shanghai
 *    guide §4.3.2, and Shanghai's area would be wrong for them);
 *  - else 1101 (source `1101`): identifyByQr's answer with SE01's identity, or here with the HIS's
 *    pName/pIdNo; when 1101 cannot tell, the configured default (source `default`, PERSON_INFO_DEFAULT).
 */
async function personInfo(
  order: OrderState,
  input: SettlementInput,
  ecToken: string,
  p: Platform,
  known: { accountattr: string; person?: PersonInfoAnswer },
): Promise<boolean> {
  order.learn({ psnNo: input.payRequest.psn_no });
  const plan = insuplcAdmdvsPlan(known.accountattr, input.insuplcAdmdvs);
  if (plan.kind === 'required') return failed(order, plan.refusal);
  if (plan.kind === 'his') {
    order.learn({ insuplcAdmdvs: input.insuplcAdmdvs, insuplcAdmdvsSource: 'his' });
    return true;
  }
  let info = known.person;
  if (!info) {
    order.step('1101');
    info = await p.reads
      .queryPersonInfo({ ecToken, operator: input.operator, pName: input.pName, pIdNo: input.pIdNo })
      .catch((err) => ({ kind: 'unknown' as const, reason: failureText(err) }));
  }
  if (info.kind === 'ok') {
    order.learn({ psnNo: info.psnNo, insuplcAdmdvs: info.insuplcAdmdvs, insuplcAdmdvsSource: '1101' });
    order.event('PERSON_INFO', `insuplc_admdvs ${info.insuplcAdmdvs} (1101${known.person ? ", with SE01's identity" : ''})`);
    return true;
  }
  order.learn({ insuplcAdmdvs: input.defaultInsuplcAdmdvs, insuplcAdmdvsSource: 'default' });
  const v = order.view;
  const why = info.kind === 'business' ? `refused or not sent: ${info.message}` : `no answer: ${info.reason}`;
  order.event(
    'PERSON_INFO_DEFAULT',
    `1101 ${why}; insuplc_admdvs ${v.insuplcAdmdvs ?? 'absent'} is the configured default (MDTRTAREA_ADMVS), not the person's own`,
  );
  return true;
}

/** Before PERSON_INFO_PATCH: 1101 for the header's insuplc_admdvs (表3 #4); the configured default when it cannot tell. */
async function legacyPersonInfo(order: OrderState, input: SettlementInput, ecToken: string, p: Platform): Promise<void> {
  order.learn({ psnNo: input.payRequest.psn_no });
  if (input.insuplcAdmdvs) {
    order.learn({ insuplcAdmdvs: input.insuplcAdmdvs });
    return;
  }
  order.step('1101');
  const info = await p.reads
    .queryPersonInfo({ ecToken, operator: input.operator, pName: input.pName, pIdNo: input.pIdNo })
    .catch((err) => ({ kind: 'unknown' as const, reason: failureText(err) }));
  if (info.kind === 'ok') {
    order.learn({ psnNo: info.psnNo, insuplcAdmdvs: info.insuplcAdmdvs });
    order.event('PERSON_INFO', `insuplc_admdvs ${info.insuplcAdmdvs}`);
    return;
  }
  order.learn({ insuplcAdmdvs: input.defaultInsuplcAdmdvs });
  order.event(
    'PERSON_INFO_DEFAULT',
    `1101 ${info.kind === 'business' ? info.message : info.reason}; insuplc_admdvs ${order.view.insuplcAdmdvs ?? 'absent'} (configured default)`,
  );
}

/** One SE02. 'failed' when the platform refused it (nothing moved); 'unknown' when we cannot tell. */
export async function submit(order: OrderState, input: SettlementInput, p: Platform, resubmit = false): Promise<'accepted' | 'unknown' | 'refused' | 'failed'> {
  order.step('SE02');
  const v = order.view;
  const payRequest: Settle2207Data = { ...input.payRequest, psn_no: v.psnNo ?? input.payRequest.psn_no, mdtrt_cert_type: '01', mdtrt_cert_no: v.ecToken! };
  const base = {
    route: v.route!,
    orderNo: input.orderNo,
    ecToken: v.ecToken!,
    operator: input.operator,
    payRequest,
    ...submitParts(input),
    insuplcAdmdvs: v.insuplcAdmdvs,
  };
  const r = await p.money.submitSe02({ ...base, pName: input.pName, pIdNo: input.pIdNo }).catch((err) => {
    if (failureType(err) === 'InvalidRequestError') return { kind: 'invalid' as const, reason: failureText(err) };
    return { kind: 'unknown' as const, msgid: '', reason: failureText(err) };
  });
  if (r.kind === 'invalid') return failed(order, `SE02_INVALID: ${r.reason}`) || 'failed';
  if (r.msgid) order.learn({ se02Msgid: r.msgid });
  if (r.kind === 'ok') return (order.event('SE02_RECEIVED', r.msgid), 'accepted');
  if (r.kind === 'unknown') return (order.event('SE02_UNKNOWN', r.reason), 'unknown');
  // A refusal of a resubmission proves nothing about the first SE02: keep polling.
  if (resubmit) return (order.event('SE02_RESUBMIT_REFUSED', r.message), 'refused');
  return failed(order, `SE02_REJECTED: ${r.message}`) || 'failed';
}

/** SE03 pushes and SE04 polls until a verified result, FAILED SE02_NOT_RECEIVED, or review. */
export async function awaitResult(
  order: OrderState,
  input: SettlementInput,
  t: SettlementTiming,
  p: Platform,
  submitted: 'accepted' | 'unknown',
): Promise<void> {
  const v = order.view;
  const clock = new HistoryClock(); // from the workflow's start: a deadline counted a little early, never late
  const startedAt = clock.now();
  const tokenValidUntil = startedAt + t.tokenValidMs;
  // the route's checks: a paid result adds up (routes/<route>/), a push agrees with SE04; a route whose checks
  // changed reads its patch here, at this point of the history as before
  const checks = routeOf(v.route!).payChecks({ ecToken: v.ecToken!, medfeeFen: order.medfeeFen, input, patched: order.patched });
  const params: WatchParams<PayResult> = {
    confirmPush: t.confirmPush,
    deadlineAt: startedAt + t.deadlineMs,
    verify: (r) => foreignResult(input, r.thirdOrderNo) ?? checks.verify(r),
    agree: checks.agree,
    outcome: (r) => (r.payStatus === '1' ? 'success' : 'failure'),
    resubmit: { notFoundBefore: t.notFoundBeforeResubmit, max: t.maxResubmits, tokenValidUntil },
    giveUp: {
      at: tokenValidUntil + t.notReceivedGraceMs,
      reason: 'SE02_NOT_RECEIVED: the platform never showed this order, and the e-voucher can no longer settle',
    },
  };
  const final = await watch(
    initialWatch<PayResult>(submitted),
    params,
    {
      patched: order.patched,
      schedule: t.pollScheduleMs,
      every: t.pollEveryMs,
      nextPush: () => {
        const push = order.pushes.shift();
        const defect = push && params.verify(push);
        if (defect) order.event('PUSH_REJECTED', `${defect}; asking SE04`);
        return push;
      },
      hasPush: () => order.pushes.length > 0,
      query: () => query(order, input, p),
      send: async (why) => {
        order.event('SE02_RESUBMIT', why);
        const r = await submit(order, input, p, true);
        return { outcome: r === 'accepted' ? 'accepted' : r === 'refused' ? 'refused' : 'unknown' };
      },
      step: (s, at) => order.step(s, at),
    },
    clock,
  );
  if (final.do === 'review') order.markReview('settlement', final.reason);
  else if (final.do === 'fail') order.fail(final.reason);
  else if (final.result.payStatus === '1' && !(await ownsSettlement(order, final.result, p))) return;
  else order.finish(final.result, final.by);
  for (const extra of order.pushes.splice(0)) order.event('DUPLICATE_PUSH', `payStatus ${extra.payStatus}; status stays ${order.status}`);
}

/** A settlement id already held by another order is never applied (the route's claim key, routes/<route>/ paidId). */
async function ownsSettlement(order: OrderState, r: PayResult, p: Platform): Promise<boolean> {
  const { setlId, claimKey: key } = paidIdOf(r)!;
  let owner: string;
  try {
    ({ owner } = await p.reads.claim({ key, orderNo: order.view.orderNo }));
  } catch (err) {
    // ownership cannot be proven: never PAID unverified
    order.markReview('settlement', `SETL_CLAIM_UNAVAILABLE: setl_id ${setlId}: ${failureText(err)}`);
    return false;
  }
  if (owner === order.view.orderNo) return true;
  order.event('RESULT_NOT_OURS', `setl_id ${setlId} belongs to order ${owner}`);
  order.markReview('settlement', `SETL_ID_HELD_BY_OTHER_ORDER: setl_id ${setlId} belongs to order ${owner}`);
  return false;
}

async function query(order: OrderState, input: SettlementInput, p: Platform): Promise<Answer<PayResult> & AnsweredAt> {
  const v = order.view;
  const q: PayQueryOutcome = await p.polls
    .queryPayResult({ route: v.route!, ecToken: v.ecToken!, operator: input.operator })
    .catch((err) => ({ kind: 'unknown', reason: failureText(err) }) as const);
  order.onPollAnswer(q.kind === 'result' ? `payStatus ${q.result.payStatus}` : q.kind === 'unknown' ? `unknown: ${q.reason}` : q.kind, q.kind === 'unknown');
  return q.kind === 'notFound' ? { kind: 'notFound', at: q.at } : q;
}

/** After the settlement: refunds, late results and reviews, until the refund window closes. */
export async function serveRefunds(order: OrderState, input: SettlementInput, t: SettlementTiming, p: Platform): Promise<void> {
  // The window is counted on the history clock (workflows/clock.ts), like every other time we decide on.
  const clock = new HistoryClock();
  const closeAt = clock.now() + t.refundWindowMs;
  for (;;) {
    order.step(order.status === 'NEEDS_REVIEW' ? 'AWAITING_REVIEW' : 'OPEN_FOR_REFUND');
    const before = order.status;
    const from = clock.now();
    const ms = Math.max(closeAt - from, 1);
    const woke = await wf.condition(() => order.pendingRefund !== undefined || order.status !== before, ms);
    // Woken by a refund or a status change: the clock stays, so the window can only end later, never earlier.
    if (!woke) return clock.fired(from, ms);
    if (order.pendingRefund) {
      const req = order.pendingRefund;
      order.pendingRefund = undefined;
      await runRefund(order, input, t, req);
    }
    await report(order, p);
    if (order.status === 'REFUNDED' || (order.status === 'FAILED' && !lateResultsPossible(order))) return;
  }
}

/** An order FAILED without a platform answer may still see its money taken: it stays open for late results. */
export function lateResultsPossible(order: OrderState): boolean {
  return order.status === 'FAILED' && (order.view.reason ?? '').startsWith('SE02_NOT_RECEIVED');
}

async function runRefund(order: OrderState, input: SettlementInput, t: SettlementTiming, req: RefundRequest): Promise<void> {
  const v = order.view;
  order.step('REFUNDING');
  // the insurance part's target and the cash part, as the route reads its settlement (routes/<route>/ refundTarget)
  const target = refundTargetOf(v, input)!;
  // a fresh e-voucher (after a refused token) goes to the refund only when given: earlier histories keep their input
  const fresh = freshVoucherOf(req);
  const refundInput: RefundInput = {
    orderNo: input.orderNo,
    route: v.route!,
    ecToken: v.ecToken!,
    operator: req.operator,
    ...target,
    ...(fresh ? { freshVoucher: fresh, payerCardMask: order.payerCardMask } : {}),
    insuplcAdmdvs: v.insuplcAdmdvs,
    channel: v.channel ?? 'ybpay',
    thirdOrderNo: v.thirdOrderNo,
    insuranceRefundedAt: v.refund?.insuranceRefundedAt,
    insuranceOutput: v.refund?.insuranceOutput,
    insuranceMsgid: v.refund?.insuranceMsgid,
    timing: { submitTimeoutMs: t.submitTimeoutMs, queryTimeoutMs: t.queryTimeoutMs, ...t.refund },
  };
  // one refund model (patch one-refund-model): the refund's state is the order's, its steps run here
  if (order.refundsHere) return refundSteps(order.startRefund(refundInput), refundInput);
  try {
    const result = await wf.executeChild(refund, {
      workflowId: refundWorkflowId(input.orderNo),
      args: [refundInput],
      typedSearchAttributes: [{ key: SettlementStatusKey, value: 'REFUNDING' }],
    });
    // A new refund request can arrive between this child's last progress signal (REFUND_FAILED, already
    // mirrored) and its completion: applying the stale result then would turn the new request's REFUNDING
    // back into REFUND_FAILED, and the new refund's result would never show. Patched: older histories replay as they ran.
    if (order.pendingRefund && order.patched('stale-refund-result')) return;
    const { events: _e, step: _s, orderNo: _o, ...summary } = result;
    order.onRefundProgress({ ...summary, workflowId: refundWorkflowId(input.orderNo) });
  } catch (err) {
    order.onRefundProgress({
      ...(v.refund ?? { workflowId: refundWorkflowId(input.orderNo) }),
      status: 'REFUND_FAILED',
      reason: `REFUND_WORKFLOW_FAILED: ${failureText(err)}`,
    });
  }
}

export async function report(order: OrderState, p: Platform): Promise<void> {
  const at = order.decidingPushAt;
  order.decidingPushAt = undefined;
  await p.report
    .reportOutcome({ status: order.status, route: order.view.route ?? DEFAULT_ROUTE, pushReceivedAt: at, finalAt: Date.now() })
    .catch(() => undefined);
}

function failed(order: OrderState, reason: string): false {
  order.fail(reason);
  return false;
}

export function failureText(err: unknown): string {
  const e = err as { message?: string; cause?: { message?: string } };
  return [e.message, e.cause?.message].filter(Boolean).join(': ').slice(0, 300);
}

function failureType(err: unknown): string | undefined {
  return (err as { cause?: { type?: string } }).cause?.type;
}
