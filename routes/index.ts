// The routes, registered once: the workflows reach a route only through routeOf() and the helpers here,
// which read route-neutral facts. A new route is one folder (routes/<route>/: its RouteRules in index.ts, its
// activity part in activities.ts, its parts of the shared shapes declared in view.ts) and its line in ROUTES
// below. Its activity part is found by the folder's name (routes/activities.ts): the workflow bundle, which
// imports this file, must not import activity code.
import type { InsuranceRefundInput } from '../activities/contract';
import type { PayResult } from '../protocol/pay-result';
import type { Route, RouteFacts } from '../protocol/routing';
import { national } from './national';
import { foreignOrder } from './order-numbers';
import type {
  CentreFacts,
  PaidId,
  RefundTarget,
  RouteInputParts,
  RouteMemoField,
  RouteOwnEvent,
  RouteRules,
  RouteViewParts,
  Settled,
  ViewFacts,
} from './route-adapter';
import { wuqi } from './wuqi';

// Append only: the day close calls the routes in this order, and running day closes have it recorded.
const ROUTES: Record<Route, RouteRules> = { NATIONAL: national, WUQI: wuqi };

const all = Object.values(ROUTES);

export function routeOf(route: Route): RouteRules {
  return ROUTES[route];
}

/** Every route's rules, in registration order. */
export const allRoutes = (): readonly RouteRules[] => all;

/** The route an order is counted under before SM01 has decided one (metrics, refusal texts). */
export const DEFAULT_ROUTE: Route = 'NATIONAL';

/** Event types a single route records, for workflows/messages.ts EVENT_TYPES. */
export const ROUTE_EVENT_TYPES: readonly RouteOwnEvent[] = all.flatMap((r) => r.ownEvents);

/** The routes' view parts the status memo keeps (workflows/status-memo.ts), in the memo's order. */
export const ROUTE_MEMO_FIELDS: readonly RouteMemoField[] = all.flatMap((r) => r.memoFields);

/** What decides the route besides the person (protocol/routing.ts): the 五期 bill's persontype, the payRequest's med_type. */
export function routeFactsOf(input: RouteInputParts & { payRequest: { med_type: string } }): RouteFacts {
  return { wuqiBill: input.wuqiPayRequest, medType: input.payRequest.med_type };
}

/** The route parts of the input that SE02's activity takes (activities/contract.ts submitSe02). */
export function submitParts(input: RouteInputParts): Partial<RouteInputParts> {
  return Object.assign({}, ...all.map((r) => r.submitParts?.(input) ?? {})) as Partial<RouteInputParts>;
}

/** FOREIGN_ORDER when a result names another of our orders, in any route's form of our order number (routes/order-numbers.ts). */
export function foreignResult(input: RouteInputParts & { orderNo: string }, thirdOrderNo: string | undefined): string | undefined {
  return foreignOrder(input.orderNo, thirdOrderNo, input.wuqiOrgCode);
}

// A result or a view is in one route's form (national setlinfo, 五期 wuqi); never in two.

/** A paid result's settlement id and claim key, whichever route's form it is in. */
export function paidIdOf(r: PayResult): PaidId | undefined {
  for (const a of all) {
    const id = a.paidId(r);
    if (id) return id;
  }
  return undefined;
}

/** What the order keeps of a paid result, whichever route's form it is in. */
export function settledOf(r: PayResult): Settled | undefined {
  const a = all.find((x) => x.paidId(r));
  return a?.settled(r);
}

/** The view's settled facts (setl id, cash part), whichever route's part it holds. */
export function viewFactsOf(v: RouteViewParts): ViewFacts | undefined {
  for (const a of all) {
    const f = a.viewFacts(v);
    if (f) return f;
  }
  return undefined;
}

/** The insurance part's target for the view's settlement. */
export function refundTargetOf(v: RouteViewParts, input: RouteInputParts): RefundTarget | undefined {
  for (const a of all) {
    const t = a.refundTarget(v, input);
    if (t) return t;
  }
  return undefined;
}

/** The webhook's route amounts for the view's settlement (none for a route that gives none). */
export function webhookAmountsOf(v: RouteViewParts) {
  for (const a of all) if (a.viewFacts(v)) return a.webhookAmounts(v);
  return undefined;
}

/** The route parts the centre's query reads, in registration order. */
export function centreFactsOf(v: RouteViewParts): CentreFacts {
  return Object.assign({}, ...all.map((a) => a.centreFacts(v) ?? {})) as CentreFacts;
}

/** A refund's refusal when the order has no settlement to refund (no route part in the view). */
export const NO_SETTLEMENT_DETAILS = 'no settlement details (setl_id / 五期 lsh) are known for this order; refund it manually';

export type { RouteRules, RouteViewParts, RouteInputParts, RefundTarget } from './route-adapter';

/**
 * The insurance call's argument (activities/contract.ts InsuranceRefundInput, one shape for every route): the
 * child's input, with a fresh e-voucher as the card data when the refund has one (the queries keep ecToken).
 */
export function insuranceCallOf(input: InsuranceRefundInput, carddata?: string): InsuranceRefundInput {
  return {
    route: input.route,
    orderNo: input.orderNo,
    ecToken: input.ecToken,
    operator: input.operator,
    // national 2208
    setlId: input.setlId,
    mdtrtId: input.mdtrtId,
    psnNo: input.psnNo,
    insuplcAdmdvs: input.insuplcAdmdvs,
    // 五期 SK01 (carddata: a fresh ecToken)
    wuqi: input.wuqi && carddata ? { ...input.wuqi, carddata } : input.wuqi,
  };
}
