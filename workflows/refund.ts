import * as wf from '@temporalio/workflow';
import type { PlatformActivities, RefundQueryOutcome } from '../activities/platform-activities';
import { SettlementStatusKey } from '../common/search-attributes';
import { formatYuan, toFen } from '../protocol/money';
import type { RefundResult } from '../protocol/pay-result';
import {
  refundProgressSignal,
  refundPushSignal,
  refundStatusQuery,
  resolveRefundUpdate,
  type RefundInput,
  type RefundSummary,
  type RefundView,
} from './messages';
import { moveRefund, type RefundStatus } from './status';


const INSURANCE_TRIES = 3;

/** Refund of a PAID settlement: the insurance part (2208) first, then the cash part (SE07 → SE05/SE06). */
export async function refund(input: RefundInput): Promise<RefundView> {
  // 2208 and SE07 are submits: one HTTP request per attempt; the workflow decides about retries.
  const submitter = wf.proxyActivities<PlatformActivities>({ startToCloseTimeout: input.timing.submitTimeoutMs ?? 90_000, retry: { maximumAttempts: 1 } });
  const queries = wf.proxyActivities<PlatformActivities>({ startToCloseTimeout: input.timing.queryTimeoutMs ?? 30_000, retry: { initialInterval: '1s', maximumAttempts: 3 } });
  const view: RefundView = { orderNo: input.orderNo, status: 'INSURANCE_REFUNDING', step: 'STARTED', events: [] };
  const pushes: RefundResult[] = [];
  const now = () => new Date(Date.now()).toISOString();
  const event = (type: string, detail?: string) => view.events.push({ at: now(), type, ...(detail ? { detail } : {}) });
  const parent = wf.workflowInfo().parent;

  const summary = (): RefundSummary => ({
    workflowId: wf.workflowInfo().workflowId,
    status: view.status,
    reason: view.reason,
    cashRefundNo: view.cashRefundNo,
    cashAmount: view.cashAmount,
    insuranceRefundedAt: view.insuranceRefundedAt,
    refundedAt: view.refundedAt,
  });
  const setStatus = async (to: RefundStatus, reason?: string) => {
    view.status = moveRefund(view.status, to);
    view.reason = reason;
    event(`STATUS_${to}`, reason);
    wf.upsertSearchAttributes([{ key: SettlementStatusKey, value: to === 'REFUNDED' || to === 'REFUND_FAILED' || to === 'NEEDS_REVIEW' ? to : 'REFUNDING' }]);
    wf.setCurrentDetails(`**${view.status}** · step: ${view.step}${view.reason ? `\n\nreason: ${view.reason}` : ''}`);
    if (parent) await wf.getExternalWorkflowHandle(parent.workflowId, parent.runId).signal(refundProgressSignal, summary());
  };

  wf.setHandler(refundPushSignal, (r) => {
    if (view.status !== 'CASH_REFUNDING') {
      event('LATE_PUSH', `refundStatus ${r.refundStatus}; status stays ${view.status}`);
      return;
    }
    event('PUSH_RECEIVED', `refundStatus ${r.refundStatus}`);
    pushes.push(r);
  });
  wf.setHandler(refundStatusQuery, () => view);
  wf.setHandler(
    resolveRefundUpdate,
    async (r) => {
      event('RESOLVED', `${r.decision} by ${r.operator}: ${r.note}`);
      if (r.decision === 'REFUNDED') view.refundedAt = now();
      await setStatus(r.decision, `resolved by ${r.operator}: ${r.note}`);
      return view;
    },
    {
      validator: (r) => {
        if (view.status !== 'NEEDS_REVIEW') throw new Error(`only a refund in NEEDS_REVIEW can be resolved (status is ${view.status})`);
        if (r.decision !== 'REFUNDED' && r.decision !== 'REFUND_FAILED') throw new Error('decision must be REFUNDED or REFUND_FAILED');
        if (!r.operator?.trim() || !r.note?.trim()) throw new Error('operator and note are required');
      },
    },
  );

  await run();
  if (view.status === 'NEEDS_REVIEW') {
    view.step = 'AWAITING_REVIEW';
    await wf.condition(() => view.status !== 'NEEDS_REVIEW');
  }
  view.step = 'DONE';
  // the resolve Update (which signals the parent) must finish before the workflow does
  await wf.condition(wf.allHandlersFinished);
  return view;

  async function run(): Promise<void> {
    // 1. the insurance part
    if (input.insuranceAlreadyRefunded) {
      event('INSURANCE_ALREADY_REFUNDED', 'by an earlier attempt');
    } else {
      view.step = '2208';
      let sawUnknown = false;
      for (let attempt = 1; ; attempt++) {
        let r;
        try {
          r = await submitter.refundInsurance({ route: input.route, orderNo: input.orderNo, ecToken: input.ecToken, setlId: input.setlId, mdtrtId: input.mdtrtId, psnNo: input.psnNo, insuplcAdmdvs: input.insuplcAdmdvs, operator: input.operator });
        } catch (err) {
          r = { kind: 'unknown' as const, reason: (err as Error).message };
        }
        if (r.kind === 'ok') break;
        if (r.kind === 'business') {
          // "already refunded" after an attempt we could not see the end of: that attempt worked.
          if (r.alreadyRefunded && sawUnknown) {
            event('INSURANCE_REFUND_CONFIRMED', r.message);
            break;
          }
          return setStatus(r.alreadyRefunded ? 'NEEDS_REVIEW' : 'REFUND_FAILED', `INSURANCE_REFUND_REJECTED: ${r.message}`);
        }
        sawUnknown = true;
        event('INSURANCE_REFUND_UNKNOWN', r.reason);
        if (attempt >= INSURANCE_TRIES) return setStatus('NEEDS_REVIEW', `INSURANCE_REFUND_UNKNOWN: ${r.reason}`);
        await wf.sleep(2_000 * attempt);
      }
      view.insuranceRefundedAt = now();
      event('INSURANCE_REFUNDED');
    }
    if (input.cashFen === 0 || input.channel === 'ybpay' || !input.thirdOrderNo) {
      view.refundedAt = now();
      return setStatus('REFUNDED', 'no cash part');
    }

    // 2. the cash part: allowed only now that the insurance part is refunded
    await setStatus('CASH_REFUNDING');
    view.step = 'SE07';
    let submitted: 'ok' | 'unknown' = 'unknown';
    try {
      const r = await submitter.submitSe07({ route: input.route, ecToken: input.ecToken, thirdOrderNo: input.thirdOrderNo, operator: input.operator });
      if (r.kind === 'business' && !r.alreadyRefunded) return setStatus('REFUND_FAILED', `SE07_REJECTED: ${r.message}; the insurance part is refunded, retry the cash refund`);
      submitted = r.kind === 'ok' || r.kind === 'business' ? 'ok' : 'unknown';
      event(r.kind === 'ok' ? 'SE07_RECEIVED' : r.kind === 'business' ? 'SE07_ALREADY_SUBMITTED' : 'SE07_UNKNOWN', r.kind === 'ok' ? undefined : 'reason' in r ? r.reason : r.message);
    } catch (err) {
      event('SE07_UNKNOWN', (err as Error).message);
    }

    const t = input.timing;
    const deadline = Date.now() + t.deadlineMs;
    let pollIdx = 0;
    let notFoundRun = 0;
    let resubmitted = false;
    let candidate: RefundResult | undefined;
    while (view.status === 'CASH_REFUNDING') {
      const remaining = deadline - Date.now();
      if (remaining <= 0) return setStatus('NEEDS_REVIEW', 'NO_FINAL_REFUND_RESULT: no result by the deadline');
      const wait = Math.min(t.pollScheduleMs[pollIdx] ?? t.pollEveryMs, remaining);
      view.step = 'WAITING';
      const pushed = await wf.condition(() => pushes.length > 0, wait);
      if (pushed) {
        const p = pushes.shift()!;
        if (p.refundStatus === '0') continue;
        candidate = p; // a push is not proof: confirmed by SE06 below
      } else {
        pollIdx += 1;
      }
      view.step = 'POLLING';
      const q = await query();
      if (q.kind === 'result') {
        if (q.result.refundStatus === '0') continue;
        if (candidate && (candidate.refundStatus !== q.result.refundStatus || candidate.amount !== q.result.amount)) {
          return setStatus('NEEDS_REVIEW', `PUSH_QUERY_MISMATCH: refundStatus ${candidate.refundStatus}/${candidate.amount ?? '-'} vs ${q.result.refundStatus}/${q.result.amount ?? '-'}`);
        }
        await decide(candidate ?? q.result);
        continue;
      }
      if (q.kind === 'notFound') {
        notFoundRun += 1;
        if (submitted === 'unknown' && !resubmitted && notFoundRun >= 2) {
          resubmitted = true;
          event('SE07_RESUBMIT', 'platform has no cash refund');
          const r = await submitter.submitSe07({ route: input.route, ecToken: input.ecToken, thirdOrderNo: input.thirdOrderNo, operator: input.operator }).catch(() => undefined);
          if (r?.kind === 'ok') submitted = 'ok';
        }
      }
    }
  }

  async function decide(r: RefundResult): Promise<void> {
    if (r.refundStatus === '-1') return setStatus('REFUND_FAILED', 'CASH_REFUND_FAILED: refundStatus -1; the insurance part is refunded, retry the cash refund');
    if (r.amount === undefined || toFen(r.amount) !== input.cashFen) {
      return setStatus('NEEDS_REVIEW', `CASH_REFUND_AMOUNT_MISMATCH: refunded ${r.amount ?? '?'}, paid ${formatYuan(input.cashFen)}`);
    }
    view.cashRefundNo = r.refundNo;
    view.cashAmount = formatYuan(toFen(r.amount));
    view.refundedAt = now();
    await setStatus('REFUNDED', `cash refund ${r.refundNo ?? ''} by ${r.source}`.trim());
  }

  async function query(): Promise<RefundQueryOutcome> {
    try {
      const q = await queries.queryRefund({ route: input.route, ecToken: input.ecToken, operator: input.operator });
      event('POLL_ANSWERED', q.kind === 'result' ? `refundStatus ${q.result.refundStatus}` : q.kind);
      return q;
    } catch (err) {
      event('POLL_FAILED', (err as Error).message);
      return { kind: 'unknown', reason: (err as Error).message };
    }
  }
}
