import { askCentre, type Asked } from '../activities/centre-record';
import { maskPersonal } from '../common/logger';
import type { PlatformClient } from '../platform/client';
import { centreQueryFor, compareRecords, ourRecord, type CentreRecord, type Difference, type OrderFacts } from '../protocol/centre-record';
import { ApiProblem } from './errors';

/** GET /api/settlements/{orderNo}/centre: the centre's record beside ours. */
export interface CentreView {
  orderNo: string;
  route: 'NATIONAL' | 'WUQI';
  asked: Asked;
  found: boolean;
  record: CentreRecord | null;
  ours: CentreRecord | null;
  agrees: boolean;
  differences: Difference[];
  /** the centre's words when it has no record (masked) */
  message?: string;
}

/**
 * Asks the centre about one order and compares its record with the order's verified result. Read-only: it
 * sends a query (5203/5203A/SI91) and changes nothing, in the order or anywhere else. The centre's answer
 * leaves as the route-neutral record only (no name, no ID number); its refusal texts are masked.
 */
export async function askCentreAbout(orderNo: string, view: OrderFacts, platform: PlatformClient): Promise<CentreView> {
  const q = centreQueryFor(view);
  if ('none' in q) throw new ApiProblem('CENTRE_NOTHING_TO_ASK', `${orderNo} (${view.status}): ${q.none}`);
  let answer;
  try {
    answer = await askCentre(platform, q, platform.signIn.operator);
  } catch (err) {
    // our own input failed its schema (InvalidRequestError): nothing was sent
    if ((err as Error).name === 'InvalidRequestError') throw new ApiProblem('CENTRE_NOTHING_TO_ASK', maskPersonal((err as Error).message));
    throw new ApiProblem('PLATFORM_UNAVAILABLE', `the centre was not asked: ${maskPersonal((err as Error).message)}`);
  }
  const what = `${answer.asked.infno ?? answer.asked.xxlxm} (msgid ${answer.asked.msgid})`;
  if (answer.kind === 'unknown')
    throw new ApiProblem('PLATFORM_UNAVAILABLE', `the centre gave no answer to ${what}: ${maskPersonal(answer.reason)}; the order is unchanged`);
  if (answer.kind === 'refused') {
    if (answer.tokenRefused) throw new ApiProblem('CENTRE_TOKEN_REFUSED', `${what} refused the stored 令牌: ${maskPersonal(answer.message)}`);
    throw new ApiProblem('CENTRE_REFUSED', `${what} refused: ${maskPersonal(answer.message)}`);
  }
  const ours = ourRecord(view) ?? null;
  const differences = ours ? compareRecords(ours, answer.record ?? undefined) : [];
  return {
    orderNo,
    route: view.route ?? ('xxlxm' in q ? 'WUQI' : 'NATIONAL'),
    asked: answer.asked,
    found: answer.found,
    record: answer.record,
    ours,
    agrees: answer.found && ours !== null && differences.length === 0,
    differences,
    ...(answer.found ? {} : { message: maskPersonal(answer.message) }),
  };
}
