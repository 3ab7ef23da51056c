import type {
  AccountAnswer,
  IdentityAnswer,
  InsuranceRefund,
  Outcome,
  PayQueryOutcome,
  PersonInfoAnswer,
  PlatformActivities,
  RefundQueryOutcome,
  RefundVoucherAnswer,
  Submit,
} from '../../activities/contract';
import type { CentreReviewActivities } from '../../activities/centre-review';
import type { ReportActivities } from '../../activities/report-activities';
import type { WebhookActivities } from '../../activities/webhook-activities';
import { centreQueryFor, ourRecord } from '../../protocol/centre-record';
import type { CentreWord } from '../../protocol/centre-suggestion';
import type { PayResult, RefundResult } from '../../protocol/pay-result';
import { insuplcAdmdvsPlan } from '../../protocol/person-info';
import { decideRoute } from '../../protocol/routing';
import type { Setlinfo } from '../../protocol/settlement';
import { parseWuqiPayResponse } from '../../protocol/wuqi-results';

// Scripted fake platform activities for the time-skipping tests. Each order has its own script (keyed
// by ecToken, so tests never see each other's calls); each call takes the next scripted answer and the
// last one repeats. Every call is recorded, in order, with the workflow time it happened at.

export interface Script {
  decodeQr?: IdentityAnswer;
  /** SM01's answer; an Error is thrown by the activity (e.g. a non-retryable InvalidRequestError) */
  account?: AccountAnswer | Error;
  personInfo?: PersonInfoAnswer;
  se02?: Submit[];
  se04?: PayQueryOutcome[];
  insurance?: InsuranceRefund[];
  reversal?: Outcome[];
  se06?: RefundQueryOutcome[];
  se07?: Array<Outcome & { alreadyRefunded?: boolean }>;
  /** checkRefundVoucher's answer, scripted under the fresh ecToken (or the QR code without its QR- prefix) */
  refundVoucher?: RefundVoucherAnswer | Error;
  /** Runs inside submitSe02 before it answers, e.g. to deliver an SE03 push first. */
  onSe02?: (n: number) => Promise<void>;
  /** Runs inside refundInsurance before it answers, e.g. to deliver an SE05 push. */
  onInsurance?: (n: number) => Promise<void>;
  /** Runs inside queryPayResult (the nth SE04, from 0) before it answers, e.g. to deliver a push after it. */
  onSe04?: (n: number) => Promise<void>;
  /**
   * askCentreForReview's answer (5203/SI91 for an order under review): 'down' throws, as the real activity does
   * when the centre gives no answer. Unscripted: the centre holds our own record (or nothing to ask).
   */
  centre?: CentreWord | 'down';
  /** Runs inside queryRefund (the nth SE06, from 0) before it answers. */
  onSe06?: (n: number) => Promise<void>;
}

export interface Call {
  name: keyof PlatformActivities;
  args: Record<string, unknown>;
}

/** A claims entry with this owner makes the claim activity fail (Temporal unavailable). */
export const CLAIM_UNAVAILABLE = '__unavailable__';

export const NATIONAL_ACCOUNT: AccountAnswer = { kind: 'ok', accountattr: '0000000000000000', nameMatches: null };

