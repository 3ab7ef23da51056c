import type { Outcome, RefundQueryOutcome } from '../../activities/contract';
import type { RefundResult } from '../../protocol/pay-result';
import type { Config } from '../../common/config';
import { createLogger } from '../../common/logger';
import type { PlatformClient } from '../../platform/client';
import { wuqiBalanced, type CentreDay } from '../../protocol/centre-reconciliation';
import { sl01Totals } from '../../protocol/recon-wuqi';
import {
  allRoutes,
  centreFactsOf,
  insuranceCallOf,
  paidIdOf,
  refundTargetOf,
  ROUTE_EVENT_TYPES,
  ROUTE_MEMO_FIELDS,
  routeOf,
  settledOf,
  submitParts,
  viewFactsOf,
  webhookAmountsOf,
} from '../../routes';
import { activityPartOf, centrePartOf, createRouteActivities, dayCloseActivitiesOf } from '../../routes/activities';
import { build5203Input, buildSi91Input } from '../../protocol/centre-query';
import type { PolicyInput, RefundCalls, RefundRecorder, RouteViewParts } from '../../routes/route-adapter';
import type { WuqiBill } from '../../protocol/wuqi-bills';
import { sampleWuqiBill } from '../../routes/wuqi/simulator/samples';
import { paid, paidWuqi } from '../timeskipping/fake-platform';

// The routes' workflow-safe parts (routes/<route>/): what the workflows read of a result is route-neutral
// facts, the insurance part's recovery is the route's policy, and the day close's call is the route's own.
// Each test names the facts it checks.

const OPERATOR = { opter: 'op1', opter_name: '收费员', opter_type: '4' as const };

describe('a paid result read into route-neutral facts', () => {
  test('national: setl_id is the id, claimed as setl:<id>; the view keeps setlinfo and setldetail; cash is psn_cash_pay in fen', () => {
    const r = paid('tok1', 'ORDER1');
    expect(paidIdOf(r)).toEqual({ setlId: 'SETL-tok1', claimKey: 'setl:SETL-tok1' });
    const s = settledOf(r)!;
    expect(Object.keys(s.view)).toEqual(['setlinfo', 'setldetail']);
    expect('payerCardMask' in s).toBe(false);
    const view = s.view;
    expect(viewFactsOf(view)).toEqual({ setlId: 'SETL-tok1', cashFen: 3000 });
    expect(refundTargetOf(view, {})).toEqual({ setlId: 'SETL-tok1', mdtrtId: 'MDTRT1', psnNo: 'P1', cashFen: 3000 });
    expect(webhookAmountsOf(view)).toEqual({ fundPaySumamt: '70.00', acctPay: '0.00', psnCashPay: '30.00' });
    // the centre reads ids and amounts only: no name, no certificate number
    const c = centreFactsOf(view);
    expect(c.setlinfo).toMatchObject({ setl_id: 'SETL-tok1', mdtrt_id: 'MDTRT1', psn_no: 'P1', psn_cash_pay: '30.00' });
    expect(JSON.stringify(c)).not.toMatch(/psn_name|certno|测试/);
  });

  test('五期: the 中心流水号 lsh is the id, claimed as wuqi-lsh:<lsh>; the view keeps the wuqi part; the payer card is kept masked; SK01 targets lsh and totalexpense', () => {
    const r = paidWuqi('tok2', 'ORDER2', 'LSH0000000000002');
    expect(paidIdOf(r)).toEqual({ setlId: 'LSH0000000000002', claimKey: 'wuqi-lsh:LSH0000000000002' });
    const s = settledOf(r)!;
    expect(Object.keys(s.view)).toEqual(['wuqi']);
    expect(s.view.wuqi).toMatchObject({ lsh: 'LSH0000000000002', totalexpense: '90.00', cash: '30.00' });
    expect(s.payerCardMask).toBe(r.wuqi!.xxnr.cardid);
    expect(viewFactsOf(s.view)).toEqual({ setlId: 'LSH0000000000002', cashFen: 3000 });
    // xsywlx "2" (the default) is left out of the child's input; the bill's "1" goes with it
    expect(refundTargetOf(s.view, {})).toEqual({
      setlId: 'LSH0000000000002',
      mdtrtId: '',
      psnNo: '',
      wuqi: { translsh: 'LSH0000000000002', totalexpense: '90.00' },
      cashFen: 3000,
    });
    const bill = sampleWuqiBill('SI12', '100.00') as unknown as WuqiBill;
    const billOne = { ...bill, xxnr: { ...bill.xxnr, xsywlx: '1' } } as WuqiBill;
    expect(refundTargetOf(s.view, { wuqiPayRequest: billOne })!.wuqi).toEqual({ translsh: 'LSH0000000000002', totalexpense: '90.00', xsywlx: '1' });
    expect(webhookAmountsOf(s.view)).toBeUndefined();
    expect(centreFactsOf(s.view)).toEqual({ wuqi: s.view.wuqi });
  });

  test('a view without a settlement has no facts: no refund target, no centre part', () => {
    const empty: RouteViewParts = {};
    expect(viewFactsOf(empty)).toBeUndefined();
    expect(refundTargetOf(empty, {})).toBeUndefined();
    expect(centreFactsOf(empty)).toEqual({});
  });
});

