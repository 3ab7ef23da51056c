import { ApplicationFailure, type Duration } from '@temporalio/common';
import type { AccountAnswer, IdentityAnswer, InsuranceRefund, PayQueryOutcome, Submit } from '../../activities/contract';
import type { EcTokenIndex } from '../../api/service/ectoken-index';
import { PushRouter } from '../../api/service/push-routing';
import type { Config } from '../../common/config';
import { createLogger } from '../../common/logger';
import type { PayResult } from '../../protocol/pay-result';
import { formatDate } from '../../protocol/shanghai-time';
import { wuqiBillSchema } from '../../protocol/wuqi-bills';
import { parseWuqiPayResponse } from '../../protocol/wuqi-results';
import { sampleWuqiBill } from '../../routes/wuqi/simulator/samples';
import { payPushSignal, refundPushSignal, requestRefundUpdate, type RefundRequest, type SettlementInput, type SettlementView } from '../../workflows/messages';
import { inboxQuery, inboxWorkflowId } from '../../workflows/push-inbox';
import { operator } from '../helpers/api-client';
import { TASK_QUEUE, useTimeSkipping, types } from './env';
import { CLAIM_UNAVAILABLE, paid, paidWuqi, refunded, WUQI_ACCOUNT, type Script } from './fake-platform';

// The scenario matrix (issue 21 item 3): each row scripts the platform for one order (answers and pushes)
// and names where it ends: status, reason code, the platform calls made, and the HIS webhooks sent. Real
// workflow code, real default timing, both routes. Rows elsewhere in this suite: settlement.test.ts
// (schedule, QR/1101/insuplc_admdvs, ECTOKEN_IN_USE, INSUPLC_ADMDVS_REQUIRED, LATE_RESULT_AFTER_FAILED,
// SETL_ID_HELD_BY_OTHER_ORDER, FOREIGN_ORDER in 五期 form by poll), money-rules.test.ts (PUSH_CONFLICT,
// SUBMIT_OUTCOME_UNKNOWN, PAY_FAILED), refund.test.ts (CASH_REFUND_NOT_SEEN, CASH_REFUND_FAILED,
// ECTOKEN_REFUSED, FRESH_VOUCHER_REFUSED, SK01 unknown/P510), centre-review.test.ts.
const ts = useTimeSkipping();

type Route = 'NATIONAL' | 'WUQI';
type Make = (ecToken: string, orderNo: string) => PayResult;
const found = (r: PayResult): PayQueryOutcome => ({ kind: 'result', result: r });
const notFound: PayQueryOutcome = { kind: 'notFound', message: '无此订单' };
const unknownAnswer: PayQueryOutcome = { kind: 'unknown', reason: 'timeout' };

/** 五期: the SI12 bill paidWuqi settles (100.00: 90.00 insured, 10.00 self-pay; cash 20.00–30.00). */
const WUQI_BILL = wuqiBillSchema.parse(sampleWuqiBill('SI12', '100.00'));
const routeInput = (route: Route): Partial<SettlementInput> => (route === 'WUQI' ? { wuqiPayRequest: WUQI_BILL } : {});
const routeScript = (route: Route): Script => (route === 'WUQI' ? { account: WUQI_ACCOUNT } : {});
/** The route's consistent paid result for the order. */
const ok = (route: Route): Make => (route === 'WUQI' ? (e, o) => paidWuqi(e, o) : (e, o) => paid(e, o));
const withSetl =
  (setl: Record<string, string>, over: Partial<PayResult> = {}): Make =>
  (e, o) =>
    paid(e, o, over, setl);
/** A 五期 result whose SI12 payResponse has these fields changed, read through the real output table. */
const wuqiWith =
  (xxnr: Record<string, string>, over: Partial<PayResult> = {}): Make =>
  (e, o) => {
    const base = paidWuqi(e, o);
    const parsed = parseWuqiPayResponse('SI12', { ...base.wuqi!.xxnr, ...xxnr });
    if (!parsed.ok) throw new Error(`wuqiWith: ${JSON.stringify(parsed.issues)}`);
    return { ...base, wuqi: parsed.settlement, ...over };
  };
const failedPush: Make = (e) => ({ source: 'push', ecToken: e, payStatus: '-1', channel: 'wechat', failureText: '余额不足' });
/** The 五期 form of another of our orders (WUQI_ORG_CODE + the last 23 digits, §4.8.2.2). */
const WUQI_ORG = '20260000042';
const otherInWuqiForm = (orderNo: string) => WUQI_ORG + orderNo.slice(-23, -6) + '999999';
const claimKey = (route: Route, ecToken: string) => (route === 'WUQI' ? `wuqi-lsh:${`L${ecToken}`.slice(0, 16)}` : `setl:SETL-${ecToken}`);
const invalidRequest = (message: string) => ApplicationFailure.create({ type: 'InvalidRequestError', message, nonRetryable: true });

