import type { Route } from '../protocol/routing';
import type { WuqiBill } from '../protocol/wuqi-bills';
import type { build2207Output } from '../routes/national/simulator/calc';
import type { WuqiSplit } from '../routes/wuqi/simulator/calc';

// The simulated platform's records, as data: platform.ts keeps them, routes/wuqi/simulator/platform.ts
// and routes/national/simulator/platform.ts act on them. On their own so that those modules need not import
// platform.ts (no import cycle).

export type SimResult<T = unknown> = { ok: true; output: T } | { ok: false; message: string };

export interface CashRefund {
  refundNo: string;
  amountFen: number;
  requestedAt: number;
  finishAt: number;
  status: '0' | '1' | '-1';
  rmt?: string;
}

export interface SimOrder {
  orderNo: string;
  route: Route;
  ecToken: string;
  personId: string;
  msgid: string;
  medfeeFen: number;
  medType: string;
  mdtrtId: string;
  useAccount: boolean;
  se02Count: number;
  acceptedAt: number;
  settleAt: number;
  status: 'PROCESSING' | 'PAID' | 'FAILED';
  result?: {
    /** 五期 orders: { wuqi: the SH02/SI12 output } (routes/wuqi/simulator/platform.ts) */
    payResponse: ReturnType<typeof build2207Output> | { error: string } | { wuqi: Record<string, string> };
    gmt: string;
    channel: 'wechat' | 'alipay' | 'unionpay' | 'ybpay';
    thirdOrderNo?: string;
    tradeNo?: string;
    cashFen: number;
    billTime?: string;
    setlId?: string;
  };
  insuranceRefunded: boolean;
  /** The 2208 that refunded the insurance part: its msgid (the refund record's medins_setl_id), time and reverse setl_id (national 表122). */
  insuranceRefund?: { msgid: string; at: number; setlId: string };
  /** When the insurance part was refunded (2208 / SK01), epoch ms: the refund's day in the centre's books (3201, SL01). */
  insuranceRefundedAt?: number;
  cashRefund?: CashRefund;
  /** Settled through the /gjptqzyy-test path: no SE03/SE05 pushes for it (V13 §3.2). */
  noPush?: boolean;
  se07Calls?: number;
  /** 五期 orders: the bill and its split (routes/wuqi/simulator/platform.ts) */
  wuqi?: WuqiOrderPart;
}

/** 五期 orders: the bill and its split (routes/wuqi/simulator/platform.ts). */
export interface WuqiOrderPart {
  bill: WuqiBill;
  split?: WuqiSplit;
  /** 中心流水号 (16) */
  lsh?: string;
  sk01Count?: number;
}
