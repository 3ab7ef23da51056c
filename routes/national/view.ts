import type { Setldetail, Setlinfo } from '../../protocol/settlement';

/** The national route's part of the order's view: the verified 2207 output (SE03/SE04 settlement), as received. */
export interface NationalViewPart {
  setlinfo?: Setlinfo;
  setldetail?: Setldetail[];
}

// The national route's part of the shared shapes (routes/route-adapter.ts). Its input needs nothing beyond the
// payRequest every order has, and its view part stays out of the status memo: setlinfo names the person
// (psn_no, psn_name).
declare module '../route-adapter' {
  interface RouteViewParts extends NationalViewPart {}
}