type CallName =
  | 'identifyByQr'
  | 'queryAccount'
  | 'queryPersonInfo'
  | 'submitSe02'
  | 'queryPayResult'
  | 'refundInsurance'
  | 'reverseInsuranceRefund'
  | 'queryRefund'
  | 'submitSe07';
const count = (ecToken: string, name: CallName) => ts.fake.names(ecToken).filter((n) => n === name).length;
const expectCalls = (ecToken: string, calls: Partial<Record<CallName, number>>) => {
  for (const [name, n] of Object.entries(calls)) expect([name, count(ecToken, name as CallName)]).toEqual([name, n]);
};
const webhookEvents = (v: SettlementView) => types(v).filter((t) => t === 'WEBHOOK_DELIVERED' || t === 'WEBHOOK_FAILED').length;

interface SettlementRow {
  name: string;
  route?: Route;
  input?: Partial<SettlementInput>;
  /** started with a QR code (SE01 in identifyByQr) instead of an ecToken */
  qr?: boolean;
  script?: (e: string, o: string) => Script;
  /** SE04 answers, each a PayQueryOutcome or a result made for the order */
  se04?: Array<PayQueryOutcome | Make>;
  /** SE03 pushes delivered while SE02 runs */
  push?: Make[];
  /** the claim of this result's setl_id / 五期 lsh */
  claim?: 'unavailable' | 'held';
  skip?: Duration;
  status: string;
  reason: RegExp;
  calls?: Partial<Record<CallName, number>>;
  event?: RegExp;
  /** the order is started with webhooks on: the HIS event types sent, in order */
  webhooks?: string[];
  /** the last event's amounts (yuan strings from fen) */
  amounts?: Record<string, string>;
}

const verification = (route: Route): SettlementRow[] => {
  const r = route === 'WUQI' ? '五期' : 'national';
  const rows: Array<[string, Make]> =
    route === 'WUQI'
      ? [
          ['ECTOKEN_MISMATCH', (e, o) => paidWuqi(`${e}X`, o)],
          ['NO_PAYRESPONSE', (e, o) => ({ ...paidWuqi(e, o), wuqi: undefined })],
          ['SUM_RULE_BROKEN', wuqiWith({ tczfs: '71.00' })],
          ['TOTALEXPENSE_MISMATCH', wuqiWith({ totalexpense: '80.00', tczfs: '60.00', ybjsfwfyze: '80.00' })],
          ['CASH_AMOUNT_MISMATCH', wuqiWith({}, { amount: '31.00' })],
          ['CASH_AMOUNT_MISSING', wuqiWith({}, { amount: undefined })],
          ['YBPAY_WITH_CASH', wuqiWith({}, { channel: 'ybpay' })],
          ['UNREADABLE_AMOUNT', wuqiWith({}, { amount: '三十' })],
        ]
      : [
          ['ECTOKEN_MISMATCH', (e, o) => paid(`${e}X`, o)],
          ['NO_SETLINFO', (e, o) => ({ ...paid(e, o), setlinfo: undefined })],
          ['MEDFEE_MISMATCH', withSetl({ medfee_sumamt: '101.00', fund_pay_sumamt: '71.00' })],
          ['SETLINFO_INCONSISTENT', withSetl({ fund_pay_sumamt: '71.00' })],
          ['CASH_AMOUNT_MISMATCH', withSetl({}, { amount: '31.00' })],
          ['YBPAY_WITH_CASH', withSetl({}, { channel: 'ybpay' })],
          ['CASH_AMOUNT_MISSING', withSetl({}, { amount: undefined })],
          ['UNREADABLE_AMOUNT', withSetl({}, { amount: '三十' })],
        ];
  // decided by the SE04 answer alone: review, nothing kept
  return rows.map(([code, make]) => ({
    name: `${r} verification: ${code} by poll`,
    route,
    se04: [make],
    status: 'NEEDS_REVIEW',
    reason: new RegExp(`^query: ${code}`),
    calls: { submitSe02: 1 },
  }));
};

