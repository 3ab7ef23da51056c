import type { Duration } from '@temporalio/common';
import type { AccountAnswer, IdentityAnswer, PayQueryOutcome, Submit } from '../../activities/contract';
import type { PayResult } from '../../protocol/pay-result';
import { payPushSignal, refundPushSignal, refundWorkflowId, requestRefundUpdate, type SettlementInput, type SettlementView } from '../../workflows/messages';
import { operator } from '../helpers/api-client';
import { useTimeSkipping, types } from './env';
import { CLAIM_UNAVAILABLE, paid, refunded, WUQI_ACCOUNT, type Script } from './fake-platform';

// The scenario matrix (issue 21 item 3): each row scripts the platform for one order and names where it
// ends: status, reason code and the platform calls made. Real workflow code, real default timing.
const ts = useTimeSkipping();

const found = (r: PayResult): PayQueryOutcome => ({ kind: 'result', result: r });
type Make = (ecToken: string, orderNo: string) => PayResult;
const withSetl = (setl: Record<string, string>, over: Partial<PayResult> = {}): Make => (e, o) => paid(e, o, over, setl);

interface SettlementRow {
  name: string;
  input?: Partial<SettlementInput>;
  qr?: boolean;
  script?: (e: string, o: string) => Script;
  /** SE04 answers (a function gets the order's ecToken and orderNo) */
  se04?: Array<PayQueryOutcome | Make>;
  claimUnavailable?: boolean;
  skip?: Duration;
  status: string;
  reason: RegExp;
  se02?: number;
  event?: string;
}

const settlementRows: SettlementRow[] = [
  // national verification of a result, each reason code (verify.ts), decided by the SE04 answer alone
  { name: 'ECTOKEN_MISMATCH', se04: [(e, o) => paid(`${e}X`, o)], status: 'NEEDS_REVIEW', reason: /^query: ECTOKEN_MISMATCH/ },
  { name: 'NO_SETLINFO', se04: [(e, o) => ({ ...paid(e, o), setlinfo: undefined })], status: 'NEEDS_REVIEW', reason: /^query: NO_SETLINFO/ },
  { name: 'MEDFEE_MISMATCH', se04: [withSetl({ medfee_sumamt: '101.00', fund_pay_sumamt: '71.00' })], status: 'NEEDS_REVIEW', reason: /^query: MEDFEE_MISMATCH/ },
  { name: 'SETLINFO_INCONSISTENT', se04: [withSetl({ fund_pay_sumamt: '71.00' })], status: 'NEEDS_REVIEW', reason: /^query: SETLINFO_INCONSISTENT/ },
  { name: 'YBPAY_WITH_CASH', se04: [withSetl({}, { channel: 'ybpay' })], status: 'NEEDS_REVIEW', reason: /^query: YBPAY_WITH_CASH/ },
  { name: 'CASH_AMOUNT_MISSING', se04: [withSetl({}, { amount: undefined })], status: 'NEEDS_REVIEW', reason: /^query: CASH_AMOUNT_MISSING/ },
  { name: 'UNREADABLE_AMOUNT', se04: [withSetl({}, { amount: '三十' })], status: 'NEEDS_REVIEW', reason: /^query: UNREADABLE_AMOUNT/ },
  { name: 'FOREIGN_ORDER by poll (a national orderNo of another of our orders)', se04: [(e, o) => paid(e, o.slice(0, -6) + '999999')], status: 'NEEDS_REVIEW', reason: /FOREIGN_ORDER/ },
  // identity, route and submission
  { name: 'IDENTITY_MISMATCH (QR)', qr: true, script: () => ({ decodeQr: { kind: 'ok', ecToken: 'x', identityMatches: false } as IdentityAnswer }), status: 'FAILED', reason: /^IDENTITY_MISMATCH/, se02: 0 },
  { name: 'ACCOUNTATTR_INVALID', script: () => ({ account: { kind: 'ok', accountattr: '100', nameMatches: null } as AccountAnswer }), status: 'FAILED', reason: /^ACCOUNTATTR_INVALID/, se02: 0 },
  { name: 'ROUTE_WUQI_NO_PAYREQUEST', script: () => ({ account: WUQI_ACCOUNT }), status: 'FAILED', reason: /^ROUTE_WUQI_NO_PAYREQUEST/, se02: 0 },
  { name: 'SE02_REJECTED', script: () => ({ se02: [{ kind: 'business', msgid: 'M', code: '-1', message: '参数错误' } as Submit] }), status: 'FAILED', reason: /^SE02_REJECTED: 参数错误/, se02: 1 },
  {
    name: 'SE02_RESUBMIT_REFUSED: a refused resubmission proves nothing; still no order, so SE02_NOT_RECEIVED once the token cannot settle',
    script: () => ({ se02: [{ kind: 'unknown', msgid: 'M1', reason: 'timeout' }, { kind: 'business', msgid: 'M2', code: '-1', message: '重复交易' }] as Submit[] }),
    se04: [{ kind: 'notFound', message: '无此订单' }],
    skip: '20 minutes',
    status: 'FAILED',
    reason: /^SE02_NOT_RECEIVED/,
    se02: 2,
    event: 'SE02_RESUBMIT_REFUSED',
  },
  { name: 'SETL_CLAIM_UNAVAILABLE: ownership cannot be proven, never PAID', se04: [(e, o) => paid(e, o)], claimUnavailable: true, skip: '1 minute', status: 'NEEDS_REVIEW', reason: /^SETL_CLAIM_UNAVAILABLE/ },
];

