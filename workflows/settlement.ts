import * as wf from '@temporalio/workflow';
import type { PlatformActivities, PayQueryOutcome, Submit } from '../activities/platform-activities';
import type { ReportActivities } from '../activities/report-activities';
import { ChannelKey, CashAmountKey, EcTokenKey, RouteKey, SettledAtKey, SettlementStatusKey } from '../common/search-attributes';
import { formatYuan, toFen } from '../protocol/money';
import type { PayResult } from '../protocol/pay-result';
import { decideRoute, type Route } from '../protocol/routing';
import type { Settle2207Data } from '../protocol/settlement';
import {
  awaitOutcomeUpdate,
  DEFAULT_TIMING,
  payPushSignal,
  refundProgressSignal,
  refundWorkflowId,
  requestRefundUpdate,
  resolveUpdate,
  statusQuery,
  type RefundRequest,
  type RefundSummary,
  type SettlementEvent,
  type SettlementInput,
  type SettlementTiming,
  type TimingInput,
  type SettlementView,
} from './messages';
import { refund } from './refund';
import { move, type SettlementStatus } from './status';
import { samePayResult, verifyPaidResult } from './verify';
import { sameWuqiPayResult, verifyWuqiPaidResult, wuqiSettlementFacts } from '../protocol/wuqi-verify';


const reporter = wf.proxyLocalActivities<ReportActivities>({ startToCloseTimeout: '5s', retry: { maximumAttempts: 2 } });

const MAX_EVENTS = 300;

export function mergeTiming(t: TimingInput = {}): SettlementTiming {
  return { ...DEFAULT_TIMING, ...t, refund: { ...DEFAULT_TIMING.refund, ...(t.refund ?? {}) } };
}

/**
 * One online settlement, from the e-voucher to a verified final state. Once settled, the order stays
 * open for its refund window so that refunds, late pushes and manual reviews land on it.
 */
