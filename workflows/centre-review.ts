import * as wf from '@temporalio/workflow';
import type { CentreReviewActivities } from '../activities/centre-review';
import type { OrderFacts } from '../protocol/centre-record';
import { centreEventDetail, suggestionFor } from '../protocol/centre-suggestion';
import { centreFactsOf } from '../routes';
import type { OrderState } from './order-state';
import type { SettlementView } from './messages';

// Review items carry the centre's word (issue 18, 2): each time the order enters NEEDS_REVIEW (a settlement
// or a refund under review), ask the centre once (5203 / 5203A / SI91, a local activity with a few retries)
// and record its answer as a CENTRE_RECORD event and as the review's `centre` and `suggestion`. A person
// still decides: nothing here resolves. No answer after the retries: a CENTRE_UNAVAILABLE event, nothing else.
// Behind the patch 'centre-on-review' (histories recorded before it never asked).

export const CENTRE_ON_REVIEW_PATCH = 'centre-on-review';

/** Only what the query and the comparison read: no name, no ID number enters the activity's input. */
export function centreFacts(v: SettlementView): OrderFacts {
  return {
    status: v.status,
    route: v.route,
    ecToken: v.ecToken,
    psnNo: v.psnNo,
    insuplcAdmdvs: v.insuplcAdmdvs,
    // the route's part of the settlement (routes/<route>/ centreFacts)
    ...centreFactsOf(v),
    ...(v.refund ? { refund: { status: v.refund.status, insuranceRefundedAt: v.refund.insuranceRefundedAt } } : {}),
  };
}

/** Runs beside the settlement for the workflow's life; never throws, never changes the status. */
export async function centreOnReview(order: OrderState, queryTimeoutMs: number): Promise<void> {
  const centre = wf.proxyLocalActivities<CentreReviewActivities>({
    startToCloseTimeout: queryTimeoutMs,
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 3 },
  });
  let seen = 0;
  for (;;) {
    await wf.condition(() => order.reviewsEntered > seen);
    seen = order.reviewsEntered;
    const review = order.view.review;
    if (!review || !order.patched(CENTRE_ON_REVIEW_PATCH)) continue;
    try {
      const word = await centre.askCentreForReview({ facts: centreFacts(order.view) });
      order.event('CENTRE_RECORD', centreEventDetail(word));
      // the same review still open: it carries the word (a resolved one is gone, a newer one asks again)
      if (order.view.review === review) order.setCentreWord(word, suggestionFor(review.kind, word));
    } catch (err) {
      const cause = (err as Error).cause as Error | undefined;
      order.event(
        'CENTRE_UNAVAILABLE',
        `the centre did not answer (${(cause ?? (err as Error)).message}); the order stays ${order.status} for a person to decide`,
      );
    }
  }
}
