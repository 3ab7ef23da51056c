import type { Setldetail, Setlinfo } from '../../protocol/settlement';

/** The national route's part of the order's view: the verified 2207 output (SE03/SE04 settlement), as received. */
export interface NationalViewPart {
  setlinfo?: Setlinfo;
  setldetail?: Setldetail[];
}

/** The national route needs nothing in the settlement's input beyond the payRequest every order has. */
export type NationalInputPart = object;

/** The national part stays out of the status memo (workflows/status-memo.ts): setlinfo names the person (psn_no, psn_name). */
export const NATIONAL_MEMO_FIELDS = [] as const;
