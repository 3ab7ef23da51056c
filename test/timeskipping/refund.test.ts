import type { Duration } from '@temporalio/common';
import type { InsuranceRefund } from '../../activities/contract';
import type { PayResult } from '../../protocol/pay-result';
import {
  DEFAULT_TIMING,
  payPushSignal,
  refundPushSignal,
  refundStatusQuery,
  refundWorkflowId,
  remedyRefundUpdate,
  requestRefundUpdate,
  resolveRefundUpdate,
  type SettlementInput,
  type SettlementView,
} from '../../workflows/messages';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { ClaimSpace } from '../../activities/claim-activities';
import { SettlementCommands } from '../../api/service/commands';
import type { EcTokenIndex } from '../../api/service/ectoken-index';
import { PushRouter } from '../../api/service/push-routing';
import { SettlementQueries } from '../../api/service/queries';
import type { Config } from '../../common/config';
import { createLogger } from '../../common/logger';
import { STATUS_MEMO_KEY, type StatusMemo } from '../../workflows/status-memo';
import { operator } from '../helpers/api-client';
import { TASK_QUEUE, useTimeSkipping, types } from './env';
import { paid, paidWuqi, refunded, WUQI_ACCOUNT, type Script } from './fake-platform';
import { wuqiBillSchema } from '../../protocol/wuqi-bills';
import { sampleWuqiBill } from '../../routes/wuqi/simulator/samples';

// Refunds with the real default timing: 2208 first, then the platform's own cash refund (SE05/SE06 on
// the settlement schedule), SE07 only as the remedy, 2601 冲正 for an unanswered 2208. The refund's home is
// the order's workflow (patch one-refund-model): SE05 pushes, remedy, resolve and the refund's view go there.
// seconds of wall time each on an idle machine; generous limits for a loaded one
const ts = useTimeSkipping();

const found = (r: PayResult) => ({ kind: 'result' as const, result: r });
const se06 = (status: '1' | '0' | '-1', amount?: string) => ({ kind: 'result' as const, result: refunded('x', status, amount) });
const calls = (ecToken: string, name: string) => ts.fake.names(ecToken).filter((n) => n === name).length;
const skipThen = async (orderNo: string, skip: Duration, pred: (v: SettlementView) => boolean) => {
  await ts.env.sleep(skip);
  return ts.until(orderNo, pred);
};

/** A PAID settlement (by push) with the refund script in place. */
async function paidOrder(ecToken: string, refund: Script, over: { r?: (e: string, o: string) => PayResult; input?: Partial<SettlementInput> } = {}) {
  const o = await ts.start({ insuplcAdmdvs: '320100', ...over.input }, ecToken);
  const r = (over.r ?? paid)(ecToken, o.orderNo);
  ts.fake.script(ecToken, {
    onSe02: () => ts.client.workflow.getHandle(o.orderNo).signal(payPushSignal, { ...r, source: 'push' }),
    se04: [found(r)],
    ...refund,
  });
  await ts.until(o.orderNo, (v) => v.status === 'PAID');
  return o;
}
const requestRefund = (orderNo: string) => ts.client.workflow.getHandle(orderNo).executeUpdate(requestRefundUpdate, { args: [{ operator, reason: 'test' }] });

