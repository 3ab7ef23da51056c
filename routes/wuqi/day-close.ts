// The 五期 route's day close (issue 18 item 4, `send` mode): SL01 对总帐 with the day's V1.0.6 totals
// (§4.6.1). The totals are protocol/recon-wuqi.ts's; the route's workflow part (routes/wuqi/day-close-rules.ts)
// reads the answer. Registered under its own activity name (recorded in histories) by routes/activities.ts.
import { ApplicationFailure } from '@temporalio/activity';
import { maskPersonal } from '../../common/logger';
import type { PlatformClient } from '../../platform/client';
import { sl01InputOf, sl01Output, type Sl01Answer, type Sl01Totals } from '../../protocol/recon-wuqi';
import { wuqiOperator } from '../../protocol/wuqi';

export interface WuqiDayCloseActivities {
  /** SL01 with the day's totals; no answer throws (retried), a refusal is an answer */
  sendSl01(a: { totals: Sl01Totals }): Promise<Sl01Answer>;
}

export function createWuqiDayCloseActivities(deps: { client: PlatformClient }): WuqiDayCloseActivities {
  const { client } = deps;
  return {
    async sendSl01({ totals }) {
      const xxnr = sl01InputOf(totals);
      const r = await client.wuqi({ xxlxm: 'SL01', xxnr, operator: wuqiOperator(client.signIn.operator), outputSchema: sl01Output });
      // SL01 changes the centre's state for the day: a resend after no answer may get "3 对帐已通过" (shown as such)
      if (r.kind === 'unknown')
        throw ApplicationFailure.retryable(`the centre gave no answer to SL01 (msgid ${r.msgid}): ${maskPersonal(r.reason)}`, 'CentreUnavailable');
      if (r.kind === 'business') return { kind: 'refused', msgid: r.msgid, code: r.code, message: maskPersonal(r.message) };
      return { kind: 'answered', msgid: r.msgid, resultcollate: r.output.resultcollate ?? null };
    },
  };
}
