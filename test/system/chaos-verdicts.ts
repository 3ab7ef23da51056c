import type { Client } from '@temporalio/client';
import { toFen } from '../../protocol/money';
import type { SimPlatform } from '../../simulator/platform';
import { canMove, type SettlementStatus } from '../../workflows/status';
import { refundHome, refundStatusQuery, statusQuery } from '../../workflows/messages';

// The chaos run's verdicts: every order against the simulator's ledger (the platform's truth), the
// push inbox and the refund workflows.

export const FINAL = new Set<SettlementStatus>(['PAID', 'FAILED', 'NEEDS_REVIEW', 'REFUNDED', 'REFUND_FAILED']);

export interface ChaosOrder {
  orderNo: string;
  /** Set for 五期 persons (their bill type). */
  wuqi?: string;
  refund: boolean;
}

export interface Evidence {
  orders: ChaosOrder[];
  /** The last view of each order, by orderNo. */
  finals: Map<string, any>;
  /** Every status each order was seen in, in order. */
  observed: Map<string, SettlementStatus[]>;
  ledger: ReturnType<SimPlatform['ledger']>;
  /** `${kind}:${ecToken}` of the pushes recorded in the push inbox (for closed orders). */
  inboxTokens: Set<string>;
  client: Client;
}

export async function judge(e: Evidence) {
  const { ledger } = e;
  const violations: string[] = [];
  const ledgerBy = new Map<string, any>(ledger.settlements.map((s: any) => [s.orderNo, s]));
  const counts: Record<string, number> = {};
  const reviews: Record<string, number> = {};
  const failures: Record<string, number> = {};
  const n = { forgedPaid: 0, regressions: 0, lostPushes: 0, refundMismatches: 0, se02NotOnce: 0 };
  for (const o of e.orders) {
    const v = e.finals.get(o.orderNo);
    counts[v.status] = (counts[v.status] ?? 0) + 1;
    // why an order waits for a person: its reason code (the text before the first colon)
    if (v.status === 'NEEDS_REVIEW') reviews[reasonCode(v.reason)] = (reviews[reasonCode(v.reason)] ?? 0) + 1;
    if (v.status === 'FAILED') failures[reasonCode(v.reason)] = (failures[reasonCode(v.reason)] ?? 0) + 1;
    const key = o.wuqi ? o.orderNo.slice(1) : o.orderNo;
    const led = ledgerBy.get(key);
    const se02 = ledger.se02ByOrderNo[key];
    if (!FINAL.has(v.status)) violations.push(`${o.orderNo}: not final (${v.status})`);
    if (se02 !== undefined && se02 !== 1) {
      n.se02NotOnce += 1;
      violations.push(`${o.orderNo}: SE02 reached the platform ${se02} times`);
    }
    if (se02 === undefined && v.status !== 'FAILED' && v.status !== 'NEEDS_REVIEW')
      violations.push(`${o.orderNo}: ${v.status} without an SE02 at the platform`);
    if (v.status === 'PAID' || v.status === 'REFUNDED' || v.status === 'REFUNDING' || v.status === 'REFUND_FAILED') {
      const s = v.setlinfo;
      // 五期 orders keep no setlinfo: view.wuqi has the insured totalexpense and the self-pay part beside it
      // (the ledger's medfee is the whole bill), and the cash the patient paid.
      const paid = o.wuqi
        ? v.wuqi && { totalFen: toFen(v.wuqi.totalexpense) + toFen(v.wuqi.selfPay ?? '0'), cash: v.wuqi.cash }
        : s && { totalFen: toFen(s.medfee_sumamt), cash: s.psn_cash_pay };
      const honest =
        led &&
        led.status === 'PAID' &&
        paid &&
        paid.totalFen === toFen(led.medfee) &&
        toFen(paid.cash) === toFen(led.cash) &&
        (v.channel ?? null) === led.channel;
      if (!honest) {
        n.forgedPaid += 1;
        const ours = paid ? `${paid.totalFen} fen, cash ${paid.cash}, ${v.channel ?? '-'}` : 'no result';
        violations.push(
          `${o.orderNo}: ${v.status} does not match the platform ledger (ours ${ours}; ledger ${led ? `${led.status} ${toFen(led.medfee)} fen, cash ${led.cash}, ${led.channel}` : 'none'})`,
        );
      }
    }
    if (v.status === 'FAILED' && led?.status === 'PAID' && !v.resolution) violations.push(`${o.orderNo}: FAILED but the platform settled it`);
    const seen = e.observed.get(o.orderNo) ?? [];
    for (let i = 1; i < seen.length; i++) {
      if (!reachable(seen[i - 1]!, seen[i]!)) {
        n.regressions += 1;
        violations.push(`${o.orderNo}: status went ${seen[i - 1]} -> ${seen[i]}`);
      }
    }
    const acked = ledger.pushes.byToken[`SE03:${led?.ecToken}`]?.acked ?? 0;
    if (
      acked > 0 &&
      !e.inboxTokens.has(`SE03:${led?.ecToken}`) &&
      !v.events.some((ev: any) => ['PUSH_RECEIVED', 'LATE_PUSH', 'DUPLICATE_PUSH'].includes(ev.type))
    ) {
      n.lostPushes += 1;
      violations.push(`${o.orderNo}: an acknowledged SE03 push is not in the workflow`);
    }
    if (v.status === 'REFUNDED') {
      const cashPaid = led ? toFen(led.cash) : -1;
      const cashBack = led?.cashRefund?.status === '1' ? toFen(led.cashRefund.amount) : 0;
      if (!led?.insuranceRefunded || cashBack !== cashPaid) {
        n.refundMismatches += 1;
        violations.push(`${o.orderNo}: REFUNDED but the ledger has insurance=${led?.insuranceRefunded} cash ${cashBack}/${cashPaid}`);
      }
      const refundAcked = ledger.pushes.byToken[`SE05:${led?.ecToken}`]?.acked ?? 0;
      if (refundAcked > 0 && !e.inboxTokens.has(`SE05:${led?.ecToken}`)) {
        // the refund's home: the order itself (one-refund-model), or an older order's refund child
        const rv = await e.client.workflow
          .getHandle(refundHome(o.orderNo, v.refund))
          .query(refundStatusQuery)
          .catch(() => undefined);
        if (rv && !rv.events.some((ev) => ev.type === 'PUSH_RECEIVED' || ev.type === 'LATE_PUSH')) {
          n.lostPushes += 1;
          violations.push(`${o.orderNo}: an acknowledged SE05 push is not in the refund workflow`);
        }
      }
    } else if (led?.insuranceRefunded && v.status !== 'REFUND_FAILED' && v.status !== 'NEEDS_REVIEW') {
      n.refundMismatches += 1;
      violations.push(`${o.orderNo}: the platform refunded it but we say ${v.status}`);
    }
  }
  return { violations, counts, reviews, failures, ...n };
}

