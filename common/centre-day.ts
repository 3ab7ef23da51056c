import { refundedAmounts } from '../api/reconciliation';
import { toFen } from '../protocol/money';
import type { ReconOrder } from '../protocol/recon-national';
import type { Sl01Entry } from '../protocol/recon-wuqi';
import { DATE_TIME_RE, formatDate, formatDateTime, parseDateTime } from '../protocol/shanghai-time';
import type { CentreDay } from '../protocol/centre-reconciliation';
import type { SettlementView } from '../workflows/messages';

// Our side of the hospital's day close (issue 18, 4): the settlements and refunds of one Shanghai day, in the
// shapes 3201/3202 (national, protocol/recon-national.ts) and SL01 (五期, protocol/recon-wuqi.ts) need. Pure:
// the API's export and the workflow's activity both read the status views of the day (viewsActiveBetween, as
// GET /api/reconciliation does) and pass them here. Amounts are integer fen, refunds negative.

export type { CentreDay };

/** A centre time (yyyy-MM-dd HH:mm:ss, Asia/Shanghai) or an ISO instant, as its Shanghai day; undefined if neither. */
function dayOf(t: string | undefined): string | undefined {
  if (!t) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2} /.test(t) ? parseDateTime(t) : Date.parse(t);
  return Number.isNaN(ms) ? undefined : formatDate(ms);
}

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));

/**
 * A national settlement's day is its setl_time (the centre's, national §5.3.2.1.2 "以医保结算返回的结算时间作为依据");
 * a refund's is the 2208 reversal's setl_time, else when the insurance part was refunded.
 */
function nationalOf(v: SettlementView, date: string, out: CentreDay): void {
  const s = v.setlinfo as unknown as Record<string, unknown>;
  const base = {
    orderNo: v.orderNo,
    setlId: str(s.setl_id),
    mdtrtId: str(s.mdtrt_id),
    psnNo: str(s.psn_no),
    insutype: str(s.insutype),
    clrType: str(s.clr_type),
    clrOptins: str(s.clr_optins),
    ...(s.medins_setl_id ? { medinsSetlId: str(s.medins_setl_id) } : {}),
  };
  // an empty insutype / clr_type / clr_optins stays empty: its group is reported, not sent (missingGroupKey)
  const timeReads = DATE_TIME_RE.test(str(s.setl_time));
  try {
    if (!timeReads) {
      const mine = dayOf(v.settledAt) === date || dayOf(v.refund?.insuranceRefundedAt) === date;
      if (mine)
        out.incomplete.push({
          orderNo: v.orderNo,
          reason: `its setl_time ${JSON.stringify(str(s.setl_time).slice(0, 30))} is not yyyy-MM-dd HH:mm:ss: its day is unknown; add it to the close by hand`,
        });
      return;
    }
    if (dayOf(str(s.setl_time)) === date) {
      out.national.push({
        ...base,
        kind: 'settlement',
        ...(v.se02Msgid ? { msgid: v.se02Msgid } : {}),
        setlTime: str(s.setl_time),
        medfeeFen: toFen(str(s.medfee_sumamt)),
        fundFen: toFen(str(s.fund_pay_sumamt)),
        accountFen: toFen(str(s.acct_pay)),
        cashFen: toFen(str(s.psn_cash_pay)),
      });
    }
    const r = v.refund;
    const reversal = (r?.insuranceOutput?.setlinfo ?? undefined) as Record<string, unknown> | undefined;
    const refundedAt = r?.insuranceRefundedAt ?? (r?.status === 'REFUNDED' ? r.refundedAt : undefined);
    if (!r || !refundedAt) return;
    // the reverse settlement's setl_time when it reads as the centre's time format, else when we saw the refund
    const refundTime = DATE_TIME_RE.test(str(reversal?.setl_time)) ? str(reversal?.setl_time) : formatDateTime(Date.parse(refundedAt));
    if (dayOf(refundTime) !== date) return;
    const back = refundedAmounts(v);
    const amount = (k: 'medfee_sumamt' | 'fund_pay_sumamt' | 'acct_pay' | 'psn_cash_pay') => (back ? back[k] : -Math.abs(toFen(str(s[k]))));
    out.national.push({
      ...base,
      kind: 'refund',
      ...(r.insuranceMsgid ? { msgid: r.insuranceMsgid } : {}),
      // the 2208 output's own setl_id (the reverse settlement's) and medins_setl_id, else the original's
      ...(reversal?.setl_id ? { setlId: str(reversal.setl_id) } : {}),
      ...(reversal?.medins_setl_id ? { medinsSetlId: str(reversal.medins_setl_id) } : {}),
      setlTime: refundTime,
      medfeeFen: amount('medfee_sumamt'),
      fundFen: amount('fund_pay_sumamt'),
      accountFen: amount('acct_pay'),
      cashFen: amount('psn_cash_pay'),
    });
  } catch (err) {
    out.incomplete.push({ orderNo: v.orderNo, reason: `an amount does not read: ${(err as Error).message}` });
  }
}

/**
 * A 五期 settlement's day is its gmt (支付完成时间, §4.8.3.2, the centre's clock), else settledAt; a refund's is when
 * SK01 refunded the insurance part. Both carry the settlement's SL01 parts (the refund subtracts them).
 */
function wuqiOf(v: SettlementView, date: string, out: CentreDay): void {
  const w = v.wuqi!;
  const settledDay = dayOf(v.gmt) ?? dayOf(v.settledAt);
  const refundDay = dayOf(v.refund?.insuranceRefundedAt ?? (v.refund?.status === 'REFUNDED' ? v.refund.refundedAt : undefined));
  if (settledDay !== date && refundDay !== date) return;
  if (!w.sl01) {
    out.incomplete.push({
      orderNo: v.orderNo,
      reason: "the 五期 settlement was kept before its SL01 parts were: add it to the SL01 totals by hand (its payResponse is in the order's history)",
    });
    return;
  }
  if (settledDay === date) out.wuqi.push({ orderNo: v.orderNo, kind: 'settlement', lsh: w.lsh, parts: w.sl01 });
  if (refundDay === date) out.wuqi.push({ orderNo: v.orderNo, kind: 'refund', lsh: w.lsh, parts: w.sl01 });
}

/** The day's settlements and refunds from the status views (any superset of the day's orders). */
export function centreDayOf(views: SettlementView[], date: string): CentreDay {
  const out: CentreDay = { date, national: [], wuqi: [], incomplete: [] };
  for (const v of views) {
    if (v.setlinfo) nationalOf(v, date, out);
    else if (v.wuqi) wuqiOf(v, date, out);
    else if (v.status === 'PAID' && dayOf(v.settledAt ?? v.resolution?.at) === date)
      out.incomplete.push({ orderNo: v.orderNo, reason: 'PAID without stored settlement details (resolved by an operator): add it to the close by hand' });
  }
  const byTime = (a: ReconOrder, b: ReconOrder) => a.setlTime.localeCompare(b.setlTime) || a.orderNo.localeCompare(b.orderNo);
  out.national.sort(byTime);
  out.wuqi.sort((a, b) => a.orderNo.localeCompare(b.orderNo) || a.kind.localeCompare(b.kind));
  return out;
}