describe('the route checks a result against the order', () => {
  test('national: psn_cash_pay must equal the channel amount; a push must agree with SE04 on setl_id', () => {
    const checks = routeOf('NATIONAL').payChecks({ ecToken: 'tok1', medfeeFen: 10_000, input: {}, patched: () => true });
    expect(checks.verify(paid('tok1', 'O'))).toBeUndefined();
    expect(checks.verify(paid('tok1', 'O', { amount: '29.00' }))).toMatch(/^CASH_AMOUNT_MISMATCH/);
    expect(checks.verify(paid('tok1', 'O', {}, { medfee_sumamt: '99.00' }))).toMatch(/^MEDFEE_MISMATCH/);
    expect(checks.agree(paid('tok1', 'O'), paid('tok1', 'O', {}, { setl_id: 'OTHER' }))).toMatch(/^PUSH_QUERY_MISMATCH: setl_id/);
  });

  test('五期: the whole bill settled and the amount within the cash bounds; the patch wuqi-self-pay is read only by the 五期 checks', () => {
    const bill = sampleWuqiBill('SI12', '100.00', { selfPay: '10.00' }) as unknown as WuqiBill;
    const asked: string[] = [];
    const checks = routeOf('WUQI').payChecks({ ecToken: 'tok2', medfeeFen: 10_000, input: { wuqiPayRequest: bill }, patched: (id) => (asked.push(id), true) });
    expect(asked).toEqual(['wuqi-self-pay']);
    expect(checks.verify(paidWuqi('tok2', 'O'))).toBeUndefined();
    expect(checks.verify({ ...paidWuqi('tok2', 'O'), amount: '5.00' })).toMatch(/^CASH_AMOUNT_MISMATCH/);
    expect(checks.agree(paidWuqi('tok2', 'O', 'LSH-A'), paidWuqi('tok2', 'O', 'LSH-B'))).toMatch(/^PUSH_QUERY_MISMATCH: lsh/);
    const national: string[] = [];
    routeOf('NATIONAL').payChecks({ ecToken: 't', medfeeFen: 1, input: {}, patched: (id) => (national.push(id), true) });
    expect(national).toEqual([]);
  });

  test('a 五期 order without its bill is refused before SE02; national needs 1101 for its header, 五期 not', () => {
    expect(routeOf('WUQI').inputRefusal({})).toBe('ROUTE_WUQI_NO_PAYREQUEST');
    expect(routeOf('NATIONAL').inputRefusal({})).toBeUndefined();
    expect([routeOf('NATIONAL').needsPersonInfo, routeOf('WUQI').needsPersonInfo]).toEqual([true, false]);
  });
});

