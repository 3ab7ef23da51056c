// The 五期 交易返回码 (五期接口 §3.4), each mapped once to what it means for us:
//  - ok: the platform did it (P001);
//  - business: the platform answered and did not do it — final for this attempt;
//  - unknown: we cannot tell whether the platform acted (timeouts, server-side faults, warnings).
// A money-moving call that ends unknown is resolved by a query (SE04/SE06), never re-sent blindly.
// Codes not in §3.4 are unknown too: the reading that never loses or doubles money.

export type WuqiCodeOutcome = 'ok' | 'business' | 'unknown';

export interface WuqiCode {
  code: string;
  /** §3.4 交易返回码说明, verbatim */
  meaning: string;
  outcome: WuqiCodeOutcome;
  /** P610: the queried record does not exist (SE04/SE06: "no such order"). */
  notFound?: true;
  /** P510: SK01/SE07 "已经退款" — proof of an earlier success only after an attempt we could not see end. */
  alreadyRefunded?: true;
  /** Why this outcome, when it is not obvious from the meaning. */
  why?: string;
}

export const WUQI_CODES: readonly WuqiCode[] = [
  { code: 'P001', meaning: '交易成功', outcome: 'ok' },
  { code: 'S001', meaning: '访问权限异常', outcome: 'business', why: 'refused at the door, before any processing' },
  { code: 'A001', meaning: '服务端数据访问异常', outcome: 'unknown', why: 'a server fault mid-transaction: the data may or may not be written' },
  { code: 'A002', meaning: '服务端应用程序异常', outcome: 'unknown', why: 'a server fault mid-transaction: the data may or may not be written' },
  { code: 'C001', meaning: '客户端报文解析错误', outcome: 'business', why: 'the message could not be read, so nothing was done' },
  { code: 'C002', meaning: '客户端报文数据格式错误', outcome: 'business', why: 'the message was refused before processing' },
  { code: 'S002', meaning: '服务端业务处理控制提示', outcome: 'business' },
  { code: 'E001', meaning: '应用错误（详见交易返回信息）', outcome: 'unknown', why: 'an application error says nothing about how far the transaction got' },
  { code: 'T100', meaning: '通信失败，超时', outcome: 'unknown' },
  { code: 'T002', meaning: '通信失败，超时', outcome: 'unknown' },
  { code: 'T004', meaning: '通信失败，超时', outcome: 'unknown' },
  { code: 'T099', meaning: '通信失败，超时', outcome: 'unknown' },
  { code: 'P100', meaning: '数据错误（如：数字格式错误等）', outcome: 'business' },
  { code: 'P200', meaning: '认证错误（如：医院代码不存在等）', outcome: 'business' },
  { code: 'P300', meaning: '结算错误（如：卡已挂失等）', outcome: 'business' },
  { code: 'P400', meaning: '登记撤消错误（如：医院无此权限等）', outcome: 'business' },
  { code: 'P410', meaning: '已处于登记状态，无须再次登记', outcome: 'business' },
  { code: 'P420', meaning: '未进行过相应登记', outcome: 'business' },
  { code: 'P500', meaning: '退款错误（如：未找到交易记录等）', outcome: 'business' },
  { code: 'P510', meaning: '退款：该笔交易已经退款，不能重复退款', outcome: 'business', alreadyRefunded: true },
  { code: 'P600', meaning: '交易查询错误（如：交易记录与医院代码不符等）', outcome: 'business' },
  { code: 'P610', meaning: '交易查询未找到相应记录', outcome: 'business', notFound: true },
  { code: 'P700', meaning: '保障卡错误', outcome: 'business' },
  { code: 'P800', meaning: '医院权限错误（如：医院无家床结算的权限）', outcome: 'business' },
  { code: 'P900', meaning: '其他错误，具体信息从“系统提示信息”中获取', outcome: 'business' },
  { code: 'P010', meaning: '警告信息', outcome: 'unknown', why: 'a warning is neither a success (P001) nor a refusal: query before believing either' },
];

const BY_CODE = new Map(WUQI_CODES.map((c) => [c.code, c]));

/** The §3.4 entry for a code; a code §3.4 does not list is unknown (we cannot tell what happened). */
export function wuqiCode(code: string): WuqiCode {
  return BY_CODE.get(code) ?? { code, meaning: '规范§3.4未列出的返回码', outcome: 'unknown', why: 'not in §3.4' };
}

export const WUQI_OK = 'P001';

/**
 * An SK01 refusal that names the 令牌 (电子凭证): §3.4 has no code for it, so its 凭证 errors P300 结算错误（如：
 * 卡已挂失等） and P700 保障卡错误, or a 系统提示信息 saying the 令牌/电子凭证 expired or is invalid. Any business
 * refusal of SK01 ends the refund REFUND_FAILED (nothing moved); this only picks the reason, which asks
 * for a fresh e-voucher.
 */
export function isTokenRefusal(code: string, message: string): boolean {
  if (code === 'P300' || code === 'P700') return true;
  return /令牌|电子凭证|凭证码/.test(message) && /失效|过期|无效|超时|重新申请/.test(message);
}