describe('settlement scenario matrix', () => {
  test.each(settlementRows.map((r) => [r.name, r]))('%s', async (_n, row) => {
    const ecToken = `TOK-m-${settlementRows.indexOf(row)}`;
    const o = await ts.start({ ...(row.qr ? { identity: { ecQrCode: `QR-${ecToken}`, ecQrChannel: '1' } } : {}), ...row.input }, ecToken);
    if (row.claimUnavailable) ts.fake.claims.set(`setl:SETL-${ecToken}`, CLAIM_UNAVAILABLE);
    ts.fake.script(ecToken, { ...row.script?.(ecToken, o.orderNo), ...(row.se04 ? { se04: row.se04.map((a) => (typeof a === 'function' ? found(a(ecToken, o.orderNo)) : a)) } : {}) });
    await ts.env.sleep(row.skip ?? '20 seconds');
    const v = await ts.until(o.orderNo, (x) => x.status !== 'PROCESSING', 30_000);
    expect({ status: v.status, reason: v.reason }).toEqual({ status: row.status, reason: expect.stringMatching(row.reason) });
    if (row.se02 !== undefined) expect(ts.fake.names(ecToken).filter((n) => n === 'submitSe02')).toHaveLength(row.se02);
    if (row.event) expect(types(v)).toContain(row.event);
    expect(v.setlinfo).toBeUndefined(); // nothing unverified is ever kept as the settlement
  });
});

// ---- refunds ----
const se06 = (status: '1' | '0' | '-1', amount?: string) => ({ kind: 'result' as const, result: refunded('x', status, amount) });
const calls = (ecToken: string, name: string) => ts.fake.names(ecToken).filter((n) => n === name).length;

/** A PAID national settlement (by push), then a refund with this script. */
async function refundOf(ecToken: string, script: (orderNo: string) => Script, skip: Duration): Promise<SettlementView> {
  const o = await ts.start({ insuplcAdmdvs: '320100' }, ecToken);
  const r = paid(ecToken, o.orderNo);
  ts.fake.script(ecToken, { onSe02: () => ts.client.workflow.getHandle(o.orderNo).signal(payPushSignal, { ...r, source: 'push' }), se04: [found(r)], ...script(o.orderNo) });
  await ts.until(o.orderNo, (v) => v.status === 'PAID');
  await ts.client.workflow.getHandle(o.orderNo).executeUpdate(requestRefundUpdate, { args: [{ operator, reason: 'matrix' }] });
  await ts.env.sleep(skip);
  return ts.until(o.orderNo, (v) => ['REFUNDED', 'REFUND_FAILED', 'NEEDS_REVIEW'].includes(v.status), 30_000);
}
const pushRefund = (orderNo: string, r: ReturnType<typeof refunded>) => ts.client.workflow.getHandle(refundWorkflowId(orderNo)).signal(refundPushSignal, r);