describe("the insurance part's recovery after an unknown outcome", () => {
  function recorder(): RefundRecorder & { view: { step: string; reversalMsgid?: string }; events: Array<[string, string | undefined]> } {
    const events: Array<[string, string | undefined]> = [];
    const view: { step: string; reversalMsgid?: string } = { step: 'X' };
    return {
      view,
      events,
      event: (t, d) => void events.push([t, d]),
      step: (s) => void (view.step = s),
      reversalSent: (m) => void (view.reversalMsgid = m),
    };
  }
  const input: PolicyInput = {
    route: 'NATIONAL',
    orderNo: 'O1',
    ecToken: 'tok',
    operator: OPERATOR,
    setlId: 'S1',
    mdtrtId: 'M1',
    psnNo: 'P1',
    insuplcAdmdvs: '310000',
  };
  function calls(o: { reverse?: Outcome; se06?: RefundQueryOutcome[] }) {
    const sent: unknown[] = [];
    const slept: number[] = [];
    const se06 = [...(o.se06 ?? [])];
    const c: RefundCalls = {
      money: { reverseInsuranceRefund: async (a) => (sent.push(a), o.reverse ?? { kind: 'ok', msgid: 'REV1' }) },
      polls: {
        queryRefund: async (a) => (sent.push(a), se06.shift() ?? { kind: 'unknown', reason: 'no answer' }),
        checkRefundVoucher: async () => ({ kind: 'refused', message: 'not used' }),
      },
      sleep: async (ms) => void slept.push(ms),
      text: (err) => String(err),
    };
    return { c, sent, slept };
  }

  test('national: a 2208 without its msgid cannot be reversed: review, nothing sent', async () => {
    const { c, sent } = calls({});
    const rec = await routeOf('NATIONAL').refund.recoverUnknown(recorder(), input, c, { msgid: '', reason: 'timeout' });
    expect(rec).toEqual({ do: 'review', reason: 'INSURANCE_REFUND_UNKNOWN: the 2208 call did not return its msgid, so it cannot be reversed: timeout' });
    expect(sent).toEqual([]);
  });

  test('national: 2601 with omsgid, oinfno 2208 and psn_no; confirmed: REVERSAL_SENT, REVERSED, step back to 2208, retry', async () => {
    const { c, sent } = calls({});
    const state = recorder();
    const rec = await routeOf('NATIONAL').refund.recoverUnknown(state, input, c, { msgid: 'M2208', reason: 'timeout' });
    expect(rec).toEqual({ do: 'retry' });
    expect(sent).toEqual([{ omsgid: 'M2208', oinfno: '2208', psnNo: 'P1', insuplcAdmdvs: '310000', operator: OPERATOR }]);
    expect(state.events.map((e) => e[0])).toEqual(['REVERSAL_SENT', 'REVERSED']);
    expect(state.view).toEqual({ step: '2208', reversalMsgid: 'REV1' });
  });

  test('national: a refused 2601 is a review naming both msgids', async () => {
    const { c } = calls({ reverse: { kind: 'business', msgid: 'REV2', code: '-1', message: '原交易不存在' } });
    const rec = await routeOf('NATIONAL').refund.recoverUnknown(recorder(), input, c, { msgid: 'M2208', reason: 'timeout' });
    expect(rec).toEqual({ do: 'review', reason: 'REVERSAL_UNCONFIRMED: 2208 msgid M2208, 2601 msgid REV2: 原交易不存在' });
  });

  const refundRecord: RefundResult = { source: 'poll', ecToken: 'tok', refundStatus: '0' };
  test('五期: SE06 shows a refund: the SK01 acted (refunded), no 2601', async () => {
    const { c, sent } = calls({ se06: [{ kind: 'result', result: refundRecord }] });
    const state = recorder();
    const rec = await routeOf('WUQI').refund.recoverUnknown(state, { ...input, route: 'WUQI' }, c, { msgid: 'MSK01', reason: 'timeout' });
    expect(rec).toEqual({ do: 'refunded', detail: 'SE06 shows the refund of SK01 msgid MSK01' });
    expect(sent).toEqual([{ route: 'WUQI', ecToken: 'tok', operator: OPERATOR }]);
    expect(state.events).toEqual([['SK01_CHECKED', 'SE06 refundStatus 0']]);
  });

  test('五期: SE06 "no such refund": one more SK01 (retry), step back to SK01', async () => {
    const { c } = calls({ se06: [{ kind: 'notFound', message: 'P610' }] });
    const state = recorder();
    expect(await routeOf('WUQI').refund.recoverUnknown(state, { ...input, route: 'WUQI' }, c, { msgid: 'MSK01', reason: 'timeout' })).toEqual({ do: 'retry' });
    expect(state.view.step).toBe('SK01');
  });

  test('五期: SE06 cannot tell after three tries, 2, 4 and 6 s apart: review, never a blind second SK01', async () => {
    const { c, slept } = calls({});
    const rec = await routeOf('WUQI').refund.recoverUnknown(recorder(), { ...input, route: 'WUQI' }, c, { msgid: 'MSK01', reason: 'timeout' });
    expect(rec).toEqual({ do: 'review', reason: 'INSURANCE_REFUND_UNKNOWN: SK01 msgid MSK01 unanswered and SE06 cannot tell: timeout' });
    expect(slept).toEqual([2_000, 4_000, 6_000]);
  });

  test("the policies' data: step names, fresh e-voucher, what a refusal means", () => {
    const n = routeOf('NATIONAL').refund;
    const w = routeOf('WUQI').refund;
    expect([n.step, w.step]).toEqual(['2208', 'SK01']);
    expect(n.freshVoucher.accepted).toBe(false);
    expect(w.freshVoucher).toEqual({ accepted: true, event: 'SK01 goes out with a fresh e-voucher of the payer' });
    expect([n.alreadyRefundedConfirms, w.alreadyRefundedConfirms]).toEqual([false, true]);
    expect(n.tokenRefused).toBeUndefined();
    expect(w.tokenRefused!('P300 令牌无效')).toMatch(/^ECTOKEN_REFUSED: the centre refused the e-voucher token for SK01 \(P300 令牌无效\)/);
  });

  test('the insurance call carries a fresh e-voucher as 五期 carddata only; without one the input goes as it is', () => {
    const w = { ...input, route: 'WUQI' as const, wuqi: { translsh: 'L1', totalexpense: '90.00' } };
    expect(insuranceCallOf(w, 'FRESH').wuqi).toEqual({ translsh: 'L1', totalexpense: '90.00', carddata: 'FRESH' });
    expect(insuranceCallOf(w).wuqi).toEqual({ translsh: 'L1', totalexpense: '90.00' });
    expect(insuranceCallOf(input, 'FRESH').wuqi).toBeUndefined();
  });
});