const settlementRows: SettlementRow[] = [
  ...verification('NATIONAL'),
  ...verification('WUQI'),
  {
    name: '五期 verification: PAYRESPONSE_NOT_SH02 (an SH02 bill answered with an SI12 payResponse)',
    route: 'WUQI',
    input: { wuqiPayRequest: wuqiBillSchema.parse(sampleWuqiBill('SH02', '100.00')) },
    se04: [ok('WUQI')],
    status: 'NEEDS_REVIEW',
    reason: /^query: PAYRESPONSE_NOT_SH02/,
  },
  {
    name: 'national FOREIGN_ORDER by poll (a national orderNo of another of our orders)',
    se04: [(e, o) => paid(e, o.slice(0, -6) + '999999')],
    status: 'NEEDS_REVIEW',
    reason: /^query: FOREIGN_ORDER/,
  },

  // pushes: never proof alone
  ...(['NATIONAL', 'WUQI'] as const).flatMap((route): SettlementRow[] => [
    {
      name: `${route}: a push confirmed by SE04: PAID by push`,
      route,
      push: [ok(route)],
      se04: [ok(route)],
      status: 'PAID',
      reason: /^by push$/,
      calls: { submitSe02: 1, queryPayResult: 1 },
    },
    {
      name: `${route}: no push, SE04 not found then found: PAID by poll`,
      route,
      se04: [notFound, ok(route)],
      status: 'PAID',
      reason: /^by poll$/,
      calls: { submitSe02: 1, queryPayResult: 2 },
    },
    {
      name: `${route}: a push failing verification (wrong amount) is never applied; SE04's verified answer decides: PAID by poll`,
      route,
      push: [route === 'WUQI' ? wuqiWith({}, { amount: '31.00' }) : withSetl({}, { amount: '31.00' })],
      se04: [ok(route)],
      status: 'PAID',
      reason: /^by poll$/,
      event: /^PUSH_REJECTED$/,
    },
    {
      name: `${route}: a push and SE04 that disagree (another ${route === 'WUQI' ? 'lsh' : 'setl_id'}): NEEDS_REVIEW PUSH_QUERY_MISMATCH`,
      route,
      push: [route === 'WUQI' ? (e, o) => paidWuqi(e, o, 'LOTHER0000000001') : withSetl({ setl_id: 'SETL-OTHER' })],
      se04: [ok(route)],
      status: 'NEEDS_REVIEW',
      reason: route === 'WUQI' ? /^PUSH_QUERY_MISMATCH: lsh/ : /^PUSH_QUERY_MISMATCH: setl_id/,
    },
    {
      name: `${route}: SETL_ID_HELD_BY_OTHER_ORDER: the ${route === 'WUQI' ? 'lsh' : 'setl_id'} is another order's`,
      route,
      se04: [ok(route)],
      claim: 'held',
      status: 'NEEDS_REVIEW',
      reason: /^SETL_ID_HELD_BY_OTHER_ORDER/,
      event: /^RESULT_NOT_OURS$/,
    },
  ]),
  // the claim activity fails through its local retries (about 15 s of real time: once, on the national key)
  {
    name: "SETL_CLAIM_UNAVAILABLE: the setl_id's owner cannot be proven, never PAID",
    se04: [ok('NATIONAL')],
    claim: 'unavailable',
    skip: '1 minute',
    status: 'NEEDS_REVIEW',
    reason: /^SETL_CLAIM_UNAVAILABLE/,
  },
  {
    name: 'national: a foreign orderNo in 五期 form by push is rejected; SE04 with this order decides: PAID by poll',
    input: { wuqiOrgCode: WUQI_ORG },
    push: [(e, o) => paid(e, otherInWuqiForm(o))],
    se04: [ok('NATIONAL')],
    status: 'PAID',
    reason: /^by poll$/,
    event: /^PUSH_REJECTED$/,
  },
  {
    name: '五期: a foreign orderNo in 五期 form by push and by poll: NEEDS_REVIEW FOREIGN_ORDER, never applied',
    route: 'WUQI',
    input: { wuqiOrgCode: WUQI_ORG },
    push: [(e, o) => ({ ...paidWuqi(e, o), thirdOrderNo: otherInWuqiForm(o) })],
    se04: [(e, o) => ({ ...paidWuqi(e, o), thirdOrderNo: otherInWuqiForm(o) })],
    status: 'NEEDS_REVIEW',
    reason: /^query: FOREIGN_ORDER: .*; push: FOREIGN_ORDER/,
  },
  {
    name: 'a −1 push that SE04 never confirms (V13 SE04 has no payStatus): NEEDS_REVIEW PUSH_UNCONFIRMED at the 2 h deadline, never FAILED on a guess',
    push: [failedPush],
    se04: [unknownAnswer],
    skip: '2 hours',
    status: 'NEEDS_REVIEW',
    reason: /^PUSH_UNCONFIRMED: no query agreed with the push/,
    calls: { submitSe02: 1 },
  },
  {
    name: 'SE04 "processing" until the 2 h deadline: NEEDS_REVIEW NO_FINAL_RESULT',
    se04: [{ kind: 'processing' }],
    skip: '2 hours',
    status: 'NEEDS_REVIEW',
    reason: /^NO_FINAL_RESULT/,
    calls: { submitSe02: 1 },
  },

  // identity, route and submission: nothing is submitted after a refusal
  {
    name: 'SE01_FAILED: SE01 refuses the QR code',
    qr: true,
    script: () => ({ decodeQr: { kind: 'business', message: '二维码已失效' } as IdentityAnswer }),
    status: 'FAILED',
    reason: /^SE01_FAILED: 二维码已失效/,
    calls: { submitSe02: 0 },
  },
  {
    name: "IDENTITY_MISMATCH (QR): pName/pIdNo are not the e-voucher's",
    qr: true,
    script: () => ({ decodeQr: { kind: 'ok', ecToken: 'x', identityMatches: false } as IdentityAnswer }),
    status: 'FAILED',
    reason: /^IDENTITY_MISMATCH: pName\/pIdNo/,
    calls: { submitSe02: 0 },
  },
  {
    name: "IDENTITY_MISMATCH (SM01): pName is not the account's",
    script: () => ({ account: { kind: 'ok', accountattr: '0000000000000000', nameMatches: false } }),
    status: 'FAILED',
    reason: /^IDENTITY_MISMATCH: pName does not match/,
    calls: { submitSe02: 0 },
  },
  {
    name: 'SM01_FAILED: SM01 refused',
    script: () => ({ account: { kind: 'business', message: '账户不存在' } as AccountAnswer }),
    status: 'FAILED',
    reason: /^SM01_FAILED: 账户不存在/,
    calls: { submitSe02: 0 },
  },
  {
    name: 'IDENTITY_UNAVAILABLE: SM01 cannot be asked',
    script: () => ({ account: invalidRequest('SM01 input refused') }),
    status: 'FAILED',
    reason: /^IDENTITY_UNAVAILABLE/,
    calls: { submitSe02: 0 },
  },
  {
    name: 'ACCOUNTATTR_INVALID',
    script: () => ({ account: { kind: 'ok', accountattr: '100', nameMatches: null } as AccountAnswer }),
    status: 'FAILED',
    reason: /^ACCOUNTATTR_INVALID/,
    calls: { submitSe02: 0 },
  },
  {
    name: 'ROUTE_WUQI_NO_PAYREQUEST: a 五期 person without a 五期 bill',
    script: () => ({ account: WUQI_ACCOUNT }),
    status: 'FAILED',
    reason: /^ROUTE_WUQI_NO_PAYREQUEST/,
    calls: { submitSe02: 0 },
  },
  ...(['NATIONAL', 'WUQI'] as const).map((route): SettlementRow => ({
    name: `${route}: SE02_REJECTED: SE02 refused, nothing polled`,
    route,
    script: () => ({ se02: [{ kind: 'business', msgid: 'M', code: '-1', message: '参数错误' } as Submit] }),
    status: 'FAILED',
    reason: /^SE02_REJECTED: 参数错误/,
    calls: { submitSe02: 1, queryPayResult: 0 },
  })),
  {
    name: 'SE02_INVALID: the activity refuses the input before sending',
    script: () => ({ onSe02: async () => Promise.reject(invalidRequest('payRequest.psn_no is required')) }),
    status: 'FAILED',
    reason: /^SE02_INVALID: .*psn_no/,
    calls: { submitSe02: 1, queryPayResult: 0 },
  },
  {
    name: 'SE02_RESUBMIT_REFUSED: a refused resubmission proves nothing; still no order, so SE02_NOT_RECEIVED once the token cannot settle',
    script: () => ({
      se02: [
        { kind: 'unknown', msgid: 'M1', reason: 'timeout' },
        { kind: 'business', msgid: 'M2', code: '-1', message: '重复交易' },
      ] as Submit[],
    }),
    se04: [notFound],
    skip: '20 minutes',
    status: 'FAILED',
    reason: /^SE02_NOT_RECEIVED/,
    calls: { submitSe02: 2 },
    event: /^SE02_RESUBMIT_REFUSED$/,
  },

  // webhooks to the HIS: one event per status the HIS hears about, with that status
  {
    name: 'webhooks: PAID sends settlement.paid with the settled amounts',
    push: [ok('NATIONAL')],
    se04: [ok('NATIONAL')],
    status: 'PAID',
    reason: /^by push$/,
    webhooks: ['settlement.paid'],
    amounts: { medfeeSumamt: '100.00', fundPaySumamt: '70.00', acctPay: '0.00', psnCashPay: '30.00' },
  },
  { name: 'webhooks: 五期 PAID sends settlement.paid', route: 'WUQI', se04: [ok('WUQI')], status: 'PAID', reason: /^by poll$/, webhooks: ['settlement.paid'] },
  {
    name: 'webhooks: FAILED sends settlement.failed',
    script: () => ({ se02: [{ kind: 'business', msgid: 'M', code: '-1', message: '参数错误' } as Submit] }),
    status: 'FAILED',
    reason: /^SE02_REJECTED/,
    webhooks: ['settlement.failed'],
  },
  {
    name: 'webhooks: NEEDS_REVIEW sends settlement.needs_review',
    se04: [withSetl({}, { amount: '31.00' })],
    status: 'NEEDS_REVIEW',
    reason: /^query: CASH_AMOUNT_MISMATCH/,
    webhooks: ['settlement.needs_review'],
  },
];