describe('refund', () => {
  test('2208 with setl_id, mdtrt_id, psn_no and insuplc_admdvs; then the platform refunds the cash part (SE06 0, then 1): REFUNDED, no SE07', async () => {
    const o = await paidOrder('TOK-r1', { se06: [se06('0'), se06('1', '30.0')] });
    const s = await requestRefund(o.orderNo);
    expect(s.status).toBe('INSURANCE_REFUNDING');
    const v = await skipThen(o.orderNo, '1 minute', (x) => x.status === 'REFUNDED');
    const r2208 = ts.fake.calls(o.ecToken).find((c) => c.name === 'refundInsurance')!.args;
    expect(r2208).toMatchObject({ setlId: `SETL-${o.ecToken}`, mdtrtId: 'MDTRT1', psnNo: 'P1', insuplcAdmdvs: '320100' });
    expect(v.refund?.insuranceOutput).toEqual({ setlinfo: { setl_id: 'R1' } });
    expect(v.refund?.cashAmount).toBe('30.00'); // "30.0" from SE06 compared in fen
    expect(calls(o.ecToken, 'submitSe07')).toBe(0);
    expect(calls(o.ecToken, 'queryRefund')).toBe(2);
    expect((await o.handle.result()).status).toBe('REFUNDED'); // the workflow closes once refunded
  });

  test('an SE05 push is confirmed by SE06: REFUNDED by push', async () => {
    const o = await paidOrder('TOK-r2', {
      onInsurance: async () => {
        setTimeout(
          () =>
            void ts.client.workflow
              .getHandle(o.orderNo)
              .signal(refundPushSignal, refunded(o.ecToken, '1', '30.00', 'push'))
              .catch(() => undefined),
          200,
        );
      },
      se06: [se06('1', '30.00')],
    });
    await requestRefund(o.orderNo);
    const v = await ts.until(o.orderNo, (x) => x.status === 'REFUNDED');
    expect(v.reason).toMatch(/by push$/);
    expect(calls(o.ecToken, 'submitSe07')).toBe(0);
  });

  test('SE06 says the cash part failed (-1): SE07 as the remedy, then REFUNDED', async () => {
    const o = await paidOrder('TOK-r3', { se06: [se06('-1'), se06('1', '30.00')] });
    await requestRefund(o.orderNo);
    const v = await skipThen(o.orderNo, '1 minute', (x) => x.status === 'REFUNDED');
    expect(calls(o.ecToken, 'submitSe07')).toBe(1);
    expect(ts.fake.calls(o.ecToken).find((c) => c.name === 'submitSe07')!.args).toMatchObject({ thirdOrderNo: o.orderNo });
    expect(v.refund?.status).toBe('REFUNDED');
  });

  test('no cash refund seen after the 30 min grace: NEEDS_REVIEW CASH_REFUND_NOT_SEEN, never SE07 on silence (the default)', async () => {
    const o = await paidOrder('TOK-r4-review', { se06: [{ kind: 'notFound', message: '无退款' }] });
    await requestRefund(o.orderNo);
    await ts.env.sleep('25 minutes');
    await ts.until(o.orderNo, (x) => x.refund?.status === 'CASH_REFUNDING');
    const v = await skipThen(o.orderNo, '10 minutes', (x) => x.status === 'NEEDS_REVIEW');
    expect(v.refund?.reason).toMatch(/^CASH_REFUND_NOT_SEEN/);
    expect(v.review?.kind).toBe('refund');
    expect(calls(o.ecToken, 'submitSe07')).toBe(0);
    // finance checked with the centre: the cash was not refunded. One audited action sends the remedy
    // (SE06 asked first); a second one is refused.
    const refundHandle = ts.client.workflow.getHandle(o.orderNo);
    const refused = (re: RegExp) => ({ cause: expect.objectContaining({ message: expect.stringMatching(re) }) });
    await expect(refundHandle.executeUpdate(remedyRefundUpdate, { args: [{ operator: '财务王', note: '' }] })).rejects.toMatchObject(
      refused(/operator and note/),
    );
    const se06Before = calls(o.ecToken, 'queryRefund');
    const after = await refundHandle.executeUpdate(remedyRefundUpdate, { args: [{ operator: '财务王', note: '中心确认现金未退', by: 'finance-key' }] });
    expect(after.status).toBe('CASH_REFUNDING');
    await ts.until(o.orderNo, () => calls(o.ecToken, 'submitSe07') === 1);
    expect(calls(o.ecToken, 'queryRefund')).toBeGreaterThan(se06Before); // SE06 before SE07
    await expect(refundHandle.executeUpdate(remedyRefundUpdate, { args: [{ operator: '财务王', note: 'again' }] })).rejects.toMatchObject(
      refused(/NEEDS_REVIEW|already/),
    );
    ts.fake.script(o.ecToken, { se06: [se06('1', '30.00')] });
    const done = await skipThen(o.orderNo, '1 minute', (x) => x.status === 'REFUNDED');
    expect(done.refund?.cashAmount).toBe('30.00');
    const events = (await refundHandle.query(refundStatusQuery)).events;
    expect(events.find((e) => e.type === 'REMEDY_REQUESTED')?.detail).toBe('by 财务王 (key finance-key): 中心确认现金未退');
    expect(calls(o.ecToken, 'submitSe07')).toBe(1);
  });

  test("a person's remedy when SE06 now shows the cash refund: no SE07, REFUNDED", async () => {
    const o = await paidOrder('TOK-r4-late', { se06: [{ kind: 'notFound', message: '无退款' }] });
    await requestRefund(o.orderNo);
    await skipThen(o.orderNo, '35 minutes', (x) => x.status === 'NEEDS_REVIEW');
    ts.fake.script(o.ecToken, { se06: [se06('1', '30.00')] }); // the centre's automatic refund came late
    await ts.client.workflow.getHandle(o.orderNo).executeUpdate(remedyRefundUpdate, { args: [{ operator: '财务王', note: '中心确认' }] });
    const v = await ts.until(o.orderNo, (x) => x.status === 'REFUNDED');
    expect(calls(o.ecToken, 'submitSe07')).toBe(0);
    expect(v.refund?.status).toBe('REFUNDED');
  });

  test('D: an SE05 push that fails verification, then SE06 "no such refund" past the grace: no SE07; review at the 24 h deadline', async () => {
    const o = await paidOrder(
      'TOK-r4-D',
      {
        // delivered while the first SE06 runs: the cash part is awaited by then
        onSe06: async (n) => {
          if (n === 0) await ts.client.workflow.getHandle(o.orderNo).signal(refundPushSignal, refunded(o.ecToken, '1', '29.00', 'push'));
        },
        se06: [{ kind: 'notFound', message: '无退款' }],
      },
      { input: { timing: { refund: { ...DEFAULT_TIMING.refund, cashSilence: 'remedy' } } } },
    );
    await requestRefund(o.orderNo);
    await ts.until(o.orderNo, (x) => x.refund?.status === 'CASH_REFUNDING');
    const v = await skipThen(o.orderNo, '25 hours', (x) => x.status === 'NEEDS_REVIEW');
    expect(v.refund?.reason).toMatch(/^PUSH_UNCONFIRMED: push: CASH_REFUND_AMOUNT_MISMATCH/);
    expect(calls(o.ecToken, 'submitSe07')).toBe(0);
  });

  test('SE06 -1, SE07, then one more -1 (it may predate the SE07) and 1: REFUNDED, one SE07', async () => {
    const o = await paidOrder('TOK-r4-stale', { se06: [se06('-1'), se06('-1'), se06('1', '30.00')] });
    await requestRefund(o.orderNo);
    const v = await skipThen(o.orderNo, '2 minutes', (x) => x.status === 'REFUNDED');
    expect(calls(o.ecToken, 'submitSe07')).toBe(1);
    expect(v.refund?.cashAmount).toBe('30.00');
  });

  test('CASH_REFUND_SILENCE=remedy: no cash refund seen after the 30 min grace: SE07 remedy; never before', async () => {
    const o = await paidOrder(
      'TOK-r4',
      { se06: [{ kind: 'notFound', message: '无退款' }] },
      { input: { timing: { refund: { ...DEFAULT_TIMING.refund, cashSilence: 'remedy' } } } },
    );
    await requestRefund(o.orderNo);
    await ts.env.sleep('25 minutes');
    await ts.until(o.orderNo, (x) => x.refund?.status === 'CASH_REFUNDING');
    expect(calls(o.ecToken, 'submitSe07')).toBe(0);
    await ts.env.sleep('10 minutes');
    await ts.until(o.orderNo, () => calls(o.ecToken, 'submitSe07') === 1);
    ts.fake.script(o.ecToken, { se06: [se06('1', '30.00')] }); // the remedy worked
    const v = await skipThen(o.orderNo, '10 minutes', (x) => x.status === 'REFUNDED');
    expect(calls(o.ecToken, 'submitSe07')).toBe(1);
    expect(v.refund?.cashAmount).toBe('30.00');
  });

  test('SE06 says 0 (退款中) for a day: never SE07; NEEDS_REVIEW at the 24 h deadline', async () => {
    const o = await paidOrder('TOK-r5', { se06: [se06('0')] });
    await requestRefund(o.orderNo);
    const v = await skipThen(o.orderNo, '25 hours', (x) => x.status === 'NEEDS_REVIEW');
    expect(v.review?.kind).toBe('refund');
    expect(calls(o.ecToken, 'submitSe07')).toBe(0);
    await ts.client.workflow
      .getHandle(o.orderNo)
      .executeUpdate(resolveRefundUpdate, { args: [{ decision: 'REFUNDED', operator: 'finance', note: 'seen in the bank' }] });
    expect((await ts.until(o.orderNo, (x) => x.status === 'REFUNDED')).refund?.status).toBe('REFUNDED');
  });

  test('a cash part that failed after its remedy: REFUND_FAILED; a new request skips 2208 and ends REFUNDED', async () => {
    const o = await paidOrder('TOK-r6', { se06: [se06('-1')] });
    await requestRefund(o.orderNo);
    const failed = await skipThen(o.orderNo, '1 minute', (x) => x.status === 'REFUND_FAILED');
    expect(failed.reason).toMatch(/^CASH_REFUND_FAILED/);
    expect(failed.refund?.insuranceRefundedAt).toBeDefined();
    ts.fake.script(o.ecToken, { se06: [se06('1', '30.00')] });
    const again = await requestRefund(o.orderNo);
    expect(again.status).toBe('CASH_REFUNDING');
    expect(again.insuranceRefundedAt).toBe(failed.refund?.insuranceRefundedAt);
    const v = await skipThen(o.orderNo, '1 minute', (x) => x.status === 'REFUNDED');
    expect(calls(o.ecToken, 'refundInsurance')).toBe(1);
    expect(v.refund?.insuranceRefundedAt).toBe(failed.refund?.insuranceRefundedAt);
  });

  test('2208 unknown: 2601 冲正 with omsgid, oinfno 2208 and psn_no, then a new 2208 with a new msgid', async () => {
    const o = await paidOrder('TOK-r7', {
      insurance: [
        { kind: 'unknown', msgid: '2208-A', reason: 'timeout 150 s' },
        { kind: 'ok', msgid: '2208-B', output: {} },
      ],
      se06: [se06('1', '30.00')],
    });
    await requestRefund(o.orderNo);
    const v = await skipThen(o.orderNo, '1 minute', (x) => x.status === 'REFUNDED');
    const names = ts.fake.names(o.ecToken).filter((n) => ['refundInsurance', 'reverseInsuranceRefund', 'submitSe07', 'queryRefund'].includes(n));
    expect(names.slice(0, 3)).toEqual(['refundInsurance', 'reverseInsuranceRefund', 'refundInsurance']);
    expect(ts.fake.calls(o.ecToken).find((c) => c.name === 'reverseInsuranceRefund')!.args).toMatchObject({
      omsgid: '2208-A',
      oinfno: '2208',
      psnNo: 'P1',
      insuplcAdmdvs: '320100',
    });
    expect(v.refund?.insuranceMsgid).toBe('2208-B');
    const rv = await ts.client.workflow.getHandle(o.orderNo).query(refundStatusQuery);
    expect(types(rv)).toEqual(expect.arrayContaining(['INSURANCE_REFUND_UNKNOWN', 'REVERSAL_SENT', 'REVERSED', 'INSURANCE_REFUNDED']));
  });

  test('2208 unknown and its 2601 unknown too: NEEDS_REVIEW with both msgids, nothing else sent', async () => {
    const o = await paidOrder('TOK-r8', {
      insurance: [{ kind: 'unknown', msgid: '2208-X', reason: 'timeout' }],
      reversal: [{ kind: 'unknown', msgid: '2601-Y', reason: 'timeout' }],
    });
    await requestRefund(o.orderNo);
    const v = await ts.until(o.orderNo, (x) => x.status === 'NEEDS_REVIEW');
    expect(v.reason).toMatch(/2208 msgid 2208-X, 2601 msgid 2601-Y/);
    expect(calls(o.ecToken, 'refundInsurance')).toBe(1);
    expect(calls(o.ecToken, 'submitSe07')).toBe(0);
    expect(calls(o.ecToken, 'queryRefund')).toBe(0);
  });

  test('no cash part (ybpay): 2208 only, REFUNDED', async () => {
    const o = await paidOrder(
      'TOK-r9',
      {},
      { r: (e, n) => paid(e, n, { channel: 'ybpay', amount: undefined, thirdOrderNo: undefined }, { psn_cash_pay: '0.00', acct_pay: '30.00' }) },
    );
    await requestRefund(o.orderNo);
    const v = await ts.until(o.orderNo, (x) => x.status === 'REFUNDED');
    expect(v.reason).toBe('no cash part');
    expect(ts.fake.names(o.ecToken).filter((n) => n === 'queryRefund' || n === 'submitSe07')).toEqual([]);
  });

  test('concurrent refund requests all get the same refund; one 2208', async () => {
    const o = await paidOrder('TOK-r10', { se06: [se06('1', '30.00')] });
    const answers = await Promise.all(Array.from({ length: 10 }, () => requestRefund(o.orderNo)));
    expect(new Set(answers.map((a) => a.workflowId)).size).toBe(1);
    await skipThen(o.orderNo, '1 minute', (x) => x.status === 'REFUNDED');
    expect(calls(o.ecToken, 'refundInsurance')).toBe(1);
  });

  test('a refund amount that differs in fen: NEEDS_REVIEW, never REFUNDED', async () => {
    const o = await paidOrder('TOK-r11', { se06: [se06('1', '29.99')] });
    await requestRefund(o.orderNo);
    const v = await skipThen(o.orderNo, '1 minute', (x) => x.status === 'NEEDS_REVIEW');
    expect(v.reason).toMatch(/CASH_REFUND_AMOUNT_MISMATCH/);
  });

  test('a refund is refused before PAID', async () => {
    const o = await ts.start({}, 'TOK-r12');
    ts.fake.script(o.ecToken, { se02: [{ kind: 'unknown', msgid: 'M', reason: 'x' }], se04: [{ kind: 'unknown', reason: 'x' }] });
    await expect(requestRefund(o.orderNo)).rejects.toThrow();
  });
});

