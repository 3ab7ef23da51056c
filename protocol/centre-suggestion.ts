import type { CentreRecord, Difference } from './centre-record';
import { formatYuan } from './money';

// What the centre said about an order under review, and the suggestion a person reads beside it. Pure: the
// settlement workflow records it (event + view), the API shows it. Ids and amounts only: no personal data.
// A suggestion never resolves anything: a person decides (docs/spec-readings "Review items carry the centre's word").

/** The centre's word on an order under review, as the workflow keeps it. */
export type CentreWord =
  | {
      kind: 'answered';
      asked: { query: '5203' | '5203A' | 'SI91'; msgid: string; at: string };
      found: boolean;
      record: CentreRecord | null;
      agrees: boolean;
      differences: Difference[];
      /** the centre's words when it has no record (masked) */
      message?: string;
    }
  /** a refusal that is not "not found" (tokenRefused: SI91 refused the stored 令牌) */
  | { kind: 'refused'; asked: { query: '5203' | '5203A' | 'SI91'; msgid: string; at: string }; code: string; message: string; tokenRefused: boolean }
  /** no setl_id / medins_setl_id / 五期 settlement: nothing the centre can be asked (SE04 decides, V13) */
  | { kind: 'nothing'; reason: string };

const MONEY: ReadonlySet<string> = new Set(['medfee', 'fund', 'account', 'cash']);
const show = (field: string, v: Difference['ours']) => (v === null ? 'not said' : MONEY.has(field) && typeof v === 'number' ? formatYuan(v) : String(v));

/** "medfee ours 100.00, centre 101.00; refunded ours false, centre true" */
export function describeDifferences(ds: Difference[]): string {
  return ds.map((d) => `${d.field} ours ${show(d.field, d.ours)}, centre ${show(d.field, d.centre)}`).join('; ');
}

function holds(r: CentreRecord): string {
  const refunded = r.refunded === null ? 'refund not stated' : r.refunded ? 'refunded' : 'not refunded';
  return `the centre holds setl_id ${r.setlId} (medfee ${formatYuan(r.medfee)}, fund ${formatYuan(r.fund)}, account ${formatYuan(r.account)}, cash ${formatYuan(r.cash)}), ${r.paid === false ? 'not valid/failed' : 'paid'}, ${refunded}`;
}

/** The decision the centre's record points to, for a settlement (PAID/FAILED) or a refund (REFUNDED/REFUND_FAILED). */
function pointsTo(kind: 'settlement' | 'refund', r: CentreRecord): string {
  if (kind === 'settlement') {
    if (r.paid === false) return 'resolve FAILED';
    if (r.refunded === true) return 'the centre has refunded it: check the cash part before resolving';
    return 'resolve PAID';
  }
  if (r.refunded === true) return 'the insurance part is refunded: resolve REFUNDED once the cash refund is confirmed';
  if (r.refunded === false) return 'the insurance part stands: resolve REFUND_FAILED unless a refund is still under way';
  return 'SI91 does not say whether it is refunded (SE06 / the centre by phone decides)';
}

/** One line for the review item. */
export function suggestionFor(kind: 'settlement' | 'refund', w: CentreWord): string {
  if (w.kind === 'nothing') return `the centre cannot be asked: ${w.reason}`;
  if (w.kind === 'refused')
    return w.tokenRefused
      ? `${w.asked.query} refused the stored 令牌: ask the centre by phone`
      : `${w.asked.query} refused (${w.message}): ask the centre by phone`;
  if (!w.found || !w.record) {
    return kind === 'settlement'
      ? `the centre has no record of this settlement (${w.asked.query}): its insurance part was not settled; check the cash channel, then resolve FAILED`
      : `the centre has no record of this settlement (${w.asked.query}): check with the centre before resolving`;
  }
  const base = `${holds(w.record)}: ${pointsTo(kind, w.record)}`;
  return w.differences.length ? `${base}; but the books differ: ${describeDifferences(w.differences)}` : base;
}

/** The CENTRE_RECORD event's detail: what was asked and found, ids and amounts only. */
export function centreEventDetail(w: CentreWord): string {
  if (w.kind === 'nothing') return `not asked: ${w.reason}`;
  const asked = `${w.asked.query} msgid ${w.asked.msgid}`;
  if (w.kind === 'refused') return `${asked}: refused ${w.code}${w.tokenRefused ? ' (令牌)' : ''}`;
  if (!w.found || !w.record) return `${asked}: not found`;
  const r = w.record;
  const agree = w.agrees ? 'agrees' : `differs: ${describeDifferences(w.differences)}`;
  return `${asked}: found setl_id ${r.setlId}, medfee ${r.medfee}, fund ${r.fund}, account ${r.account}, cash ${r.cash} (fen), paid ${r.paid}, refunded ${r.refunded}; ${agree}`;
}
