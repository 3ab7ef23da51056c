import { onlineOpterType } from '../../protocol/national-header';
import { se03Output, se05Output, se06Output, se04Output, se02Input } from '../../protocol/se-messages';
import { v13Sample } from '../fixtures';

const se03 = () => structuredClone(v13Sample('se03-push').output);
const se05 = () => structuredClone(v13Sample('se05-push').output);

describe('opter_type must be 4 or 5 for online calls', () => {
  test.each(['4', '5'])('accepts %s', (v) => expect(onlineOpterType.safeParse(v).success).toBe(true));
  test.each(['1', '3', '6', ''])('refuses %j', (v) => {
    const r = onlineOpterType.safeParse(v);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe('opter_type must be 4 or 5 for online calls');
  });
});

describe('channel ≠ ybpay requires orderNo, tradeNo, amount and billTime', () => {
  test('alipay with all four passes', () => expect(se03Output.safeParse(se03()).success).toBe(true));
  test.each(['orderNo', 'tradeNo', 'amount', 'billTime'])('alipay without %s fails on that field', (k) => {
    const v = se03();
    delete v[k];
    const r = se03Output.safeParse(v);
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toContain(k);
  });
  test('ybpay without them passes', () => {
    const v = se03();
    v.channel = 'ybpay';
    for (const k of ['orderNo', 'tradeNo', 'amount', 'billTime']) delete v[k];
    expect(se03Output.safeParse(v).success).toBe(true);
  });
  test('a failed payment (-1) need not carry third-party fields', () => {
    const v = se03();
    v.payStatus = '-1';
    v.payResponse = '第三方支付失败';
    for (const k of ['orderNo', 'tradeNo', 'amount', 'billTime']) delete v[k];
    expect(se03Output.safeParse(v).success).toBe(true);
  });
  test('SE04 settled result without tradeNo fails', () => {
    const v = structuredClone(v13Sample('se04-response').output);
    delete v.tradeNo;
    expect(se04Output.safeParse(v).success).toBe(false);
  });
});

describe("refundStatus '1' requires rmt, orderNo, refundNo, amount, channel, billTime", () => {
  test('complete success passes', () => expect(se05Output.safeParse(se05()).success).toBe(true));
  test.each(['rmt', 'orderNo', 'refundNo', 'amount', 'channel', 'billTime'])('success without %s fails', (k) => {
    const v = se05();
    delete v[k];
    const r = se05Output.safeParse(v);
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toContain(k);
  });
  test('failure (-1) needs none of them', () => {
    expect(se05Output.safeParse({ ecToken: 'tok', refundStatus: '-1' }).success).toBe(true);
  });
  test('SE06 in progress (0) needs none of them', () => {
    expect(se06Output.parse({ ecToken: 'tok', refundStatus: '0' }).refundStatus).toBe('0');
  });
  test('SE06 without refundStatus and without refundNo is refused', () => {
    expect(se06Output.safeParse({ ecToken: 'tok' }).success).toBe(false);
  });
});

describe('max lengths', () => {
  test('ecToken longer than 63 is refused', () => {
    const v = se03();
    v.ecToken = 'x'.repeat(64);
    const r = se03Output.safeParse(v);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe('at most 63 characters');
  });
  test('tradeNo longer than 64 is refused', () => {
    const v = se03();
    v.tradeNo = 'x'.repeat(65);
    expect(se03Output.safeParse(v).success).toBe(false);
  });
  test('SE02 orderNo must follow the generation rule', () => {
    const input = structuredClone(v13Sample('se02-request').input);
    expect(se02Input.safeParse(input).success).toBe(true);
    input.orderNo = 'H31011000053-short';
    expect(se02Input.safeParse(input).success).toBe(false);
  });
  test('payResponse that is not JSON is refused with a clear message', () => {
    const v = se03();
    v.payResponse = '{not json';
    const r = se03Output.safeParse(v);
    expect(r.success).toBe(false);
    expect(r.error?.issues.some((i) => i.message === 'is not valid JSON')).toBe(true);
  });
});
