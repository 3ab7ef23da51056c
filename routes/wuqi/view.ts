import type { Sl01Parts } from '../../protocol/recon-wuqi';
import type { WuqiBill } from '../../protocol/wuqi-bills';

/** What the order keeps of a verified 五期 settlement: 中心流水号, 计算申请序号 and its parts in yuan (protocol/wuqi-verify.ts wuqiSettlementFacts). */
export interface WuqiSettlementView {
  type: string;
  lsh: string;
  jssqxh: string;
  totalexpense: string;
  cash: string;
  fund: string;
  account: string;
  inScopeCash?: string;
  selfPay?: string;
  selfPayAccount?: string;
  /** the settlement's SL01 parts for the day close (protocol/recon-wuqi.ts) */
  sl01?: Sl01Parts;
}

/** The 五期 route's part of the order's view. */
export interface WuqiViewPart {
  /** 五期 route: the verified settlement's 中心流水号, 计算申请序号 and its parts in yuan (wuqiSettlementFacts). */
  wuqi?: WuqiSettlementView;
}

/** The 五期 route's part of the settlement's input. */
export interface WuqiInputPart {
  /** The 五期 bill (SH02/SI12 xxnr), for persons who settle in 五期. */
  wuqiPayRequest?: WuqiBill;
  /** The 五期 医疗机构代码 (WUQI_ORG_CODE): our 五期 orderNo is it + the orderNo's last 23 digits (foreignOrder). Absent in earlier histories. */
  wuqiOrgCode?: string;
}

// The 五期 route's part of the shared shapes (routes/route-adapter.ts): its view part (kept in the status memo:
// ids and amounts, nothing that names the person), its input part, and its own event type.
declare module '../route-adapter' {
  interface RouteViewParts extends WuqiViewPart {}
  interface RouteInputParts extends WuqiInputPart {}
  interface RouteMemoFields {
    wuqi: true;
  }
  interface RouteOwnEvents {
    /** SK01's outcome checked against the platform (routes/wuqi/refund-policy.ts) */
    SK01_CHECKED: true;
  }
}