export function fakePlatform() {
  const scripts = new Map<string, Script>();
  const calls = new Map<string, Call[]>();
  const counters = new Map<string, number>();
  const claims = new Map<string, string>();
  const msgidOwner = new Map<string, string>();
  // kept apart from `calls`: the centre is asked beside the payment path, whose call order tests assert
  const webhookCalls = new Map<string, Array<Parameters<WebhookActivities['deliverWebhook']>[0]>>();
  const centreCalls = new Map<string, Array<Parameters<CentreReviewActivities['askCentreForReview']>[0]>>();

  const next = <T>(ecToken: string, name: string, list: T[] | undefined, fallback: T): T => {
    const k = `${ecToken}/${name}`;
    const n = counters.get(k) ?? 0;
    counters.set(k, n + 1);
    if (!list || list.length === 0) return fallback;
    return list[Math.min(n, list.length - 1)]!;
  };
  const record = (ecToken: string, name: keyof PlatformActivities, args: object) => {
    const list = calls.get(ecToken) ?? [];
    list.push({ name, args: args as Record<string, unknown> });
    calls.set(ecToken, list);
    return scripts.get(ecToken) ?? {};
  };
  const count = (ecToken: string, name: string) => counters.get(`${ecToken}/${name}`) ?? 0;
  const answer = <T>(a: T | Error): T => {
    if (a instanceof Error) throw a;
    return a;
  };

  const activities: PlatformActivities & ReportActivities & CentreReviewActivities & Pick<WebhookActivities, 'deliverWebhook'> = {
    async decodeQr(a) {
      const ecToken = a.ecQrCode.replace(/^QR-/, '');
      const s = record(ecToken, 'decodeQr', a);
      return s.decodeQr ?? { kind: 'ok', ecToken, identityMatches: null };
    },
    /** As the real activity: SE01, then SM01, then 1101 for a national person who is not 异地 and has no HIS insuplcAdmdvs. */
    async identifyByQr(a) {
      const ecToken = a.ecQrCode.replace(/^QR-/, '');
      const s = record(ecToken, 'identifyByQr', a);
      const d = s.decodeQr ?? { kind: 'ok', ecToken, identityMatches: null };
      if (d.kind !== 'ok' || d.identityMatches === false) return d;
      const account = answer(s.account ?? NATIONAL_ACCOUNT);
      if (
        account.kind !== 'ok' ||
        decideRoute(account.accountattr, a.routeFacts).route !== 'NATIONAL' ||
        insuplcAdmdvsPlan(account.accountattr, a.insuplcAdmdvs).kind !== '1101'
      )
        return { ...d, account };
      return { ...d, account, person: s.personInfo ?? { kind: 'ok', psnNo: 'P-FROM-SE01', insuplcAdmdvs: '310104' } };
    },
    async queryAccount(a) {
      return answer(record(a.ecToken, 'queryAccount', a).account ?? NATIONAL_ACCOUNT);
    },
    async queryPersonInfo(a) {
      return record(a.ecToken, 'queryPersonInfo', a).personInfo ?? { kind: 'ok', psnNo: 'P-FROM-1101', insuplcAdmdvs: '320100' };
    },
    async submitSe02(a) {
      const s = record(a.ecToken, 'submitSe02', a);
      const n = count(a.ecToken, 'se02');
      await s.onSe02?.(n);
      return next(a.ecToken, 'se02', s.se02, { kind: 'ok', msgid: `SE02-${a.ecToken}-${n}` });
    },
    async queryPayResult(a) {
      const s = record(a.ecToken, 'queryPayResult', a);
      await s.onSe04?.(count(a.ecToken, 'se04'));
      return next(a.ecToken, 'se04', s.se04, { kind: 'notFound', message: 'no such order' });
    },
    async refundInsurance(a) {
      const s = record(a.ecToken, 'refundInsurance', a);
      const n = count(a.ecToken, 'insurance');
      await s.onInsurance?.(n);
      const r = next(a.ecToken, 'insurance', s.insurance, { kind: 'ok', msgid: '', output: { setlinfo: { setl_id: 'R1' } } });
      const msgid = r.msgid || `2208-${a.ecToken}-${n}`;
      msgidOwner.set(msgid, a.ecToken);
      return { ...r, msgid };
    },
    async reverseInsuranceRefund(a) {
      const ecToken = msgidOwner.get(a.omsgid) ?? 'unknown';
      const s = record(ecToken, 'reverseInsuranceRefund', a);
      const r = next(ecToken, 'reversal', s.reversal, { kind: 'ok', msgid: '' });
      return { ...r, msgid: r.msgid || `2601-${ecToken}-${count(ecToken, 'reversal')}` } as Outcome;
    },
    async queryRefund(a) {
      const s = record(a.ecToken, 'queryRefund', a);
      await s.onSe06?.(count(a.ecToken, 'se06'));
      return next(a.ecToken, 'se06', s.se06, { kind: 'notFound', message: 'no refund' });
    },
    async checkRefundVoucher(a) {
      const fresh = 'ecToken' in a.voucher ? a.voucher.ecToken : a.voucher.ecQrCode.replace(/^QR-/, '');
      const s = record(fresh, 'checkRefundVoucher', a);
      return answer(s.refundVoucher ?? { kind: 'ok', ecToken: fresh });
    },
    async submitSe07(a) {
      const s = record(a.ecToken, 'submitSe07', a);
      return next(a.ecToken, 'se07', s.se07, { kind: 'ok', msgid: `SE07-${a.ecToken}` });
    },
    async claim(a) {
      if (claims.get(a.key) === CLAIM_UNAVAILABLE) throw new Error('claim: Temporal unavailable');
      const owner = claims.get(a.key) ?? a.orderNo;
      claims.set(a.key, owner);
      return { owner };
    },
    async reportOutcome() {},
    /** Records the event for its order; delivered at once (the HIS and its signatures: test/integration/webhook.test.ts). */
    async deliverWebhook(ev) {
      const orderNo = 'data' in ev ? ev.data.orderNo : ev.orderNo;
      webhookCalls.set(orderNo, [...(webhookCalls.get(orderNo) ?? []), ev]);
      return { delivered: true, attempt: 1, httpStatus: 204 };
    },
    async askCentreForReview(a) {
      const ecToken = a.facts.ecToken ?? 'unknown';
      centreCalls.set(ecToken, [...(centreCalls.get(ecToken) ?? []), a]);
      const s = scripts.get(ecToken)?.centre;
      if (s === 'down') throw new Error('the centre gave no answer to 5203 (msgid FAKE): HTTP 503');
      if (s) return s;
      const q = centreQueryFor(a.facts);
      if ('none' in q) return { kind: 'nothing', reason: q.none };
      // the centre's own record: ours, standing as paid (a 5203 record / SI91 paystatus 1)
      const ours = ourRecord(a.facts);
      const record = ours ? { ...ours, paid: true } : null;
      return {
        kind: 'answered',
        asked: { query: 'xxlxm' in q ? 'SI91' : q.infno, msgid: `C-${ecToken}`, at: new Date().toISOString() },
        found: true,
        record,
        agrees: true,
        differences: [],
      };
    },
  };

  return {
    activities,
    claims,
    script(ecToken: string, s: Script) {
      scripts.set(ecToken, s);
    },
    calls: (ecToken: string) => calls.get(ecToken) ?? [],
    /** askCentreForReview's inputs for the order with this ecToken. */
    centreCalls: (ecToken: string) => centreCalls.get(ecToken) ?? [],
    /** deliverWebhook's events for this order, in the order they were sent. */
    webhooks: (orderNo: string) => webhookCalls.get(orderNo) ?? [],
    names: (ecToken: string) => (calls.get(ecToken) ?? []).map((c) => c.name),
  };
}