describe('settlement scenario matrix', () => {
  test.each(settlementRows.map((r) => [r.name, r]))('%s', async (_n, row) => {
    const route = row.route ?? 'NATIONAL';
    const ecToken = `TOK-m-${settlementRows.indexOf(row)}`;
    if (row.claim) ts.fake.claims.set(claimKey(route, ecToken), row.claim === 'unavailable' ? CLAIM_UNAVAILABLE : 'H31011200001OTHERORDER');
    const o = await ts.start(
      {
        ...routeInput(route),
        ...(row.qr ? { identity: { ecQrCode: `QR-${ecToken}`, ecQrChannel: '1' } } : {}),
        ...(row.webhooks ? { webhooks: true } : {}),
        ...row.input,
      },
      ecToken,
    );
    const push = (make: Make) =>
      ts.client.workflow.getHandle(o.orderNo).signal(payPushSignal, { ...make(ecToken, o.orderNo), source: 'push', receivedAt: Date.now() });
    ts.fake.script(ecToken, {
      ...routeScript(route),
      ...(row.push ? { onSe02: async () => void (await Promise.all(row.push!.map(push))) } : {}),
      ...row.script?.(ecToken, o.orderNo),
      ...(row.se04 ? { se04: row.se04.map((a) => (typeof a === 'function' ? found(a(ecToken, o.orderNo)) : a)) } : {}),
    });
    await ts.env.sleep(row.skip ?? '20 seconds');
    const v = await ts.until(o.orderNo, (x) => x.status !== 'PROCESSING' && webhookEvents(x) >= (row.webhooks?.length ?? 0), 30_000);
    expect({ status: v.status, reason: v.reason }).toEqual({ status: row.status, reason: expect.stringMatching(row.reason) });
    if (row.calls) expectCalls(ecToken, row.calls);
    if (row.event) expect(types(v)).toContainEqual(expect.stringMatching(row.event));
    // nothing unverified is ever kept as the settlement
    if (v.status !== 'PAID') expect([v.setlinfo, v.wuqi]).toEqual([undefined, undefined]);
    else expect(route === 'WUQI' ? v.wuqi?.lsh : v.setlinfo?.setl_id).toBe(route === 'WUQI' ? `L${ecToken}`.slice(0, 16) : `SETL-${ecToken}`);
    if (row.webhooks) {
      const sent = ts.fake.webhooks(o.orderNo).map((e) => ('data' in e ? { type: e.type, status: e.data.status, reason: e.data.reason } : e));
      expect(sent).toEqual(row.webhooks.map((type) => ({ type, status: row.status, reason: v.reason })));
      const last = ts.fake.webhooks(o.orderNo).at(-1)!;
      if (row.amounts) expect('data' in last && last.data.amounts).toEqual(row.amounts);
    }
  });

  test('webhooks off (no HIS_WEBHOOK_URL): the order closes without sending any', async () => {
    const o = await ts.start({}, 'TOK-m-nohooks');
    ts.fake.script(o.ecToken, { se02: [{ kind: 'business', msgid: 'M', code: '-1', message: '参数错误' }] });
    // FAILED without a late result possible: the workflow closes once every delivery has drained
    expect((await o.handle.result()).status).toBe('FAILED');
    expect(ts.fake.webhooks(o.orderNo)).toEqual([]);
  });
});

