import { safeFailureText, scrub } from '../../protocol/failure-text';
import { payResultFromPush } from '../../protocol/pay-result';
import { se03Output } from '../../protocol/se-messages';
import { wuqiPayResultFromPush, wuqiSe03Output } from '../../protocol/wuqi-results';

const NAME = '测试职工甲';
const IDNO = '310101199001011234';
const PSN = '801874939';
const BRDY = '1990-01-01';
const personal = { psn_name: NAME, name: NAME, certno: IDNO, psn_no: PSN, brdy: BRDY };
const leaks = (t: string) => [NAME, IDNO, PSN, BRDY, '19900101'].filter((v) => t.includes(v));

describe('safeFailureText: codes and scrubbed messages of a failed payResponse', () => {
  test('a national envelope echoing the person keeps infcode and err_msg, the person scrubbed', () => {
    const t = safeFailureText(JSON.stringify({ infcode: -1, err_msg: `${NAME}(${IDNO}) 出生${BRDY} 人员${PSN} 余额不足`, ...personal }));
    expect(leaks(t)).toEqual([]);
    expect(t).toMatch(/^code -1: .*余额不足$/);
    expect(t).toBe('code -1: *****(********) 出生******** 人员******** 余额不足');
  });

  test('a 五期 xxnr keeps xxfhm and fhxx', () => {
    expect(safeFailureText({ xxfhm: 'T100', fhxx: '第三方支付失败', xm: NAME, sfzh: IDNO })).toBe('code T100: 第三方支付失败');
  });

  test('personal fields alone leave no text of them', () => {
    const t = safeFailureText(personal);
    expect(t).toBe('payStatus -1 (payResponse without an error code or message)');
  });

  test('free text keeps its words, loses ID numbers, long digit runs and dates', () => {
    expect(safeFailureText('第三方支付失败')).toBe('第三方支付失败');
    expect(leaks(safeFailureText(`支付失败 ${IDNO} ${PSN} 1990年1月1日 19900101`))).toEqual([]);
    expect(scrub(`证件 ${IDNO}`, [])).toBe('证件 310101***********4');
  });

  test('an order number or setl_id inside a message is not taken for an ID number', () => {
    expect(scrub('setl_id 44020', [])).toBe('setl_id 44020');
  });

  test('at most 120 characters', () => {
    expect([...safeFailureText({ err_msg: '失'.repeat(500) })].length).toBeLessThanOrEqual(120);
  });

  test('the national and 五期 SE03 mappings use it', () => {
    const base = { ecToken: 'tok', payStatus: '-1', gmt: '2026-12-04 10:00:00', channel: 'wechat' };
    const national = payResultFromPush(se03Output.parse({ ...base, payResponse: JSON.stringify({ err_msg: `${NAME} 支付失败`, ...personal }) }));
    expect(national.failureText).toBe('*****' + ' 支付失败');
    const wuqi = wuqiPayResultFromPush(wuqiSe03Output.parse({ ...base, payResponse: JSON.stringify({ fhxx: `${NAME} 支付失败`, xm: NAME }) }));
    expect(leaks(wuqi.failureText!)).toEqual([]);
  });
});
