// The centre's record of one settlement: each route asks its own query (routes/national/centre.ts: 5203 /
// 5203A through the platform client's national(); routes/wuqi/centre.ts: SI91 through its wuqi()). Each returns a
// route-neutral answer (routes/centre-answer.ts) with what was asked: never throws for the centre's answer, and
// never changes anything.
import type { PlatformClient } from '../platform/client';
import type { CentreQuery } from '../protocol/centre-record';
import type { Operator } from '../protocol/national-header';
import { askNational5203, askNational5203A } from '../routes/national/centre';
import { askWuqiSi91 } from '../routes/wuqi/centre';
import type { CentreAnswer } from '../routes/centre-answer';

export type { Asked, CentreAnswer } from '../routes/centre-answer';
export { askNational5203, askNational5203A, askWuqiSi91 };

/** The question for the order's route (centreQueryFor), asked. */
export function askCentre(client: PlatformClient, q: Exclude<CentreQuery, { none: string }>, operator: Operator): Promise<CentreAnswer> {
  if ('xxlxm' in q) return askWuqiSi91(client, q, operator);
  return q.infno === '5203' ? askNational5203(client, q, operator) : askNational5203A(client, q, operator);
}