// ---- refunds ----
const se06 = (status: '1' | '0' | '-1', amount?: string) => ({ kind: 'result' as const, result: refunded('x', status, amount) });
// the refund's home is the order's workflow (patch one-refund-model)
const pushRefund = (orderNo: string, r: ReturnType<typeof refunded>) => ts.client.workflow.getHandle(orderNo).signal(refundPushSignal, r);

/** A PAID settlement of the route (by push, confirmed by SE04), then a refund request with this script. */
async function refundOf(
  ecToken: string,
  route: Route,
  script: (orderNo: string) => Script,
  skip: Duration,
  opts: { webhooks?: boolean; request?: Partial<RefundRequest> } = {},
) {
  const o = await ts.start({ insuplcAdmdvs: '320100', ...routeInput(route), ...(opts.webhooks ? { webhooks: true } : {}) }, ecToken);
  const r = ok(route)(ecToken, o.orderNo);
  ts.fake.script(ecToken, {
    ...routeScript(route),
    onSe02: () => ts.client.workflow.getHandle(o.orderNo).signal(payPushSignal, { ...r, source: 'push' }),
    se04: [found(r)],
    ...script(o.orderNo),
  });
  await ts.until(o.orderNo, (v) => v.status === 'PAID');
  await ts.client.workflow
    .getHandle(o.orderNo)
    .executeUpdate(requestRefundUpdate, { args: [{ operator, reason: 'matrix', ...opts.request } as RefundRequest] });
  await ts.env.sleep(skip);
  return { orderNo: o.orderNo, view: await ts.until(o.orderNo, (v) => ['REFUNDED', 'REFUND_FAILED', 'NEEDS_REVIEW'].includes(v.status), 30_000) };
}