/** A PAID 五期 settlement (SI12, 100.00, cash 30.00; by push confirmed by SE04) with the refund script in place. */
async function paidWuqiOrder(ecToken: string, refund: Script) {
  const o = await ts.start({ wuqiPayRequest: wuqiBillSchema.parse(sampleWuqiBill('SI12', '100.00')) }, ecToken);
  const r = paidWuqi(ecToken, o.orderNo);
  ts.fake.script(ecToken, {
    account: WUQI_ACCOUNT,
    onSe02: () => ts.client.workflow.getHandle(o.orderNo).signal(payPushSignal, { ...r, source: 'push' }),
    se04: [found(r)],
    ...refund,
  });
  const v = await ts.until(o.orderNo, (x) => x.status === 'PAID');
  return { ...o, lsh: r.wuqi!.lsh, paid: v };
}
const wuqiNames = (ecToken: string) =>
  ts.fake.names(ecToken).filter((n) => ['refundInsurance', 'reverseInsuranceRefund', 'submitSe07', 'queryRefund'].includes(n));

describe('五期 refund', () => {
  test('PAID 五期 keeps lsh, totalexpense and the cash part; SK01 with translsh and totalexpense; the cash part by the platform: REFUNDED, no SE07, no 2601', async () => {
    const o = await paidWuqiOrder('TOK-w1', { se06: [se06('0'), se06('1', '30.0')] });
    expect(o.paid.route).toBe('WUQI');
    expect(o.paid.events.find((e) => e.type === 'ROUTED')?.detail).toMatch(/^WUQI: accountattr\[2\]=1/);
    // totalexpense: the insured 90.00; cash: what the patient paid, the 10.00 self-pay included
    expect(o.paid.wuqi).toMatchObject({ type: 'SI12', lsh: o.lsh, totalexpense: '90.00', cash: '30.00', inScopeCash: '20.00', selfPay: '10.00' });
    await requestRefund(o.orderNo);
    const v = await skipThen(o.orderNo, '1 minute', (x) => x.status === 'REFUNDED');
    const sk01 = ts.fake.calls(o.ecToken).filter((c) => c.name === 'refundInsurance');
    expect(sk01).toHaveLength(1);
    expect(sk01[0]!.args).toMatchObject({ route: 'WUQI', wuqi: { translsh: o.lsh, totalexpense: '90.00' } });
    expect((sk01[0]!.args as { wuqi: object }).wuqi).not.toHaveProperty('carddata');
    expect(v.refund?.cashAmount).toBe('30.00');
    expect(calls(o.ecToken, 'submitSe07')).toBe(0);
    expect(calls(o.ecToken, 'reverseInsuranceRefund')).toBe(0);
  });

  test('a cash refund of another amount than the 五期 cash part: NEEDS_REVIEW', async () => {
    const o = await paidWuqiOrder('TOK-w2', { se06: [se06('1', '100.00')] });
    await requestRefund(o.orderNo);
    const v = await skipThen(o.orderNo, '1 minute', (x) => x.status === 'NEEDS_REVIEW');
    expect(v.reason).toMatch(/CASH_REFUND_AMOUNT_MISMATCH/);
  });

  test('SE06 says the 五期 cash part failed: SE07 on 五期 as the remedy, REFUNDED', async () => {
    const o = await paidWuqiOrder('TOK-w3', { se06: [se06('-1'), se06('1', '30.00')] });
    await requestRefund(o.orderNo);
    await skipThen(o.orderNo, '1 minute', (x) => x.status === 'REFUNDED');
    const se07 = ts.fake.calls(o.ecToken).filter((c) => c.name === 'submitSe07');
    expect(se07).toHaveLength(1);
    expect(se07[0]!.args).toMatchObject({ route: 'WUQI', thirdOrderNo: o.orderNo });
  });

  test('SK01 unknown, SE06 shows the refund: the SK01 acted; no 2601, no second SK01', async () => {
    const o = await paidWuqiOrder('TOK-w4', { insurance: [{ kind: 'unknown', msgid: 'SK01-A', reason: 'T100' }], se06: [se06('0'), se06('1', '30.00')] });
    await requestRefund(o.orderNo);
    await skipThen(o.orderNo, '1 minute', (x) => x.status === 'REFUNDED');
    expect(wuqiNames(o.ecToken).slice(0, 2)).toEqual(['refundInsurance', 'queryRefund']);
    expect(calls(o.ecToken, 'refundInsurance')).toBe(1);
    expect(calls(o.ecToken, 'reverseInsuranceRefund')).toBe(0);
    const rv = await ts.client.workflow.getHandle(o.orderNo).query(refundStatusQuery);
    expect(types(rv)).toEqual(expect.arrayContaining(['INSURANCE_REFUND_UNKNOWN', 'SK01_CHECKED', 'INSURANCE_REFUND_CONFIRMED']));
  });

  test('SK01 unknown, SE06 has no refund: one more SK01, whose P510 counts as done; REFUNDED', async () => {
    const o = await paidWuqiOrder('TOK-w5', {
      insurance: [
        { kind: 'unknown', msgid: 'SK01-A', reason: 'T100' },
        { kind: 'business', msgid: 'SK01-B', code: 'P510', message: 'P510 该笔交易已经退款', alreadyRefunded: true },
      ],
      se06: [{ kind: 'notFound', message: 'P610' }, se06('1', '30.00')],
    });
    await requestRefund(o.orderNo);
    await ts.until(o.orderNo, (x) => x.status === 'REFUNDED', 60_000);
    expect(wuqiNames(o.ecToken).slice(0, 3)).toEqual(['refundInsurance', 'queryRefund', 'refundInsurance']);
    expect(calls(o.ecToken, 'reverseInsuranceRefund')).toBe(0);
    expect(calls(o.ecToken, 'submitSe07')).toBe(0);
  });

  test('SK01 unknown and SE06 cannot tell: NEEDS_REVIEW, never a blind second SK01', async () => {
    const o = await paidWuqiOrder('TOK-w6', { insurance: [{ kind: 'unknown', msgid: 'SK01-A', reason: 'T100' }], se06: [{ kind: 'unknown', reason: 'T100' }] });
    await requestRefund(o.orderNo);
    const v = await ts.until(o.orderNo, (x) => x.status === 'NEEDS_REVIEW', 60_000);
    expect(v.reason).toMatch(/INSURANCE_REFUND_UNKNOWN: SK01 msgid SK01-A/);
    expect(calls(o.ecToken, 'refundInsurance')).toBe(1);
    expect(calls(o.ecToken, 'reverseInsuranceRefund')).toBe(0);
  });

  test('P510 on a first SK01 (no unknown attempt before): NEEDS_REVIEW, never assumed', async () => {
    const o = await paidWuqiOrder('TOK-w7', {
      insurance: [{ kind: 'business', msgid: 'SK01-A', code: 'P510', message: 'P510 已经退款', alreadyRefunded: true }],
    });
    await requestRefund(o.orderNo);
    const v = await ts.until(o.orderNo, (x) => x.status === 'NEEDS_REVIEW');
    expect(v.reason).toMatch(/INSURANCE_REFUND_REJECTED/);
  });

  test('SK01 refuses the stored token: REFUND_FAILED ECTOKEN_REFUSED; with a fresh e-voucher of the payer, SK01 carries it and SE06 keeps the original', async () => {
    const refused: InsuranceRefund = {
      kind: 'business',
      msgid: 'SK01-A',
      code: 'P300',
      message: 'P300 电子凭证令牌已失效',
      alreadyRefunded: false,
      tokenRefused: true,
    };
    const o = await paidWuqiOrder('TOK-w8', { insurance: [refused, { kind: 'ok', msgid: 'SK01-B', output: { translsh: 'x' } }], se06: [se06('1', '30.00')] });
    await requestRefund(o.orderNo);
    // SK01's refusal is final at once (nothing moved); the first SE06 poll comes 5 s after the fresh SK01
    const failed = await ts.until(o.orderNo, (x) => x.status === 'REFUND_FAILED');
    expect(failed.reason).toMatch(/^ECTOKEN_REFUSED: .*fresh e-voucher/);
    await ts.client.workflow.getHandle(o.orderNo).executeUpdate(requestRefundUpdate, { args: [{ operator, ecQrCode: 'QR-FRESH-w8', ecQrChannel: '2' }] });
    const v = await skipThen(o.orderNo, '10 seconds', (x) => x.status === 'REFUNDED');
    expect(v.refund?.cashAmount).toBe('30.00');
    // the voucher was checked against the payer's masked 卡号, SK01's carddata is the fresh token, SE06 asks by the original
    expect(ts.fake.calls('FRESH-w8').find((c) => c.name === 'checkRefundVoucher')?.args).toMatchObject({
      voucher: { ecQrCode: 'QR-FRESH-w8', ecQrChannel: '2' },
      payerCardMask: '*****4941',
    });
    const sk01 = ts.fake.calls(o.ecToken).filter((c) => c.name === 'refundInsurance');
    expect(sk01.map((c) => (c.args as { wuqi: { carddata?: string } }).wuqi.carddata)).toEqual([undefined, 'FRESH-w8']);
    expect(sk01[1]!.args).toMatchObject({ ecToken: o.ecToken });
    expect(calls(o.ecToken, 'queryRefund')).toBeGreaterThan(0);
  });

  test('a fresh e-voucher of another person: REFUND_FAILED FRESH_VOUCHER_REFUSED, no SK01 sent', async () => {
    const o = await paidWuqiOrder('TOK-w9', {});
    ts.fake.script('OTHER-w9', { refundVoucher: { kind: 'refused', message: "PERSON_MISMATCH: the fresh e-voucher is not the payer's (卡号 differs)" } });
    await ts.client.workflow.getHandle(o.orderNo).executeUpdate(requestRefundUpdate, { args: [{ operator, ecToken: 'OTHER-w9' }] });
    const v = await ts.until(o.orderNo, (x) => x.status === 'REFUND_FAILED');
    expect(v.reason).toMatch(/^FRESH_VOUCHER_REFUSED: PERSON_MISMATCH/);
    expect(calls(o.ecToken, 'refundInsurance')).toBe(0);
  });
});