describe("each route's part of the day close", () => {
  const day = (national: CentreDay['national'], wuqi: CentreDay['wuqi']): CentreDay => ({ date: '2026-12-03', national, wuqi, incomplete: [] });
  const nationalOrder = { orderNo: 'N1', kind: 'settlement', setlTime: '2026-12-03 10:00:00' } as unknown as CentreDay['national'][number];
  const wuqiEntry: CentreDay['wuqi'][number] = {
    orderNo: 'W1',
    kind: 'settlement',
    lsh: 'L1',
    parts: { curacc: 0, hisacc: 0, cash: 1_000, tc: 9_000, dffj: 0, flzf: 0, zfacc: 0, fybjsfw: 0 },
  };

  test('a route with nothing that day sends nothing, and its part says so', () => {
    const empty = day([], []);
    expect(routeOf('NATIONAL').dayClose.inputOf(empty)).toBeUndefined();
    expect(routeOf('WUQI').dayClose.inputOf(empty)).toBeUndefined();
    expect(routeOf('NATIONAL').dayClose.partOf(empty, undefined)).toEqual({ national: [] });
    expect(routeOf('WUQI').dayClose.partOf(empty, undefined)).toMatchObject({ wuqi: { reading: 'notSent', resultcollate: null } });
  });

  test('national sends its day to reconcileNationalDay; 五期 sends the SL01 totals in fen and reads a refusal as not passed', () => {
    const d = day([nationalOrder], [wuqiEntry]);
    expect(routeOf('NATIONAL').dayClose).toMatchObject({ activity: 'reconcileNationalDay' });
    expect(routeOf('NATIONAL').dayClose.inputOf(d)).toEqual({ date: '2026-12-03', orders: [nationalOrder] });
    expect(routeOf('WUQI').dayClose).toMatchObject({ activity: 'sendSl01' });
    expect(routeOf('WUQI').dayClose.inputOf(d)).toEqual({ totals: sl01Totals('2026-12-03', [wuqiEntry]) });
    const refused = routeOf('WUQI').dayClose.partOf(d, { kind: 'refused', msgid: 'M1', code: 'P301', message: '参数错' });
    expect(refused.wuqi).toMatchObject({ msgid: 'M1', meaning: 'SL01 refused: P301 参数错' });
    expect(wuqiBalanced(refused.wuqi!)).toBe(false);
  });

  test("every route's day-close activity is one its activity part registers, under that name", () => {
    const deps = { client: {} as PlatformClient, config: {} as Config, log: createLogger('test', 'silent') };
    const registered = dayCloseActivitiesOf(createRouteActivities(deps));
    for (const r of allRoutes()) expect(typeof registered[r.dayClose.activity]).toBe('function');
  });
});