interface RefundRow {
  name: string;
  route?: Route;
  script: (orderNo: string, ecToken: string) => Script;
  /** the refund request's fresh e-voucher (五期) and its script */
  fresh?: { ecToken: string; script: Script };
  skip?: Duration;
  status: string;
  reason: RegExp;
  calls: Partial<Record<CallName, number>>;
  webhooks?: string[];
  /** the last event's amounts */
  amounts?: Record<string, string>;
}

const unknown2208: InsuranceRefund = { kind: 'unknown', msgid: '', reason: 'timeout' };
const refundRows: RefundRow[] = [
  // national 2208 and its 2601
  {
    name: 'a refused 2208: REFUND_FAILED INSURANCE_REFUND_REJECTED, nothing else sent',
    script: () => ({ insurance: [{ kind: 'business', msgid: 'M', code: '-1', message: '结算记录不存在', alreadyRefunded: false }] }),
    status: 'REFUND_FAILED',
    reason: /^INSURANCE_REFUND_REJECTED: 结算记录不存在/,
    calls: { refundInsurance: 1, reverseInsuranceRefund: 0, queryRefund: 0, submitSe07: 0 },
  },
  {
    name: 'a 2208 refused as already refunded, with no unknown attempt before: NEEDS_REVIEW, never assumed',
    script: () => ({ insurance: [{ kind: 'business', msgid: 'M', code: '-1', message: '该结算已经退款', alreadyRefunded: true }] }),
    status: 'NEEDS_REVIEW',
    reason: /^INSURANCE_REFUND_REJECTED: 该结算已经退款/,
    calls: { refundInsurance: 1, queryRefund: 0, submitSe07: 0 },
  },
  {
    name: 'a refused 2601: NEEDS_REVIEW REVERSAL_UNCONFIRMED, no second 2208',
    script: () => ({ insurance: [unknown2208], reversal: [{ kind: 'business', msgid: '', code: '-1', message: '原交易不存在' }] }),
    status: 'NEEDS_REVIEW',
    reason: /^REVERSAL_UNCONFIRMED: .*原交易不存在/,
    calls: { refundInsurance: 1, reverseInsuranceRefund: 1, submitSe07: 0 },
  },
  {
    name: 'a 2208 activity that dies before its msgid is known: NEEDS_REVIEW, never reversed blindly',
    script: () => ({ onInsurance: async () => Promise.reject(new Error('worker died')) }),
    status: 'NEEDS_REVIEW',
    reason: /^INSURANCE_REFUND_UNKNOWN: the 2208 call did not return its msgid/,
    calls: { refundInsurance: 1, reverseInsuranceRefund: 0 },
  },
  {
    name: 'the cap on 2208 attempts: three unknown 2208s, the first two reversed, then NEEDS_REVIEW',
    script: () => ({ insurance: [unknown2208] }),
    status: 'NEEDS_REVIEW',
    reason: /^INSURANCE_REFUND_UNKNOWN: timeout/,
    calls: { refundInsurance: 3, reverseInsuranceRefund: 2, submitSe07: 0 },
  },
  // 五期 SK01 (no 2601: SE06 tells whether an unknown SK01 acted)
  {
    name: '五期: a refused SK01: REFUND_FAILED INSURANCE_REFUND_REJECTED',
    route: 'WUQI',
    script: () => ({ insurance: [{ kind: 'business', msgid: 'M', code: 'P500', message: 'P500 退费金额不符', alreadyRefunded: false }] }),
    status: 'REFUND_FAILED',
    reason: /^INSURANCE_REFUND_REJECTED: P500/,
    calls: { refundInsurance: 1, reverseInsuranceRefund: 0, submitSe07: 0 },
  },
  {
    name: '五期: the cap on SK01 attempts: three unknown SK01s, SE06 "no such refund" after each of the first two, then NEEDS_REVIEW',
    route: 'WUQI',
    script: () => ({ insurance: [{ kind: 'unknown', msgid: 'SK01-A', reason: 'T100' }], se06: [{ kind: 'notFound', message: 'P610' }] }),
    status: 'NEEDS_REVIEW',
    reason: /^INSURANCE_REFUND_UNKNOWN: T100/,
    calls: { refundInsurance: 3, queryRefund: 2, reverseInsuranceRefund: 0, submitSe07: 0 },
  },
  {
    name: '五期: a fresh e-voucher that cannot be checked: REFUND_FAILED FRESH_VOUCHER_REFUSED (FRESH_VOUCHER_UNCHECKED), no SK01',
    route: 'WUQI',
    script: () => ({}),
    fresh: { ecToken: 'FRESH-m-unchecked', script: { refundVoucher: invalidRequest('SE01 input refused') } },
    status: 'REFUND_FAILED',
    reason: /^FRESH_VOUCHER_REFUSED: FRESH_VOUCHER_UNCHECKED/,
    calls: { refundInsurance: 0 },
  },
  // the cash part: the platform's own refund, SE07 only as the remedy
  ...(['NATIONAL', 'WUQI'] as const).flatMap((route): RefundRow[] => [
    {
      name: `${route}: a −1 SE05 push confirmed by SE06 "no such refund": SE07 as the remedy, then REFUNDED`,
      route,
      script: (orderNo, e) => ({
        onSe06: async (n) => void (n === 0 && (await pushRefund(orderNo, refunded(e, '-1', undefined, 'push')))),
        se06: [{ kind: 'notFound', message: '无退款' }, { kind: 'notFound', message: '无退款' }, se06('1', '30.00')],
      }),
      skip: '2 minutes',
      status: 'REFUNDED',
      reason: /^cash refund RF1 by poll$/,
      calls: { refundInsurance: 1, submitSe07: 1 },
    },
    {
      name: `${route}: a −1 SE05 push cancelled by a later SE06 0: no SE07, REFUNDED when SE06 says 1`,
      route,
      script: (orderNo, e) => ({
        onSe06: async (n) => void (n === 0 && (await pushRefund(orderNo, refunded(e, '-1', undefined, 'push')))),
        se06: [se06('0'), se06('0'), se06('1', '30.00')],
      }),
      skip: '2 minutes',
      status: 'REFUNDED',
      reason: /^cash refund RF1 by poll$/,
      calls: { refundInsurance: 1, submitSe07: 0 },
    },
  ]),
  {
    name: 'an SE05 push that SE06 contradicts (1 vs −1): NEEDS_REVIEW PUSH_QUERY_MISMATCH, no SE07',
    script: (orderNo, e) => ({
      onSe06: async (n) => void (n === 0 && (await pushRefund(orderNo, refunded(e, '1', '30.00', 'push')))),
      se06: [{ kind: 'notFound', message: '无退款' }, se06('-1')],
    }),
    skip: '2 minutes',
    status: 'NEEDS_REVIEW',
    reason: /^PUSH_QUERY_MISMATCH: refundStatus 1\/30.00 vs -1/,
    calls: { submitSe07: 0 },
  },
  {
    name: 'SE06 −1 and the SE07 remedy refused: REFUND_FAILED SE07_REJECTED',
    script: () => ({ se06: [se06('-1')], se07: [{ kind: 'business', msgid: 'M', code: '-1', message: '订单状态不允许' }] }),
    status: 'REFUND_FAILED',
    reason: /^SE07_REJECTED: 订单状态不允许/,
    calls: { refundInsurance: 1, submitSe07: 1 },
  },
  {
    name: '五期: SE06 refunds another amount than the cash paid: NEEDS_REVIEW CASH_REFUND_AMOUNT_MISMATCH',
    route: 'WUQI',
    script: () => ({ se06: [se06('1', '29.99')] }),
    status: 'NEEDS_REVIEW',
    reason: /^query: CASH_REFUND_AMOUNT_MISMATCH: refunded 29.99, paid 30.00/,
    calls: { submitSe07: 0 },
  },
  {
    name: 'SE06 says 0 (退款中) for a day: NEEDS_REVIEW NO_FINAL_RESULT at the 24 h deadline, never SE07',
    script: () => ({ se06: [se06('0')] }),
    skip: '25 hours',
    status: 'NEEDS_REVIEW',
    reason: /^NO_FINAL_RESULT/,
    calls: { submitSe07: 0 },
  },
  // webhooks
  {
    name: 'webhooks: a refund sends refund.refunded, with the cash refunded, after settlement.paid',
    script: () => ({ se06: [se06('1', '30.00')] }),
    status: 'REFUNDED',
    reason: /^cash refund/,
    calls: {},
    webhooks: ['settlement.paid', 'refund.refunded'],
    amounts: { medfeeSumamt: '100.00', fundPaySumamt: '70.00', acctPay: '0.00', psnCashPay: '30.00', refundedCash: '30.00' },
  },
  {
    name: 'webhooks: a refund under review sends refund.needs_review',
    script: () => ({ insurance: [unknown2208], reversal: [{ kind: 'business', msgid: '', code: '-1', message: '原交易不存在' }] }),
    status: 'NEEDS_REVIEW',
    reason: /REVERSAL_UNCONFIRMED/,
    calls: {},
    webhooks: ['settlement.paid', 'refund.needs_review'],
  },
  {
    name: 'webhooks: a failed refund sends refund.failed',
    script: () => ({ insurance: [{ kind: 'business', msgid: 'M', code: '-1', message: '结算记录不存在', alreadyRefunded: false }] }),
    status: 'REFUND_FAILED',
    reason: /INSURANCE_REFUND_REJECTED/,
    calls: {},
    webhooks: ['settlement.paid', 'refund.failed'],
  },
];

