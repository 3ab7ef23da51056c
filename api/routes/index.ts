import { getCentreRecord } from './centre';
import { getCentreCheck, listRecentCentreChecks, startCentreCheck } from './centre-checks';
import { getCentreReconciliation, startCentreReconciliation } from './centre-reconciliation';
import { listEvents, redeliverEvent } from './events';
import { getReconciliation, listInbox, matchInboxPush } from './finance';
import { getHealth, getLiveness, getReadiness } from './health';
import { createIdentity } from './identities';
import { listReviews, remedyRefund, resolveSettlement } from './review';
import type { ApiRoute } from './route';
import { createSettlement, getSettlement, listSettlements, refundSettlement } from './settlements';

/** Every API route, once: app.ts mounts this list and openapi.ts documents it. */
export const API_ROUTES: readonly ApiRoute[] = [
  createSettlement,
  createIdentity,
  listSettlements,
  getSettlement,
  refundSettlement,
  resolveSettlement,
  remedyRefund,
  listReviews,
  getCentreRecord,
  startCentreCheck,
  getCentreCheck,
  listRecentCentreChecks,
  getReconciliation,
  getCentreReconciliation,
  startCentreReconciliation,
  listInbox,
  matchInboxPush,
  listEvents,
  redeliverEvent,
  getReadiness,
  getHealth,
  getLiveness,
];

export { mountRoutes } from './mount';
export type { ApiRoute, RouteDeps } from './route';
