// The 五期 route's part of the day close (workflow-safe): SL01 with the day's V1.0.6 totals (§4.6.1), sent by
// routes/wuqi/day-close.ts sendSl01; its resultcollate read as protocol/recon-wuqi.ts reads it.
import { DAY_CLOSE_RETRY, wuqiResultOf } from '../../protocol/centre-reconciliation';
import { sl01Totals, type Sl01Answer } from '../../protocol/recon-wuqi';
import type { DayCloseRules } from '../route-adapter';

export const wuqiDayClose: DayCloseRules = {
  activity: 'sendSl01',
  options: { startToCloseTimeout: '5 minutes', retry: DAY_CLOSE_RETRY },
  inputOf: (day) => (day.wuqi.length > 0 ? { totals: sl01Totals(day.date, day.wuqi) } : undefined),
  partOf: (day, answer) => {
    const totals = sl01Totals(day.date, day.wuqi);
    const sl01 = answer as Sl01Answer | undefined;
    if (sl01?.kind === 'refused')
      return { wuqi: { ...wuqiResultOf(totals, { msgid: sl01.msgid, resultcollate: null }), meaning: `SL01 refused: ${sl01.code} ${sl01.message}`.trim() } };
    return { wuqi: wuqiResultOf(totals, sl01) };
  },
};