/** Money-moving refund calls as the refund workflows recorded them: SE07 only as the remedy, 2601 only after an unknown 2208. */
export async function refundCalls(client: Client, refunded: ChaosOrder[]) {
  let se07Calls = 0;
  let reversals = 0;
  for (const o of refunded) {
    const home = await client.workflow
      .getHandle(o.orderNo)
      .query(statusQuery)
      .then((v) => refundHome(o.orderNo, v.refund))
      .catch(() => refundHome(o.orderNo));
    const rv = await client.workflow
      .getHandle(home)
      .query(refundStatusQuery)
      .catch(() => undefined);
    se07Calls += rv?.events.filter((ev) => ev.type === 'SE07_REMEDY').length ?? 0;
    reversals += rv?.events.filter((ev) => ev.type === 'REVERSAL_SENT').length ?? 0;
  }
  return { se07Calls, reversals };
}

/** "PUSH_UNCONFIRMED: …" → PUSH_UNCONFIRMED; a refund's "refund: INSURANCE_REFUND_UNKNOWN: …" → refund/INSURANCE_REFUND_UNKNOWN. */
export const reasonCode = (reason: unknown) => {
  if (typeof reason !== 'string' || !reason) return 'no reason';
  const code = /[A-Z][A-Z0-9_]{3,}/.exec(reason)?.[0] ?? reason.split(':')[0]!.trim();
  return reason.startsWith('refund:') ? `refund/${code}` : code;
};

/** b can follow a (directly or through states in between). */
export function reachable(a: SettlementStatus, b: SettlementStatus): boolean {
  const seen = new Set<SettlementStatus>([a]);
  const queue: SettlementStatus[] = [a];
  const all: SettlementStatus[] = ['PROCESSING', 'PAID', 'FAILED', 'NEEDS_REVIEW', 'REFUNDING', 'REFUNDED', 'REFUND_FAILED'];
  while (queue.length) {
    const x = queue.shift()!;
    for (const y of all) {
      if (!seen.has(y) && canMove(x, y)) {
        if (y === b) return true;
        seen.add(y);
        queue.push(y);
      }
    }
  }
  return false;
}
