import { sl01Input, sl01PartsOf, sl01Totals, totalsOfInput, type Sl01Entry } from '../../../protocol/recon-wuqi';
import { formatDate, parseDateTime } from '../../../protocol/shanghai-time';
import { describeZodError } from '../../../protocol/zod-helpers';
import { differenceFor } from '../../../simulator/centre';
import type { SimPlatform } from '../../../simulator/platform';
import type { SimOrder } from '../../../simulator/sim-order';
import type { WuqiAnswer } from './platform';

// 五期 SL01 对账 (§4.6.1, V1.0.6 A.4) from the simulated centre's own books: its 五期 settlements of the day (by the
// 支付完成时间 it pushed, gmt) and its SK01 refunds of the day, totalled as protocol/recon-wuqi.ts reads the
// tables, with the injected differences of /__sim/centre/differences applied (an amount, a settlement it does
// not have, one it reversed). It keeps each day's state: once a day has passed, SL01 answers
// "3：对帐已通过，不需再次对帐" whatever is sent. A mismatch answers 1 (金额不符，交易明细已生成，可以下载): the spec
// gives no interface to download that file (national-files-and-queries-extract.md §6.1), so none is served.

/** Per platform: the days (yyyyMMdd) whose SL01 has passed. */
const passed = new WeakMap<SimPlatform, Set<string>>();
const passedDays = (p: SimPlatform) => {
  let s = passed.get(p);
  if (!s) passed.set(p, (s = new Set()));
  return s;
};
/** The control API's reset forgets them with everything else. */
export const clearSl01State = (p: SimPlatform) => passedDays(p).clear();

const compact = (epochMs: number) => formatDate(epochMs).replace(/-/g, '');

/** The centre's 五期 transactions of the day, as SL01 entries (a reversal the centre made is a refund entry). */
export function centreSl01Entries(platform: SimPlatform, daycollate: string): Sl01Entry[] {
  const entries: Sl01Entry[] = [];
  for (const { orderNo } of platform.ledger().settlements) {
    const o = platform.orderByNo(orderNo);
    const out = wuqiOutputOf(o);
    if (!o || !out) continue;
    const d = differenceFor(platform, o);
    if (d?.kind === 'missing') continue;
    const parts = sl01PartsOf(out);
    const lsh = String(out.lsh);
    const settledAt = parseDateTime(o.result!.gmt);
    if (compact(Number.isNaN(settledAt) ? o.settleAt : settledAt) === daycollate) {
      // an amount the centre holds otherwise: its in-scope cash differs (as SI91 shows it)
      const mine = d?.kind === 'amount' ? { ...parts, cash: parts.cash + d.deltaFen } : parts;
      entries.push({ orderNo, kind: 'settlement', lsh, parts: mine });
      if (d?.kind === 'reversed') entries.push({ orderNo, kind: 'refund', lsh, parts: mine });
    }
    if (o.insuranceRefunded && o.insuranceRefundedAt !== undefined && compact(o.insuranceRefundedAt) === daycollate && d?.kind !== 'reversed') {
      entries.push({ orderNo, kind: 'refund', lsh, parts });
    }
  }
  return entries;
}

function wuqiOutputOf(o: SimOrder | undefined): Record<string, unknown> | undefined {
  if (!o || o.route !== 'WUQI' || o.status !== 'PAID' || !o.result || !('wuqi' in o.result.payResponse)) return undefined;
  return o.result.payResponse.wuqi;
}

/** SL01: compares the hospital's totals with the centre's; the day's state decides between 2 and 3. */
export function sl01(platform: SimPlatform, xxnr: Record<string, unknown>): WuqiAnswer {
  const p = sl01Input.safeParse(xxnr);
  if (!p.success) return { ok: false, code: 'C002', message: `入参校验失败: ${describeZodError(p.error)}` };
  const day = p.data.daycollate;
  const date = `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}`;
  if (Number.isNaN(Date.parse(date))) return { ok: false, code: 'C002', message: `对帐日不是日期: ${day}` };
  const answer = (resultcollate: string): WuqiAnswer => ({ ok: true, output: { daycollate: day, resultcollate } });
  if (passedDays(platform).has(day)) return answer('3');
  const ours = totalsOfInput(p.data);
  const centre = sl01Totals(date, centreSl01Entries(platform, day));
  const same = Object.entries(ours).every(([k, v]) => centre[k as keyof typeof centre] === v);
  if (!same) return answer('1');
  passedDays(platform).add(day);
  return answer('2');
}
