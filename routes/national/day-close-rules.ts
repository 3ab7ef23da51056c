// The national route's part of the day close (workflow-safe): 3201 per group and 3202 where a group is not 平,
// all in one activity (routes/national/day-close.ts reconcileNationalDay), whose answer is the groups' results.
import { DAY_CLOSE_RETRY, type NationalGroupResult } from '../../protocol/centre-reconciliation';
import type { DayCloseRules } from '../route-adapter';

export const nationalDayClose: DayCloseRules = {
  activity: 'reconcileNationalDay',
  // 3202's file goes up (9101), is compared, and comes down (9102): minutes, not seconds. Our own input
  // failing its schema (InvalidRequestError) sent nothing, and a retry would not change that.
  options: { startToCloseTimeout: '15 minutes', retry: { ...DAY_CLOSE_RETRY, nonRetryableErrorTypes: ['InvalidRequestError'] } },
  inputOf: (day) => (day.national.length > 0 ? { date: day.date, orders: day.national } : undefined),
  partOf: (_day, answer) => ({ national: (answer as NationalGroupResult[] | undefined) ?? [] }),
};
