// The routes' activity parts, registered once: activities/platform-activities.ts dispatches every
// route-specific call here by the order's route (a new route: one line below). Kept apart from
// routes/index.ts, which the workflow bundle imports: activity code must not enter it.
import type { Config } from '../common/config';
import type { Logger } from '../common/logger';
import type { PlatformClient } from '../platform/client';
import type { Route } from '../protocol/routing';
import { nationalActivities } from './national/activities';
import type { RouteActivities } from './route-adapter';
import { wuqiActivities } from './wuqi/activities';

export type RouteActivitiesDeps = { client: PlatformClient; config: Config; log: Logger };

export function createRouteActivities(deps: RouteActivitiesDeps): Record<Route, RouteActivities> {
  return { NATIONAL: nationalActivities(deps), WUQI: wuqiActivities(deps) };
}

/** Every route's day-close activities, under their own names (the worker registers them as they are). */
export function dayCloseActivitiesOf(routes: Record<Route, RouteActivities>): Record<string, (a: never) => Promise<unknown>> {
  return Object.assign({}, ...Object.values(routes).map((r) => r.dayClose)) as Record<string, (a: never) => Promise<unknown>>;
}

/** A call only one route has (2601, the fresh e-voucher's check): that route's, found by what it provides. */
export function onlyRouteWith<K extends 'reverseInsuranceRefund' | 'checkRefundVoucher'>(
  routes: Record<Route, RouteActivities>,
  call: K,
): NonNullable<RouteActivities[K]> {
  const found = Object.values(routes).filter((r) => r[call]);
  if (found.length !== 1) throw new Error(`exactly one route must provide ${call}; ${found.length} do`);
  return found[0]![call]!;
}