describe('refund scenario matrix', () => {
  test.each(refundRows.map((r) => [r.name, r]))('%s', async (_n, row) => {
    const ecToken = `TOK-mr-${refundRows.indexOf(row)}`;
    if (row.fresh) ts.fake.script(row.fresh.ecToken, row.fresh.script);
    const request = row.fresh ? { ecToken: row.fresh.ecToken } : {};
    const { orderNo, view } = await refundOf(ecToken, row.route ?? 'NATIONAL', (o) => row.script(o, ecToken), row.skip ?? '1 minute', {
      webhooks: !!row.webhooks,
      request,
    });
    expect({ status: view.status, reason: view.refund?.reason }).toEqual({ status: row.status, reason: expect.stringMatching(row.reason) });
    // the order's reason names the refund's, prefixed under review
    expect(view.reason).toMatch(row.status === 'NEEDS_REVIEW' ? /^refund: / : /./);
    expectCalls(ecToken, row.calls);
    if (row.webhooks) {
      const v = await ts.until(orderNo, (x) => webhookEvents(x) >= row.webhooks!.length);
      const sent = ts.fake.webhooks(orderNo);
      expect(sent.map((e) => e.type)).toEqual(row.webhooks);
      expect(webhookEvents(v)).toBe(row.webhooks.length);
      const last = sent.at(-1)!;
      if (row.amounts) expect('data' in last && last.data.amounts).toEqual(row.amounts);
    }
  });
});