interface RefundRow {
  name: string;
  script: (orderNo: string, ecToken: string) => Script;
  skip?: Duration;
  status: string;
  reason: RegExp;
  calls: Partial<Record<'refundInsurance' | 'reverseInsuranceRefund' | 'submitSe07', number>>;
}

const refundRows: RefundRow[] = [
  {
    name: 'a refused 2601: NEEDS_REVIEW REVERSAL_UNCONFIRMED, no second 2208',
    script: () => ({ insurance: [{ kind: 'unknown', msgid: '', reason: 'timeout' }], reversal: [{ kind: 'business', msgid: '', code: '-1', message: '原交易不存在' }] }),
    status: 'NEEDS_REVIEW',
    reason: /REVERSAL_UNCONFIRMED/,
    calls: { refundInsurance: 1, reverseInsuranceRefund: 1, submitSe07: 0 },
  },
  {
    name: 'a 2208 activity that dies before its msgid is known: NEEDS_REVIEW, never reversed blindly',
    script: () => ({ onInsurance: async () => Promise.reject(new Error('worker died')) }),
    status: 'NEEDS_REVIEW',
    reason: /INSURANCE_REFUND_UNKNOWN: the 2208 call did not return its msgid/,
    calls: { refundInsurance: 1, reverseInsuranceRefund: 0 },
  },
  {
    name: 'the cap on 2208 attempts: three unknown 2208s, each reversed, then NEEDS_REVIEW',
    script: () => ({ insurance: [{ kind: 'unknown', msgid: '', reason: 'timeout' }] }),
    status: 'NEEDS_REVIEW',
    reason: /INSURANCE_REFUND_UNKNOWN/,
    calls: { refundInsurance: 3, reverseInsuranceRefund: 2 },
  },
  {
    name: 'a -1 SE05 push confirmed by SE06 "no such refund": SE07 as the remedy, then REFUNDED',
    script: (orderNo, e) => ({
      onSe06: async (n) => void (n === 0 && (await pushRefund(orderNo, refunded(e, '-1', undefined, 'push')))),
      se06: [{ kind: 'notFound', message: '无退款' }, { kind: 'notFound', message: '无退款' }, se06('1', '30.00')],
    }),
    skip: '2 minutes',
    status: 'REFUNDED',
    reason: /cash refund/,
    calls: { refundInsurance: 1, submitSe07: 1 },
  },
  {
    name: 'a -1 SE05 push cancelled by a later SE06 0: no SE07, REFUNDED when SE06 says 1',
    script: (orderNo, e) => ({
      onSe06: async (n) => void (n === 0 && (await pushRefund(orderNo, refunded(e, '-1', undefined, 'push')))),
      se06: [se06('0'), se06('0'), se06('1', '30.00')],
    }),
    skip: '2 minutes',
    status: 'REFUNDED',
    reason: /cash refund/,
    calls: { refundInsurance: 1, submitSe07: 0 },
  },
];

describe('refund scenario matrix', () => {
  test.each(refundRows.map((r) => [r.name, r]))('%s', async (_n, row) => {
    const ecToken = `TOK-mr-${refundRows.indexOf(row)}`;
    const v = await refundOf(ecToken, (orderNo) => row.script(orderNo, ecToken), row.skip ?? '1 minute');
    expect({ status: v.status, reason: v.refund?.reason ?? v.reason }).toEqual({ status: row.status, reason: expect.stringMatching(row.reason) });
    for (const [name, n] of Object.entries(row.calls)) expect([name, calls(ecToken, name)]).toEqual([name, n]);
  });
});
