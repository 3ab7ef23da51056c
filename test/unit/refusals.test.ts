import { nationalAlreadyRefunded, readQueryRefusal, type QueryRefusal } from '../../protocol/refusals';
import { SIGN_IN_REFUSAL } from '../../routes/national/simulator/platform';
import { WUQI_CODES } from '../../protocol/wuqi-codes';

// Every wording and code protocol/refusals.ts recognises, and what it means. A sign-in refusal is never
// "not found"; P600 is not "not found" either (五期 §3.4: 交易查询错误（如：交易记录与医院代码不符等）).

const national: Array<[string, QueryRefusal]> = [
  // sign-in wording wins over any other wording it carries
  ['签到流水号不存在', 'signIn'],
  ['签到流水号无效或已签退，请先调用【9001】签到', 'signIn'],
  [SIGN_IN_REFUSAL, 'signIn'],
  ['操作员已签退', 'signIn'],
  ['sign_no not found', 'signIn'],
  ['未找到签到信息', 'signIn'],
  ['交易处理中，未签到', 'signIn'],
  // processing
  ['订单处理中', 'processing'],
  ['支付中，请稍后查询', 'processing'],
  ['结算中', 'processing'],
  ['退款进行中', 'processing'],
  // not found
  ['未找到该电子凭证令牌的支付订单', 'notFound'],
  ['未找到该电子凭证令牌的退款申请', 'notFound'],
  ['订单不存在', 'notFound'],
  ['无此交易', 'notFound'],
  ['order not found', 'notFound'],
  // anything else: unknown
  ['系统繁忙，请稍后再试', 'unknown'],
  ['支付失败', 'unknown'],
  ['', 'unknown'],
];

test.each(national)('national SE04/SE06 refusal %j reads as %s', (message, meaning) => {
  expect(readQueryRefusal('NATIONAL', { code: '-1', message })).toBe(meaning);
});

test('a national refusal is read by its wording only: P610/P600 as an infcode mean nothing', () => {
  expect(readQueryRefusal('NATIONAL', { code: 'P610', message: '系统繁忙' })).toBe('unknown');
  expect(readQueryRefusal('NATIONAL', { code: 'P600', message: '系统繁忙' })).toBe('unknown');
});

const wuqi: Array<[string, string, QueryRefusal]> = [
  ['P610', '交易查询未找到相应记录', 'notFound'],
  ['P610', '', 'notFound'],
  // P600 is a query error, not "no record", whatever its text says
  ['P600', '交易记录与医院代码不符', 'unknown'],
  ['P600', '未找到', 'unknown'],
  ['P900', '订单不存在', 'unknown'],
  ['P900', '交易处理中', 'processing'],
  ['P610', '签到流水号不存在', 'signIn'],
  ['T100', '通信失败，超时', 'unknown'],
];

test.each(wuqi)('五期 SE04/SE06 refusal %s %j reads as %s', (code, message, meaning) => {
  expect(readQueryRefusal('WUQI', { code, message })).toBe(meaning);
});

test('of the §3.4 codes only P610 is "not found"', () => {
  const notFound = WUQI_CODES.filter((c) => readQueryRefusal('WUQI', { code: c.code, message: c.meaning }) === 'notFound').map((c) => c.code);
  expect(notFound).toEqual(['P610']);
});

test.each([
  ['该笔交易已经退款', true],
  ['不能重复退款', true],
  ['结算已撤销', true],
  ['签到已撤销', false],
  ['签到流水号不存在，不能重复退款', false],
  ['人员编号或就诊ID与结算记录不一致', false],
])('national 2208/SE07 refusal %j is "already refunded": %s', (message, expected) => {
  expect(nationalAlreadyRefunded(message)).toBe(expected);
});