describe('the registration: ROUTES alone, the other parts found by the folder', () => {
  test("every registered route's activity part loads from routes/<route>/activities.ts with every call", () => {
    for (const r of allRoutes()) {
      const part = activityPartOf(r.route)({ client: {} as PlatformClient, config: {} as Config, log: createLogger('test', 'silent') });
      expect(Object.keys(part)).toEqual(expect.arrayContaining(['submit', 'queryPay', 'queryRefund', 'refundInsurance', 'remedy', 'dayClose']));
    }
  });

  test("a route's centre part asks its own question only: 5203/5203A national, SI91 五期", async () => {
    // a centre that does not answer: each part still says what it asked
    const down = async () => ({ kind: 'unknown', msgid: 'M1', reason: 'down' });
    const client = { national: down, wuqi: down } as unknown as PlatformClient;
    const si91 = { xxlxm: 'SI91', input: buildSi91Input({ ecToken: 'T', jssqxh: 'J', totalexpense: '1.00' }) } as const;
    const q5203 = { infno: '5203', input: build5203Input({ psn_no: 'P', setl_id: 'S', mdtrt_id: 'M' }), setlId: 'S' } as const;
    expect(centrePartOf('NATIONAL')(client, si91, OPERATOR)).toBeUndefined();
    expect(centrePartOf('WUQI')(client, q5203, OPERATOR)).toBeUndefined();
    expect(await centrePartOf('NATIONAL')(client, q5203, OPERATOR)).toMatchObject({ asked: { infno: '5203', msgid: 'M1' } });
    expect(await centrePartOf('WUQI')(client, si91, OPERATOR)).toMatchObject({ asked: { xxlxm: 'SI91', msgid: 'M1' } });
  });

  test('the shared shapes come from the routes: memo fields, own event types, the parts SE02 takes', () => {
    expect(ROUTE_MEMO_FIELDS).toEqual(['wuqi']);
    expect(ROUTE_EVENT_TYPES).toEqual(['SK01_CHECKED']);
    const bill = sampleWuqiBill('SI12', '10.00') as unknown as WuqiBill;
    expect(submitParts({ wuqiPayRequest: bill, wuqiOrgCode: 'X' })).toEqual({ wuqiPayRequest: bill });
    expect(JSON.stringify(submitParts({}))).toBe('{}');
  });

  test('a route without its folder fails, naming the file it needs', () => {
    expect(() => activityPartOf('NOWHERE' as never)).toThrow(/Cannot find module '\.\/nowhere\/activities'/);
    expect(() => centrePartOf('NOWHERE' as never)).toThrow(/Cannot find module '\.\/nowhere\/centre'/);
  });

  test("the day close calls the routes in ROUTES' order, national then 五期: the order running day closes recorded", () => {
    expect(allRoutes().map((r) => r.dayClose.activity)).toEqual(['reconcileNationalDay', 'sendSl01']);
  });

  test('a day-close activity name two routes give is refused', () => {
    const twice = { A: { dayClose: { sendSl01: async () => 1 } }, B: { dayClose: { sendSl01: async () => 2 } } } as unknown as Parameters<
      typeof dayCloseActivitiesOf
    >[0];
    expect(() => dayCloseActivitiesOf(twice)).toThrow(/route B: day-close activity sendSl01 is another route's already/);
  });
});