describe('one refund model (patch one-refund-model)', () => {
  /** The API's own push router, queries and commands on this server, with the ecToken → orderNo index given. */
  function api(owners: Map<string, string>) {
    const config = { TEMPORAL_TASK_QUEUE: TASK_QUEUE } as Config;
    const log = createLogger('test', 'silent');
    const tokens = { orderNoFor: async (t: string) => owners.get(t), remember: () => undefined } as unknown as EcTokenIndex;
    const queries = new SettlementQueries(ts.client, config, tokens);
    return {
      pushes: new PushRouter(ts.client, config, log, tokens),
      queries,
      commands: new SettlementCommands(ts.client, {} as ClaimSpace, config, log, queries, tokens),
    };
  }

  test("the refund lives in the order's workflow: the API's SE05 push and resolve go there, no refund child, no progress signal; the memo carries the refund", async () => {
    const o = await paidOrder('TOK-one', { se06: [se06('0')] });
    const a = api(new Map([[o.ecToken, o.orderNo]]));
    const accepted = await requestRefund(o.orderNo);
    expect(accepted.workflowId).toBe(o.orderNo); // the pointer: the refund's home is the order itself
    await ts.until(o.orderNo, (x) => x.refund?.status === 'CASH_REFUNDING');
    // SE05 through the API's router: addressed by the order's memo pointer, taken by the order's refund
    expect(await a.pushes.deliverRefundPush(refunded(o.ecToken, '0', '30.00', 'push'), 'NATIONAL', { ecToken: o.ecToken, refundStatus: '0' })).toBe(
      'signalled',
    );
    await ts.env.sleep('25 hours'); // SE06 says 0 for a day: review at the deadline
    await ts.until(o.orderNo, (x) => x.status === 'NEEDS_REVIEW');
    const inReview = await a.queries.refundView(o.orderNo);
    expect(inReview.status).toBe('NEEDS_REVIEW');
    expect(inReview.events.find((e) => e.type === 'PUSH_RECEIVED')?.detail).toBe('refundStatus 0');
    // the API's resolve goes to the same workflow, and moves the order's status directly
    const resolved = await a.commands.resolve(o.orderNo, { decision: 'REFUNDED', operator: 'finance', note: 'seen in the bank' });
    expect(resolved.refund?.status).toBe('REFUNDED');
    expect((await o.handle.result()).status).toBe('REFUNDED');

    // one workflow: no refund child ever ran
    await expect(ts.client.workflow.getHandle(refundWorkflowId(o.orderNo)).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    const events = (await o.handle.fetchHistory()).events ?? [];
    const signals = events.flatMap((e) => (e.workflowExecutionSignaledEventAttributes ? [e.workflowExecutionSignaledEventAttributes.signalName] : []));
    const updates = events.flatMap((e) =>
      e.workflowExecutionUpdateAcceptedEventAttributes ? [e.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest?.input?.name] : [],
    );
    expect(signals.filter((n) => n === 'refundProgress')).toEqual([]);
    expect(signals.filter((n) => n === 'refundPush')).toEqual(['refundPush']);
    expect(updates).toEqual(expect.arrayContaining(['requestRefund', 'resolveRefund']));
    expect(events.filter((e) => e.startChildWorkflowExecutionInitiatedEventAttributes)).toEqual([]);
    // a status read without a worker (the memo) still shows the refund and where it lives
    const memo = (await o.handle.describe()).memo?.[STATUS_MEMO_KEY] as StatusMemo;
    expect(memo.refund).toMatchObject({ workflowId: o.orderNo, status: 'REFUNDED', insuranceMsgid: expect.any(String) });
    expect(memo.status).toBe('REFUNDED');
  });
});
