// The routes' activity parts: activities/platform-activities.ts dispatches every route-specific call here by
// the order's route. Each registered route's part is its folder's activities.ts (routes/<route>/, the route's
// name in lower case), which exports activities(deps). They are found by that name, not imported here by a
// list: routes/index.ts's ROUTES is the one registration, and the workflow bundle that imports it must not
// import activity code. A route without either part fails the worker's start (createRouteActivities loads
// both), naming the file.
import type { Config } from '../common/config';
import type { Logger } from '../common/logger';
import type { PlatformClient } from '../platform/client';
import type { CentreQuery } from '../protocol/centre-record';
import type { Operator } from '../protocol/national-header';
import type { Route } from '../protocol/routing';
import type { CentreAnswer } from './centre-answer';
import { allRoutes } from './index';
import type { RouteActivities } from './route-adapter';

export type RouteActivitiesDeps = { client: PlatformClient; config: Config; log: Logger };

export type RouteActivityPart = (deps: RouteActivitiesDeps) => RouteActivities;
/** A route's centre query (routes/<route>/centre.ts askCentre): undefined for another route's question. */
export type RouteCentrePart = (client: PlatformClient, q: Exclude<CentreQuery, { none: string }>, operator: Operator) => Promise<CentreAnswer> | undefined;

const found = new Map<string, unknown>();

/** routes/<route>/<file>.ts's export `name`, a function (looked up once: askCentre asks on every centre query). */
function routePart<T>(route: Route, file: string, name: string): T {
  const path = `./${route.toLowerCase()}/${file}`;
  if (!found.has(path)) {
    // by the route's name: see the header
    const part = (require(path) as Record<string, unknown>)[name];
    if (typeof part !== 'function') throw new Error(`route ${route}: routes/${path.slice(2)}.ts must export ${name}`);
    found.set(path, part);
  }
  return found.get(path) as T;
}

/** routes/<route>/activities.ts's activities(deps). */
export const activityPartOf = (route: Route) => routePart<RouteActivityPart>(route, 'activities', 'activities');
/** routes/<route>/centre.ts's askCentre. */
export const centrePartOf = (route: Route) => routePart<RouteCentrePart>(route, 'centre', 'askCentre');

export function createRouteActivities(deps: RouteActivitiesDeps): Record<Route, RouteActivities> {
  // the centre part is asked only later (askCentre): loaded here so that a route without it fails at the start
  for (const r of allRoutes()) centrePartOf(r.route);
  return Object.fromEntries(allRoutes().map((r) => [r.route, activityPartOf(r.route)(deps)])) as Record<Route, RouteActivities>;
}

/** Every route's day-close activities, under their own names (the worker registers them as they are). */
export function dayCloseActivitiesOf(routes: Record<Route, RouteActivities>): Record<string, (a: never) => Promise<unknown>> {
  const all: Record<string, (a: never) => Promise<unknown>> = {};
  for (const [route, part] of Object.entries(routes))
    for (const [name, fn] of Object.entries(part.dayClose)) {
      // a name taken twice would run the other route's call under the recorded name
      if (all[name]) throw new Error(`route ${route}: day-close activity ${name} is another route's already`);
      all[name] = fn;
    }
  return all;
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
