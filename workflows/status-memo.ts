// The order's status as a memo on its workflow, written at every status change (and by the API at the
// start), so the API can answer GET /api/settlements/{orderNo} with a describe when no worker answers
// the status query (api/service/queries.ts). Encrypted like every payload (the codec), yet it leaves
// out what names the person (a route part that does, psn_no, the insurance call's output) and what grows (events).
import { ROUTE_MEMO_FIELDS } from '../routes';
import type { RefundSummary, SettlementView } from './messages';

/** The memo key; its value is a StatusMemo. */
export const STATUS_MEMO_KEY = 'settlementStatus';
/** Patch: histories recorded before the memo upsert replay without it. */
export const STATUS_MEMO_PATCH = 'status-memo';

const VIEW_FIELDS = [
  'orderNo',
  'status',
  'reason',
  'route',
  'ecToken',
  'medfeeSumamt',
  'insuplcAdmdvs',
  'insuplcAdmdvsSource',
  ...ROUTE_MEMO_FIELDS,
  'channel',
  'tradeNo',
  'thirdOrderNo',
  'amount',
  'billTime',
  'gmt',
  'settledAt',
  'step',
  'review',
  'resolution',
] as const satisfies ReadonlyArray<keyof SettlementView>;
const REFUND_FIELDS = [
  'workflowId',
  'status',
  'reason',
  'cashRefundNo',
  'cashAmount',
  'insuranceRefundedAt',
  'insuranceMsgid',
  'reversalMsgid',
  'refundedAt',
] as const satisfies ReadonlyArray<keyof RefundSummary>;

export type StatusMemo = Pick<SettlementView, (typeof VIEW_FIELDS)[number]> & { refund?: Pick<RefundSummary, (typeof REFUND_FIELDS)[number]> };

function pick<T extends object, K extends keyof T>(from: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const k of keys) if (from[k] !== undefined) out[k] = from[k];
  return out;
}

export function statusMemo(v: SettlementView): StatusMemo {
  return { ...pick(v, VIEW_FIELDS), ...(v.refund ? { refund: pick(v.refund, REFUND_FIELDS) } : {}) };
}