export async function settlement(input: SettlementInput): Promise<SettlementView> {
  const timing = mergeTiming(input.timing);
  // Identity look-ups are read-only: retried a few times, then the order fails before any money moved.
  const identity = wf.proxyActivities<PlatformActivities>({
    startToCloseTimeout: timing.queryTimeoutMs,
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 5, nonRetryableErrorTypes: ['InvalidRequestError'] },
  });
  // SE02 is never retried by Temporal: an unknown outcome is resolved by querying SE04 first.
  const submitter = wf.proxyActivities<PlatformActivities>({ startToCloseTimeout: timing.submitTimeoutMs, retry: { maximumAttempts: 1 } });
  // SE04 queries are safe to repeat.
  const queries = wf.proxyActivities<PlatformActivities>({ startToCloseTimeout: timing.queryTimeoutMs, retry: { initialInterval: '1s', maximumAttempts: 3 } });
  const medfeeFen = toFen(input.payRequest.medfee_sumamt);
  const view: SettlementView = {
    orderNo: input.orderNo,
    status: 'PROCESSING',
    medfeeSumamt: formatYuan(medfeeFen),
    step: 'STARTED',
    events: [],
  };
  let ecToken = 'ecToken' in input.identity ? input.identity.ecToken : '';
  let route: Route = 'NATIONAL';
  let reviewKind: 'settlement' | 'refund' | undefined;
  const pushes: PayResult[] = [];
  let refundRequest: RefundRequest | undefined;
  let refundAttempt = 0;

  const now = () => new Date(Date.now()).toISOString();
  const event = (type: string, detail?: string) => {
    view.events.push({ at: now(), type, ...(detail ? { detail } : {}) } satisfies SettlementEvent);
    if (view.events.length > MAX_EVENTS) view.events.splice(0, view.events.length - MAX_EVENTS);
  };
  const details = () =>
    wf.setCurrentDetails(
      [`**${view.status}** · step: ${view.step}`, view.nextPollAt ? `next SE04 poll: ${view.nextPollAt}` : '', view.reason ? `reason: ${view.reason}` : '']
        .filter(Boolean)
        .join('\n\n'),
    );
  const publish = () => {
    wf.upsertSearchAttributes([
      { key: SettlementStatusKey, value: view.status },
      { key: RouteKey, value: route },
      ...(ecToken ? [{ key: EcTokenKey, value: ecToken }] : []),
      ...(view.channel ? [{ key: ChannelKey, value: view.channel }] : []),
      ...(view.settledAt ? [{ key: SettledAtKey, value: new Date(view.settledAt) }] : []),
      ...(view.setlinfo ? [{ key: CashAmountKey, value: toFen(view.setlinfo.psn_cash_pay) / 100 }] : []),
    ]);
    details();
  };
  const setStatus = (to: SettlementStatus, reason?: string) => {
    view.status = move(view.status, to);
    view.reason = reason;
    event(`STATUS_${to}`, reason);
    publish();
  };
  const step = (s: string) => {
    view.step = s;
    details();
  };

  // ---- handlers: registered first, so a push that arrives before we wait is still counted ----
  wf.setHandler(payPushSignal, (r) => {
    if (view.status !== 'PROCESSING') {
      event('LATE_PUSH', `payStatus ${r.payStatus}; status stays ${view.status}`);
      return;
    }
    event('PUSH_RECEIVED', `payStatus ${r.payStatus} channel ${r.channel}`);
    pushes.push(r);
  });
  wf.setHandler(statusQuery, () => view);
  wf.setHandler(awaitOutcomeUpdate, async () => {
    await wf.condition(() => view.status !== 'PROCESSING');
    return view;
  });
  wf.setHandler(
    resolveUpdate,
    (r) => {
      event('RESOLVED', `${r.decision} by ${r.operator}: ${r.note}`);
      view.resolution = { ...r, at: now() };
      reviewKind = undefined;
      setStatus(r.decision, `resolved by ${r.operator}: ${r.note}`);
      return view;
    },
    {
      validator: (r) => {
        if (view.status !== 'NEEDS_REVIEW' || reviewKind !== 'settlement') throw new Error(`only a settlement in NEEDS_REVIEW can be resolved (status is ${view.status})`);
        if (r.decision !== 'PAID' && r.decision !== 'FAILED') throw new Error('decision must be PAID or FAILED');
        if (!r.operator?.trim() || !r.note?.trim()) throw new Error('operator and note are required');
      },
    },
  );
  wf.setHandler(
    requestRefundUpdate,
    (req) => {
      if (view.refund && view.refund.status !== 'REFUND_FAILED') return view.refund; // a repeat gets the existing refund
      refundRequest = req;
      refundAttempt += 1;
      view.refund = { workflowId: refundWorkflowId(input.orderNo), status: 'INSURANCE_REFUNDING' };
      event('REFUND_REQUESTED', `by ${req.operator.opter}${req.reason ? `: ${req.reason}` : ''}`);
      setStatus('REFUNDING');
      return view.refund;
    },
    {
      validator: (_req) => {
        if (view.refund && view.refund.status !== 'REFUND_FAILED') return;
        if (view.status !== 'PAID' && view.status !== 'REFUND_FAILED') throw new Error(`only a PAID settlement can be refunded (status is ${view.status})`);
        if (!view.setlinfo) throw new Error('no settlement details (setl_id) are known for this order; refund it manually');
      },
    },
  );
  wf.setHandler(refundProgressSignal, (s) => {
    view.refund = s;
    if (s.status === 'NEEDS_REVIEW' && view.status === 'REFUNDING') {
      reviewKind = 'refund';
      setStatus('NEEDS_REVIEW', `refund: ${s.reason ?? 'needs review'}`);
    }
  });

  let decidingPushAt: number | undefined;
  const report = () =>
    reporter.reportOutcome({ status: view.status, route, pushReceivedAt: decidingPushAt, finalAt: Date.now() }).catch(() => undefined);

  publish();
  const ended = await settle();
  await report();
  if (!ended) await openForRefunds();
  view.step = 'CLOSED';
  view.nextPollAt = undefined;
  details();
  await wf.condition(wf.allHandlersFinished);
  return view;

  // ---- the settlement itself; returns true when nothing more can happen to the order ----
  async function settle(): Promise<boolean> {
    try {
      if ('ecQrCode' in input.identity) {
        step('SE01');
        const d = await identity.decodeQr({ ...input.identity, operator: input.operator, pName: input.pName, pIdNo: input.pIdNo });
        if (d.kind === 'business') return fail(`SE01_FAILED: ${d.message}`);
        if (d.identityMatches === false) return fail('IDENTITY_MISMATCH: pName/pIdNo do not match the e-voucher');
        ecToken = d.ecToken;
        event('SE01_DECODED');
      }
      view.ecToken = ecToken;
      step('SM01');
      const acc = await identity.queryAccount({ ecToken, operator: input.operator, pName: input.pName });
      if (acc.kind === 'business') return fail(`SM01_FAILED: ${acc.message}`);
      if (acc.nameMatches === false) return fail('IDENTITY_MISMATCH: pName does not match the account');
      let decision;
      try {
        decision = decideRoute(acc.accountattr, { wuqiBill: input.wuqiPayRequest, medType: input.payRequest.med_type });
      } catch (err) {
        return fail(`ACCOUNTATTR_INVALID: ${(err as Error).message}`);
      }
      route = decision.route;
      view.route = route;
      event('ROUTED', `${route}: ${decision.reason}`);
      publish();
      if (route === 'WUQI' && !input.wuqiPayRequest) return fail('ROUTE_WUQI_NO_PAYREQUEST');
    } catch (err) {
      return fail(`IDENTITY_UNAVAILABLE: ${failureText(err)}`);
    }

    const tokenSince = Date.now();
    let outcome = await submit(false);
    if (outcome === 'failed') return true;
    let submitUnknown = outcome === 'unknown';
    let resubmits = 0;
    let notFoundRun = 0;
    let candidate: PayResult | undefined;
    let pollIdx = 0;
    const deadline = Date.now() + timing.deadlineMs;

    while (view.status === 'PROCESSING') {
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        setStatus('NEEDS_REVIEW', submitUnknown ? 'SE02_OUTCOME_UNKNOWN: no result by the deadline' : 'NO_FINAL_RESULT: no result by the deadline');
        reviewKind = 'settlement';
        break;
      }
      const wait = Math.min(timing.pollScheduleMs[pollIdx] ?? timing.pollEveryMs, remaining);
      view.nextPollAt = new Date(Date.now() + wait).toISOString();
      step('WAITING');
      const pushed = await wf.condition(() => pushes.length > 0, wait);
      view.nextPollAt = undefined;
      if (pushed) {
        const p = pushes.shift()!;
        const bad = verifyResult(p);
        if (bad) {
          review(`push: ${bad}`);
          break;
        }
        if (!timing.confirmPush) {
          decidingPushAt = p.receivedAt;
          view.decidingPushReceivedAt = p.receivedAt;
          finish(p);
          break;
        }
        step('CONFIRMING');
        const q = await query();
        if (q.kind === 'result') {
          judge(q.result, p);
        } else {
          candidate = p;
          event('CONFIRM_PENDING', q.kind === 'unknown' ? q.reason : q.kind);
        }
        continue;
      }
      pollIdx += 1;
      step('POLLING');
      const q = await query();
      if (q.kind === 'result') {
        judge(q.result, candidate);
        continue;
      }
      if (q.kind !== 'notFound') {
        notFoundRun = 0;
        continue;
      }
      notFoundRun += 1;
      const tokenValid = Date.now() - tokenSince < timing.tokenValidMs;
      if (submitUnknown && notFoundRun >= timing.notFoundBeforeResubmit && resubmits < timing.maxResubmits && tokenValid) {
        resubmits += 1;
        event('SE02_RESUBMIT', `platform has no order after ${notFoundRun} queries`);
        outcome = await submit(true);
        if (outcome === 'accepted') submitUnknown = false;
        notFoundRun = 0;
        pollIdx = 0;
      }
    }
    // Pushes still queued when the order was decided are duplicates: recorded, nothing more.
    for (const extra of pushes.splice(0)) event('DUPLICATE_PUSH', `payStatus ${extra.payStatus}; status stays ${view.status}`);
    return view.status === 'FAILED';
  }

  /** A result (from a poll, or confirming a push) decides the order. */
  function judge(result: PayResult, push?: PayResult) {
    const bad = verifyResult(result);
    if (bad) return review(`query: ${bad}`);
    if (push) {
      const mismatch = route === 'WUQI' ? sameWuqiPayResult(push, result) : samePayResult(push, result);
      if (mismatch) return review(mismatch);
    }
    decidingPushAt = push?.receivedAt;
    view.decidingPushReceivedAt = push?.receivedAt;
    finish(push ?? result);
  }

  /** 五期 results are read against the bill's own output table (protocol/wuqi-verify.ts). */
  function verifyResult(r: PayResult): string | undefined {
    return route === 'WUQI' && input.wuqiPayRequest ? verifyWuqiPaidResult({ ecToken, bill: input.wuqiPayRequest }, r) : verifyPaidResult({ ecToken, medfeeFen }, r);
  }

  function finish(r: PayResult) {
    view.channel = r.channel;
    view.thirdOrderNo = r.thirdOrderNo;
    view.tradeNo = r.tradeNo;
    view.amount = r.amount;
    view.billTime = r.billTime;
    view.gmt = r.gmt;
    if (r.payStatus === '1') {
      view.setlinfo = r.setlinfo;
      view.setldetail = r.setldetail;
      if (r.wuqi) view.wuqi = wuqiSettlementFacts(r.wuqi);
      view.settledAt = now();
      setStatus('PAID', `by ${r.source}`);
    } else {
      setStatus('FAILED', `PAY_FAILED: ${r.failureText ?? 'payStatus -1'}`);
    }
  }

  function review(reason: string) {
    reviewKind = 'settlement';
    setStatus('NEEDS_REVIEW', reason);
  }

  function fail(reason: string): true {
    setStatus('FAILED', reason);
    return true;
  }

  async function submit(isResubmit: boolean): Promise<'accepted' | 'unknown' | 'failed'> {
    step('SE02');
    const payRequest: Settle2207Data = { ...input.payRequest, mdtrt_cert_type: '01', mdtrt_cert_no: ecToken };
    let r: Submit;
    try {
      r = await submitter.submitSe02({ route, orderNo: input.orderNo, ecToken, operator: input.operator, payRequest, wuqiPayRequest: input.wuqiPayRequest, pName: input.pName, pIdNo: input.pIdNo });
    } catch (err) {
      if (failureType(err) === 'InvalidRequestError') {
        fail(`SE02_INVALID: ${failureText(err)}`);
        return 'failed';
      }
      event('SE02_UNKNOWN', failureText(err));
      return 'unknown';
    }
    view.se02Msgid = r.msgid;
    if (r.kind === 'ok') {
      event('SE02_RECEIVED', r.msgid);
      return 'accepted';
    }
    if (r.kind === 'unknown') {
      event('SE02_UNKNOWN', r.reason);
      return 'unknown';
    }
    // A refusal of a resubmission proves nothing about the first SE02: keep polling.
    if (isResubmit) {
      event('SE02_RESUBMIT_REFUSED', r.message);
      return 'unknown';
    }
    fail(`SE02_REJECTED: ${r.message}`);
    return 'failed';
  }

  async function query(): Promise<PayQueryOutcome> {
    try {
      const q = await queries.queryPayResult({ route, ecToken, operator: input.operator });
      event('POLL_ANSWERED', q.kind === 'result' ? `payStatus ${q.result.payStatus}` : q.kind === 'unknown' ? `unknown: ${q.reason}` : q.kind);
      return q;
    } catch (err) {
      event('POLL_FAILED', failureText(err));
      return { kind: 'unknown', reason: failureText(err) };
    }
  }

  // ---- after the settlement: refunds and reviews until the refund window closes ----
  async function openForRefunds(): Promise<void> {
    const closeAt = Date.now() + timing.refundWindowMs;
    for (;;) {
      step(view.status === 'NEEDS_REVIEW' ? 'AWAITING_REVIEW' : 'OPEN_FOR_REFUND');
      const remaining = closeAt - Date.now();
      if (remaining <= 0) return;
      const settlementReview = view.status === 'NEEDS_REVIEW' && reviewKind === 'settlement';
      const woke = await wf.condition(() => (settlementReview ? view.status !== 'NEEDS_REVIEW' : refundRequest !== undefined), remaining);
      if (!woke) return;
      if (settlementReview) {
        decidingPushAt = undefined;
        await report();
      }
      if (view.status === 'FAILED' || view.status === 'REFUNDED') return;
      if (refundRequest) {
        const req = refundRequest;
        refundRequest = undefined;
        await runRefund(req);
        decidingPushAt = undefined;
        await report();
        if ((view.status as SettlementStatus) === 'REFUNDED') return;
      }
    }
  }

  async function runRefund(req: RefundRequest): Promise<void> {
    const s = view.setlinfo!;
    step('REFUNDING');
    let result;
    try {
      result = await wf.executeChild(refund, {
        workflowId: refundWorkflowId(input.orderNo),
        args: [
          {
            orderNo: input.orderNo,
            route,
            ecToken,
            operator: req.operator,
            setlId: s.setl_id,
            mdtrtId: s.mdtrt_id,
            psnNo: s.psn_no,
            cashFen: toFen(s.psn_cash_pay),
            channel: view.channel ?? 'ybpay',
            thirdOrderNo: view.thirdOrderNo,
            insuranceAlreadyRefunded: view.refund?.insuranceRefundedAt !== undefined && refundAttempt > 1,
            timing: { submitTimeoutMs: timing.submitTimeoutMs, queryTimeoutMs: timing.queryTimeoutMs, ...timing.refund },
          },
        ],
        typedSearchAttributes: [{ key: SettlementStatusKey, value: 'REFUNDING' }],
      });
    } catch (err) {
      const summary: RefundSummary = { ...(view.refund ?? { workflowId: refundWorkflowId(input.orderNo) }), status: 'REFUND_FAILED', reason: `REFUND_WORKFLOW_FAILED: ${failureText(err)}` };
      view.refund = summary;
      if (view.status === 'NEEDS_REVIEW') reviewKind = undefined;
      setStatus('REFUND_FAILED', summary.reason);
      return;
    }
    view.refund = {
      workflowId: refundWorkflowId(input.orderNo),
      status: result.status,
      reason: result.reason,
      cashRefundNo: result.cashRefundNo,
      cashAmount: result.cashAmount,
      insuranceRefundedAt: result.insuranceRefundedAt,
      refundedAt: result.refundedAt,
    };
    reviewKind = undefined;
    setStatus(result.status === 'REFUNDED' ? 'REFUNDED' : 'REFUND_FAILED', result.reason);
  }
}

function failureText(err: unknown): string {
  const e = err as { message?: string; cause?: { message?: string } };
  return [e.message, e.cause?.message].filter(Boolean).join(': ').slice(0, 300);
}

function failureType(err: unknown): string | undefined {
  const e = err as { cause?: { type?: string } };
  return e.cause?.type;
}