// A refund workflow that fails (REFUND_WORKFLOW_FAILED) is in test/integration/settlement-workflow.test.ts: this test server
// never tells a parent that its child was terminated (temporalio/sdk-java#2921).

// ---- pushes after the workflow closed: the API's push router (api/service/push-routing.ts) on this server ----
describe("a push after the workflow closed goes to the day's inbox as ORDER_CLOSED, matched to its order", () => {
  const router = (owners: Map<string, string>) =>
    new PushRouter(ts.client, { TEMPORAL_TASK_QUEUE: TASK_QUEUE } as Config, createLogger('test', 'silent'), {
      orderNoFor: async (t: string) => owners.get(t),
    } as unknown as EcTokenIndex);
  /** The inbox entries for this ecToken; the day is the one of the push (taken now, at the push). */
  const inboxFor = async (day: string, ecToken: string) =>
    (await ts.client.workflow.getHandle(inboxWorkflowId(TASK_QUEUE, day)).query(inboxQuery)).filter((p) => p.ecToken === ecToken);

  test('SE03 after a FAILED order closed; the same push while it runs is signalled', async () => {
    const closed = await ts.start({}, 'TOK-closed');
    ts.fake.script(closed.ecToken, { se02: [{ kind: 'business', msgid: 'M', code: '-1', message: '参数错误' }] });
    expect((await closed.handle.result()).status).toBe('FAILED');
    const running = await ts.start({}, 'TOK-closed-run');
    ts.fake.script(running.ecToken, { se04: [{ kind: 'processing' }] });
    const r = router(
      new Map([
        [running.ecToken, running.orderNo],
        [closed.ecToken, closed.orderNo],
      ]),
    );
    await ts.until(running.orderNo, (v) => v.step !== 'STARTED' && v.ecToken !== undefined);
    expect(await r.deliverPayPush(paid(running.ecToken, running.orderNo), 'NATIONAL', { ecToken: running.ecToken, payStatus: '1' })).toBe('signalled');
    const day = formatDate(Date.now());
    expect(await r.deliverPayPush(paid(closed.ecToken, closed.orderNo), 'NATIONAL', { ecToken: closed.ecToken, payStatus: '1', amount: '30.00' })).toBe(
      'inbox',
    );
    expect(await inboxFor(day, closed.ecToken)).toEqual([
      expect.objectContaining({
        kind: 'SE03',
        why: 'ORDER_CLOSED',
        matchedOrderNo: closed.orderNo,
        matchedBy: 'ecToken',
        output: { ecToken: closed.ecToken, payStatus: '1', amount: '30.00' },
      }),
    ]);
    expect(types(await ts.until(running.orderNo, (v) => types(v).includes('PUSH_RECEIVED')))).toContain('PUSH_RECEIVED');
  });

  test('SE05 after the refund closed (REFUNDED)', async () => {
    const { orderNo } = await refundOf('TOK-closed-refund', 'NATIONAL', () => ({ se06: [se06('1', '30.00')] }), '1 minute');
    await ts.client.workflow.getHandle(orderNo).result(); // REFUNDED: the order (the refund's home) closes
    const day = formatDate(Date.now());
    const r = router(new Map([['TOK-closed-refund', orderNo]]));
    expect(
      await r.deliverRefundPush(refunded('TOK-closed-refund', '1', '30.00', 'push'), 'NATIONAL', { ecToken: 'TOK-closed-refund', refundStatus: '1' }),
    ).toBe('inbox');
    expect(await inboxFor(day, 'TOK-closed-refund')).toEqual([expect.objectContaining({ kind: 'SE05', why: 'ORDER_CLOSED', matchedOrderNo: orderNo })]);
  });
});