/** A consistent national result: 100.00 settled, 70.00 by the fund, 30.00 cash by WeChat. */
export function paid(ecToken: string, orderNo: string, over: Partial<PayResult> = {}, setl: Partial<Setlinfo> = {}): PayResult {
  const setlinfo = {
    mdtrt_id: 'MDTRT1',
    setl_id: `SETL-${ecToken}`,
    psn_no: 'P1',
    psn_name: '测试',
    psn_cert_type: '01',
    certno: 'X',
    psn_type: '11',
    cvlserv_flag: '0',
    setl_time: '2026-11-27 10:00:00',
    med_type: '11',
    medfee_sumamt: '100.00',
    fund_pay_sumamt: '70.00',
    psn_part_amt: '30.00',
    hosp_part_amt: '0.00',
    acct_pay: '0.00',
    psn_cash_pay: '30.00',
    ...setl,
  } as unknown as Setlinfo;
  return {
    source: 'poll',
    ecToken,
    payStatus: '1',
    setlinfo,
    setldetail: [],
    channel: 'wechat',
    thirdOrderNo: orderNo,
    tradeNo: 'T1',
    amount: '30.00',
    gmt: '2026-11-27 10:00:00',
    ...over,
  };
}

export function refunded(ecToken: string, status: RefundResult['refundStatus'], amount = '30.00', source: RefundResult['source'] = 'poll'): RefundResult {
  return { source, ecToken, refundStatus: status, ...(status === '1' ? { refundNo: 'RF1', amount, channel: 'wechat' } : {}) };
}

/** 五期: accountattr position 2 = 1 (干保), so decideRoute sends the order to 五期. */
export const WUQI_ACCOUNT: AccountAnswer = { kind: 'ok', accountattr: '0100000000000000', nameMatches: null };

/**
 * A consistent 五期 SI12 result for sampleWuqiBill('SI12', '100.00') (90.00 insured, 10.00 非医保结算范围):
 * totalexpense 90.00 = tczfs 70.00 + tcdxjzfs 20.00; the patient pays 20.00 + the 10.00 self-pay = 30.00 by
 * WeChat (docs/spec-readings.md "五期 route", 五期 cash part), read through the real SI12 output table. cardid: the payer's 卡号, masked.
 */
export function paidWuqi(ecToken: string, orderNo: string, lsh = `L${ecToken}`.slice(0, 16)): PayResult {
  const xxnr = {
    cardtype: '3',
    cardid: '801874941',
    lsh,
    jssqxh: 'JS202611270000000002',
    totalexpense: '90.00',
    curaccountpay: '0.00',
    hisaccountpay: '0.00',
    zfdxjzfs: '0.00',
    zfdlnzhzfs: '0.00',
    tcdzhzfs: '0.00',
    tcdxjzfs: '20.00',
    tczfs: '70.00',
    fjdzhzfs: '0.00',
    fjdxjzfs: '0.00',
    fjzfs: '0.00',
    curaccountamt: '0.00',
    hisaccountamt: '0.00',
    ybjsfwfyze: '90.00',
    fybjsfwfyze: '10.00',
    jlc: '',
    jfje: '0.00',
  };
  const parsed = parseWuqiPayResponse('SI12', xxnr);
  if (!parsed.ok) throw new Error(`paidWuqi: ${JSON.stringify(parsed.issues)}`);
  return {
    source: 'poll',
    ecToken,
    payStatus: '1',
    wuqi: parsed.settlement,
    channel: 'wechat',
    thirdOrderNo: orderNo,
    tradeNo: 'T1',
    amount: '30.00',
    gmt: '2026-11-27 10:00:00',
  };
}
