import { randomBytes, randomInt } from 'node:crypto';
import { formatYuan, toFen } from '../../../protocol/money';
import { compactDate, formatDateTime } from '../../../protocol/shanghai-time';
import { buildWuqiReply } from '../../../protocol/wuqi';
import type { WuqiBill } from '../../../protocol/wuqi-bills';
import type { Sk01Input } from '../../../protocol/wuqi-results';
import type { SimPerson } from '../../../simulator/sim-person';
import type { SimOrder } from '../../../simulator/sim-order';

export type { WuqiOrderPart } from '../../../simulator/sim-order';
import { buildSk01Output, buildWuqiOutput, cashOf, splitWuqiBill } from './calc';

// The simulated 五期's books: settling a bill into its output table, SK01 by 中心流水号, and the cash
// refund the platform starts by itself after SK01 (五期 §2.4: "先…进行医保退款，再返回电子凭证中心进行个人部分退款").

// a random start, so that a restarted simulator does not hand out the lsh of an earlier run on the same day
let lshSeq = randomInt(0, 1_000_000);
/** A 16-character 中心流水号. */
function newLsh(at: number): string {
  lshSeq = (lshSeq + 1) % 1_000_000;
  return `${compactDate(at)}${String(randomInt(0, 100)).padStart(2, '0')}${String(lshSeq).padStart(6, '0')}`;
}

/** Settles a 五期 order: the bill type's output with the sum rules holding. */
export function settleWuqiOrder(order: SimOrder, person: SimPerson, at: number): NonNullable<SimOrder['result']> {
  const part = order.wuqi!;
  const bill = part.bill;
  const split = splitWuqiBill(person, bill);
  const lsh = newLsh(at);
  part.split = split;
  part.lsh = lsh;
  const jssqxh = bill.xxnr.jssqxh || `JS${compactDate(at)}${randomBytes(6).toString('hex')}`;
  const jzdyh = 'jzdyh' in bill.xxnr ? bill.xxnr.jzdyh : `JZ${compactDate(at)}${String(randomInt(0, 1e9)).padStart(9, '0')}`;
  const cashFen = cashOf(split);
  const channel = cashFen > 0 ? person.channel : 'ybpay';
  return {
    payResponse: { wuqi: buildWuqiOutput({ person, bill, split, lsh, jssqxh, jzdyh }) },
    gmt: formatDateTime(at),
    channel,
    cashFen,
    ...(channel === 'ybpay'
      ? {}
      : { thirdOrderNo: `TP${order.orderNo.slice(-20)}`, tradeNo: `${channel.toUpperCase()}${randomBytes(8).toString('hex')}`, billTime: compactDate(at) }),
  };
}

/** The envelope of a 五期 push (§3.2.1, every node present) around an SE03/SE05 xxnr. */
export function wuqiPushBody(kind: 'SE03' | 'SE05', xxnr: Record<string, unknown>, now: number): Record<string, unknown> {
  const msgid = `31000000000${compactDate(now)}${String(randomInt(0, 1e9)).padStart(9, '0')}`;
  return { ...buildWuqiReply({ xxlxm: kind, msgid, xxfhm: '', fhxx: '', xxnr, now }), jyqd: '20' };
}

/** What SK01 needs of the simulated platform (SimPlatform in simulator/platform.ts has it; named here to keep the import one-way). */
export interface Sk01Books {
  readonly settings: { sk01RefusesExpiredTokens: boolean };
  wuqiOrderByLsh(lsh: string): SimOrder | undefined;
  tokenRecord(ecToken: string): { personId: string; expiresAt: number } | undefined;
  clock(): number;
  person(id: string): SimPerson | undefined;
  autoCashRefund(order: SimOrder): void;
}

export type WuqiAnswer = { ok: true; output: Record<string, unknown> } | { ok: false; code: string; message: string };

/** The code SK01 refuses an expired 令牌 with (setting sk01RefusesExpiredTokens): §3.4 has no token code; P300 结算错误（如：卡已挂失等） is its 凭证 error. */
export const SK01_TOKEN_REFUSED = { code: 'P300', message: '电子凭证令牌已失效，请重新申请电子凭证及令牌' } as const;

/**
 * SK01 (§4.4.1): the order is found by translsh (= its lsh) and must match the 交易费用总额. carddata is the
 * settlement's 令牌 or a fresh one of the same person; with the setting sk01RefusesExpiredTokens an expired
 * 令牌 is refused (SK01_TOKEN_REFUSED). P610 when there is no such transaction, P510 when it was refunded
 * already. On success the cash part is refunded by the platform itself, ending in an SE05 push to /shyb/refund.
 */
export function sk01(platform: Sk01Books, input: Sk01Input): WuqiAnswer {
  const order = platform.wuqiOrderByLsh(input.translsh);
  if (!order || order.status !== 'PAID' || !order.wuqi?.split) return { ok: false, code: 'P610', message: '未找到中心流水号对应的交易记录' };
  order.wuqi.sk01Count = (order.wuqi.sk01Count ?? 0) + 1;
  const token = platform.tokenRecord(input.carddata);
  if (input.carddata !== order.ecToken && token?.personId !== order.personId) return { ok: false, code: 'P500', message: '凭证码与原交易不一致' };
  if (platform.settings.sk01RefusesExpiredTokens && (!token || token.expiresAt < platform.clock())) return { ok: false, ...SK01_TOKEN_REFUSED };
  if (toFen(input.totalexpense) !== order.wuqi.split.totalFen) {
    return { ok: false, code: 'P500', message: `交易费用总额与原交易不一致(原交易 ${formatYuan(order.wuqi.split.totalFen)})` };
  }
  if (order.insuranceRefunded) return { ok: false, code: 'P510', message: '该笔交易已经退款，不能重复退款' };
  order.insuranceRefunded = true;
  order.insuranceRefundedAt = platform.clock();
  const person = platform.person(order.personId)!;
  platform.autoCashRefund(order);
  return { ok: true, output: buildSk01Output({ person, split: order.wuqi.split, translsh: input.translsh }) };
}
