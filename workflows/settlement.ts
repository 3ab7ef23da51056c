import * as wf from '@temporalio/workflow';
import { toFen } from '../protocol/money';
import {
  awaitOutcomeUpdate,
  ONE_REFUND_MODEL_PATCH,
  payPushSignal,
  refundProgressSignal,
  refundPushSignal,
  refundStatusQuery,
  remedyRefundUpdate,
  requestRefundUpdate,
  resolveRefundUpdate,
  resolveUpdate,
  statusQuery,
  type SettlementInput,
  type SettlementView,
} from './messages';
import { OrderState } from './order-state';
import { patchesOf } from './patches';
import { centreOnReview } from './centre-review';
import { webhooks } from './webhook';
import { awaitResult, identify, lateResultsPossible, mergeTiming, platform, report, serveRefunds, submit, temporalPublisher } from './settlement-steps';

export { mergeTiming };

/**
 * One online settlement, from the e-voucher to a verified final state. Once settled, the order stays
 * open for its refund window so that refunds, late results and manual reviews land on it.
 */
export async function settlement(input: SettlementInput): Promise<SettlementView> {
  const timing = mergeTiming(input.timing);
  const p = platform(timing);
  // webhooks to the HIS start at each status change and are never awaited on the payment path
  const hooks = webhooks({ enabled: input.webhooks === true, record: (type, detail) => order.event(type, detail) });
  // read once, at the start: an order keeps one refund model for its life (histories before it: the refund child)
  const refundsHere = wf.patched(ONE_REFUND_MODEL_PATCH);
  // and so are the earlier patches (workflows/patches.ts): all on for an order that starts with this one
  const patched = patchesOf(refundsHere);
  const order = new OrderState(
    input.orderNo,
    toFen(input.payRequest.medfee_sumamt),
    { ...temporalPublisher(patched), statusChanged: (v) => hooks.notify(v) },
    () => Date.now(),
    refundsHere,
    patched,
  );

  // handlers first, so a push that arrives before we wait is still counted
  wf.setHandler(payPushSignal, (r) => order.onPush(r));
  wf.setHandler(statusQuery, () => order.view);
  wf.setHandler(awaitOutcomeUpdate, async () => (await wf.condition(order.settled), order.view));
  wf.setHandler(resolveUpdate, (r) => order.resolve(r), { validator: (r) => order.validateResolve(r) });
  wf.setHandler(requestRefundUpdate, (r) => order.requestRefund(r), { validator: (r) => order.validateRefund(r) });
  if (refundsHere) {
    // the refund is the order's: its SE05 pushes, resolve, remedy and status read come here
    wf.setHandler(refundPushSignal, (r) => order.onRefundPush(r));
    wf.setHandler(refundStatusQuery, () => order.refundView());
    wf.setHandler(resolveRefundUpdate, (r) => order.resolveRefund(r), { validator: (r) => order.validateRefundResolve(r) });
    wf.setHandler(remedyRefundUpdate, (r) => order.requestRemedy(r), { validator: (r) => order.validateRemedy(r) });
  } else {
    wf.setHandler(refundProgressSignal, (s) => order.onRefundProgress(s));
  }
  // each review asks the centre beside the settlement's own path (never awaited: it changes no status)
  void centreOnReview(order, timing.queryTimeoutMs);

  if (await identify(order, input, p)) {
    const submitted = await submit(order, input, p);
    if (submitted === 'accepted' || submitted === 'unknown') await awaitResult(order, input, timing, p, submitted);
  }
  await report(order, p);
  if (order.status !== 'FAILED' || lateResultsPossible(order)) await serveRefunds(order, input, timing, p);
  order.step('CLOSED');
  await wf.condition(wf.allHandlersFinished);
  await hooks.drained();
  return order.view;
}
