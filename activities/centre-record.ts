// The centre's record of one settlement: each route asks its own query (routes/<route>/centre.ts askCentre:
// national 5203 / 5203A through the platform client's national(), 五期 SI91 through its wuqi()), found by the
// route's name (routes/activities.ts). Each returns a route-neutral answer (routes/centre-answer.ts) with what was
// asked: never throws for the centre's answer, and never changes anything.
import type { PlatformClient } from '../platform/client';
import type { CentreQuery } from '../protocol/centre-record';
import type { Operator } from '../protocol/national-header';
import { allRoutes } from '../routes';
import { centrePartOf } from '../routes/activities';
import type { CentreAnswer } from '../routes/centre-answer';

export type { Asked, CentreAnswer } from '../routes/centre-answer';

/** The question for the order's route (centreQueryFor), asked by the route whose question it is. */
export function askCentre(client: PlatformClient, q: Exclude<CentreQuery, { none: string }>, operator: Operator): Promise<CentreAnswer> {
  for (const r of allRoutes()) {
    const answer = centrePartOf(r.route)(client, q, operator);
    if (answer) return answer;
  }
  throw new Error(`no registered route asks this centre query (${Object.keys(q).join(', ')})`);
}
