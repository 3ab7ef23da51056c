import { ApplicationFailure } from '@temporalio/common';
import { maskPersonal } from '../common/logger';
import type { PlatformClient } from '../platform/client';
import { centreQueryFor, compareRecords, ourRecord, type OrderFacts } from '../protocol/centre-record';
import type { CentreWord } from '../protocol/centre-suggestion';
import { askCentre, type Asked } from './centre-record';

// The centre's word for an order under review (issue 18, 2): the same query as GET /api/settlements/{orderNo}/centre
// (5203 / 5203A / SI91), asked by the settlement workflow as a local activity when the order enters
// NEEDS_REVIEW. It reads only; it returns ids and amounts (no personal data). No answer at all throws, so the
// local activity retries; the workflow records CENTRE_UNAVAILABLE once the retries are spent.

export interface CentreReviewActivities {
  askCentreForReview(a: { facts: OrderFacts }): Promise<CentreWord>;
}

const queryOf = (a: Asked) => (a.xxlxm ?? a.infno ?? '5203') as '5203' | '5203A' | 'SI91';

export function createCentreReviewActivities(deps: { client: PlatformClient }): CentreReviewActivities {
  return {
    async askCentreForReview({ facts }) {
      const q = centreQueryFor(facts);
      if ('none' in q) return { kind: 'nothing', reason: q.none };
      let answer;
      try {
        answer = await askCentre(deps.client, q, deps.client.signIn.operator);
      } catch (err) {
        // our own input failed its schema: nothing was sent, and a retry would not change that
        if ((err as Error).name === 'InvalidRequestError') return { kind: 'nothing', reason: maskPersonal((err as Error).message) };
        throw err;
      }
      const asked = { query: queryOf(answer.asked), msgid: answer.asked.msgid, at: answer.asked.at };
      if (answer.kind === 'unknown')
        throw ApplicationFailure.retryable(
          `the centre gave no answer to ${asked.query} (msgid ${asked.msgid}): ${maskPersonal(answer.reason)}`,
          'CentreUnavailable',
        );
      if (answer.kind === 'refused')
        return { kind: 'refused', asked, code: answer.code, message: maskPersonal(answer.message), tokenRefused: answer.tokenRefused };
      const ours = ourRecord(facts) ?? null;
      const differences = ours ? compareRecords(ours, answer.record ?? undefined) : [];
      return {
        kind: 'answered',
        asked,
        found: answer.found,
        record: answer.record,
        agrees: answer.found && ours !== null && differences.length === 0,
        differences,
        ...(answer.found ? {} : { message: maskPersonal(answer.message) }),
      };
    },
  };
}
