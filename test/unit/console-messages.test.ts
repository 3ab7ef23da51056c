import * as fs from 'node:fs';
import * as path from 'node:path';

// The console's message catalog (api/console/assets/messages.js, plain browser JS, also a CommonJS module).
const m = require('../../api/console/assets/messages.js') as {
  REASONS: Record<string, [string, string]>;
  reason(text?: string): { zh: string; en: string; code: string; detail: string };
  status(code: string): string;
  shanghaiTime(iso?: string): string;
};

const ROOT = path.resolve(__dirname, '../..');

/** Every "CODE: …" reason the workflows and activities write (a string literal that starts with a code and a colon). */
function reasonCodesInSource(): Set<string> {
  const found = new Set<string>();
  const walk = (dir: string) => {
    for (const f of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, f.name);
      if (f.isDirectory()) walk(p);
      else if (p.endsWith('.ts')) for (const x of fs.readFileSync(p, 'utf8').matchAll(/[`'"]([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+): /g)) found.add(x[1]!);
    }
  };
  ['workflows', 'activities', 'protocol'].forEach((d) => walk(path.join(ROOT, d)));
  return found;
}

test('every reason code the workflows write, and those the brief names, has a Chinese sentence', () => {
  const named = [
    'PUSH_UNCONFIRMED',
    'SUBMIT_OUTCOME_UNKNOWN',
    'NO_FINAL_RESULT',
    'PUSH_CONFLICT',
    'CASH_REFUND_NOT_SEEN',
    'REVERSAL_UNCONFIRMED',
    'INSURANCE_REFUND_UNKNOWN',
    'SETL_CLAIM_UNAVAILABLE',
    'SETL_ID_HELD_BY_OTHER_ORDER',
    'FOREIGN_ORDER',
    'CASH_AMOUNT_MISMATCH',
    'UNKNOWN_ECTOKEN',
    'ORDER_CLOSED',
    'LATE_RESULT_AFTER_FAILED',
    'SE02_NOT_RECEIVED',
    'PAY_FAILED',
    'ECTOKEN_REFUSED',
    'POLL_FAILED',
  ];
  const inSource = [...reasonCodesInSource()];
  expect(inSource.length).toBeGreaterThan(30);
  const missing = [...named, ...inSource].filter((c) => !m.REASONS[c]);
  expect(missing).toEqual([]);
  for (const [code, [zh, en]] of Object.entries(m.REASONS)) {
    expect([code, /[\u4e00-\u9fff]/.test(zh), en.length > 0]).toEqual([code, true, true]);
  }
});

test('a reason reads as its sentence, with the code and the detail beside it', () => {
  expect(m.reason('CASH_AMOUNT_MISMATCH: channel amount 3704 fen, psn_cash_pay 3804 fen')).toEqual({
    zh: '第三方支付金额与个人现金支付金额不符',
    en: 'CASH_AMOUNT_MISMATCH · The channel amount differs from the cash part — channel amount 3704 fen, psn_cash_pay 3804 fen',
    code: 'CASH_AMOUNT_MISMATCH',
    detail: 'channel amount 3704 fen, psn_cash_pay 3804 fen',
  });
  // a refund's reason on its order; a code without a colon (POLL_FAILED unknown: …); nested codes keep the outer one
  expect(m.reason('refund: CASH_REFUND_NOT_SEEN: nothing seen').zh).toBe('退款：医保部分已退，现金部分未见退款（可申请 SE07 现金改账）');
  expect(m.reason('POLL_FAILED unknown: HTTP 500')).toMatchObject({ code: 'POLL_FAILED', zh: '查询平台结果失败', detail: 'unknown: HTTP 500' });
  expect(m.reason('PUSH_UNCONFIRMED: push: CASH_AMOUNT_MISMATCH: x')).toMatchObject({
    code: 'PUSH_UNCONFIRMED',
    zh: '推送结果未能由查询确认：截止时仍无一致的查询结果，请与平台核对（第三方支付金额与个人现金支付金额不符）',
  });
  expect(m.reason('UNKNOWN_ECTOKEN')).toMatchObject({ code: 'UNKNOWN_ECTOKEN', zh: '推送的电子凭证令牌（ecToken）找不到对应订单', detail: '' });
  // plain phrases
  expect(m.reason('by push').zh).toBe('平台推送确认支付');
  expect(m.reason('resolved by 财务李 (key clerk): 已核对').zh).toBe('由 财务李 (key clerk) 人工处理：已核对');
  // an unknown code still shows itself, never nothing; no reason, no text
  expect(m.reason('NEW_CODE_X: detail')).toEqual({ zh: '原因代码 NEW_CODE_X', en: 'NEW_CODE_X: detail', code: 'NEW_CODE_X', detail: 'detail' });
  expect(m.reason(undefined).zh).toBe('');
});

test('statuses in Chinese; times in Shanghai, across the UTC day boundary', () => {
  expect(m.status('NEEDS_REVIEW')).toBe('待复核');
  expect(m.status('SOMETHING_NEW')).toBe('SOMETHING_NEW');
  expect(m.shanghaiTime('2026-12-04T16:30:05.123Z')).toBe('2026-12-05 00:30:05');
  expect(m.shanghaiTime('2026-12-31T23:59:59Z')).toBe('2027-01-01 07:59:59');
  expect(m.shanghaiTime(undefined)).toBe('');
});
