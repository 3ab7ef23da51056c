import got from 'got';
import { toFen } from '../../protocol/money';
import { sampleWuqiBill } from '../../routes/wuqi/simulator/samples';
import { apiClient } from '../helpers/api-client';
import { startStack, type Stack } from '../helpers/stack';

// GET /api/settlements/{orderNo}/centre (issue 18 item 1) through the real API, worker, Temporal dev server
// and the simulator over HTTP: the centre's record (5203 / SI91) beside ours, and each difference the
// simulator's control API injects reported in `differences`.

let stack: Stack;
let api: ReturnType<typeof apiClient>;
const token = (personId: string) => stack.sim.platform.issueToken(personId);
const centre = (orderNo: string) => api.call('get', `/api/settlements/${orderNo}/centre`);
const inject = (orderNo: string, kind: string, deltaFen?: number) =>
  got.post(`${stack.sim.url}/__sim/centre/differences`, { json: { orderNo, kind, ...(deltaFen ? { deltaFen } : {}) }, responseType: 'json' });
const paidNational = async (medfee = '100.00') => {
  const orderNo = await api.settle(token('employee'), '801874939', medfee);
  return { orderNo, view: await api.until(orderNo, (v) => v.status === 'PAID') };
};
const paidWuqi = async (selfPay?: string) => {
  const orderNo = await api.settle(token('mutual-aid'), '801874940', '100.00', { wuqiPayRequest: sampleWuqiBill('SI12', '88.80', selfPay ? { selfPay } : {}) });
  return { orderNo, view: await api.until(orderNo, (v) => v.status === 'PAID') };
};

beforeAll(async () => {
  stack = await startStack();
  api = apiClient(stack.api.url);
}, 60_000);
afterAll(() => stack?.close());
beforeEach(async () => {
  stack.sim.platform.faults.clear();
  await got.delete(`${stack.sim.url}/__sim/centre/differences`);
});

describe('a PAID order: the centre holds the same settlement', () => {
  test('national: 5203 with psn_no, setl_id, mdtrt_id and insuplc_admdvs; the centre shows our setl_id and agrees', async () => {
    const { orderNo, view } = await paidNational('123.45');
    const r = await centre(orderNo);
    expect(r.status).toBe(200);
    const si = view.setlinfo;
    expect(r.body).toMatchObject({
      orderNo,
      route: 'NATIONAL',
      asked: { infno: '5203', msgid: expect.any(String), at: expect.any(String) },
      found: true,
      agrees: true,
      differences: [],
      record: {
        setlId: si.setl_id,
        mdtrtId: si.mdtrt_id,
        setlTime: si.setl_time,
        medfee: 12_345,
        fund: toFen(si.fund_pay_sumamt),
        account: toFen(si.acct_pay),
        cash: toFen(si.psn_cash_pay),
        refunded: false,
        paid: true,
      },
    });
    const sent = stack.sim.platform.national.received.find((m) => m.msgid === r.body.asked.msgid)!;
    expect(sent).toMatchObject({ infno: '5203', insuplc_admdvs: view.insuplcAdmdvs });
    // no personal data in the answer: the record holds ids and amounts only
    expect(JSON.stringify(r.body)).not.toMatch(/测试|310101/);
  });

  test("五期: SI91 with the stored 令牌; the record is SI91's (lsh, jzdyh, amounts) and agrees", async () => {
    const { orderNo, view } = await paidWuqi();
    const r = await centre(orderNo);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ route: 'WUQI', asked: { xxlxm: 'SI91' }, found: true, agrees: true, differences: [] });
    expect(r.body.record).toMatchObject({
      setlId: view.wuqi.lsh,
      mdtrtId: expect.any(String),
      setlTime: null,
      fund: toFen(view.wuqi.fund),
      refunded: null,
      paid: true,
    });
    expect(r.body.record.medfee).toBe(toFen(view.wuqi.totalexpense) + toFen(view.wuqi.selfPay));
    expect(toFen(view.wuqi.cash)).toBeGreaterThanOrEqual(r.body.record.cashMin);
    expect(toFen(view.wuqi.cash)).toBeLessThanOrEqual(r.body.record.cash);
  });
});

describe('each injected difference is reported, with both sides', () => {
  test('national: an amount that differs', async () => {
    const { orderNo } = await paidNational();
    await inject(orderNo, 'amount', 250);
    const r = await centre(orderNo);
    expect(r.body.agrees).toBe(false);
    expect(r.body.differences).toEqual([
      { field: 'medfee', ours: 10_000, centre: 10_250 },
      { field: 'cash', ours: r.body.ours.cash, centre: r.body.ours.cash + 250 },
    ]);
  });
  test('national: a settlement the centre reversed (refd_setl_flag 1)', async () => {
    const { orderNo } = await paidNational();
    await inject(orderNo, 'reversed');
    const r = await centre(orderNo);
    expect(r.body).toMatchObject({ found: true, agrees: false, differences: [{ field: 'refunded', ours: false, centre: true }] });
  });
  test('national: a settlement the centre does not have', async () => {
    const { orderNo } = await paidNational();
    await inject(orderNo, 'missing');
    const r = await centre(orderNo);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      found: false,
      record: null,
      agrees: false,
      differences: [{ field: 'found', ours: true, centre: false }],
      message: expect.stringMatching(/未找到/),
    });
  });
  test('五期: an amount that differs, a reversed settlement (paystatus 0), one the centre does not have (P610)', async () => {
    // without self-pay items SI91 states the cash exactly (its bounds meet), so the cash differs too
    const a = await paidWuqi('0.00');
    await inject(a.orderNo, 'amount', 100);
    const amount = (await centre(a.orderNo)).body;
    expect(amount.differences.map((d: any) => d.field)).toEqual(['medfee', 'cash']);
    expect(amount.differences[0]).toEqual({ field: 'medfee', ours: amount.ours.medfee, centre: amount.ours.medfee + 100 });

    const b = await paidWuqi();
    await inject(b.orderNo, 'reversed');
    expect((await centre(b.orderNo)).body).toMatchObject({ found: true, agrees: false, differences: [{ field: 'paid', ours: true, centre: false }] });

    const c = await paidWuqi();
    await inject(c.orderNo, 'missing');
    expect((await centre(c.orderNo)).body).toMatchObject({
      found: false,
      agrees: false,
      differences: [{ field: 'found' }],
      message: expect.stringMatching(/^P610/),
    });
  });
  test('五期: a refusal of the stored 令牌 is reported as such (422 CENTRE_TOKEN_REFUSED)', async () => {
    const { orderNo } = await paidWuqi();
    await inject(orderNo, 'tokenRefused');
    const r = await centre(orderNo);
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ code: 'CENTRE_TOKEN_REFUSED', detail: expect.stringMatching(/SI91 .*令牌/) });
  });
});

test('a refunded national order reads refunded on both sides and agrees', async () => {
  const { orderNo } = await paidNational();
  expect((await api.refund(orderNo)).status).toBe(202);
  await api.until(orderNo, (v) => v.status === 'REFUNDED');
  const r = await centre(orderNo);
  expect(r.body).toMatchObject({ found: true, agrees: true, record: { refunded: true }, ours: { refunded: true } });
});

test('an order with no settlement to ask about answers 409 CENTRE_NOTHING_TO_ASK', async () => {
  stack.sim.platform.faults.add({ kind: 'hang', infno: 'SE02' }); // SE02 outcome unknown: SE04 decides, not 5203
  const orderNo = await api.settle(token('employee'), '801874939');
  const r = await centre(orderNo);
  expect(r.status).toBe(409);
  expect(r.body).toMatchObject({ code: 'CENTRE_NOTHING_TO_ASK', detail: expect.stringMatching(/SE04/) });
});

test.each([
  ['national 5203', 'NATIONAL', '5203'],
  ['五期 SI91', 'WUQI', 'SI91'],
])('the centre down (%s): 502 PLATFORM_UNAVAILABLE, the order unchanged', async (_n, route, infno) => {
  const { orderNo } = route === 'NATIONAL' ? await paidNational() : await paidWuqi();
  const before = (await api.get(orderNo)).body;
  const ledgerBefore = JSON.stringify(stack.sim.platform.ledger().settlements);
  stack.sim.platform.faults.add({ kind: 'http5xx', infno });
  const r = await centre(orderNo);
  expect(r.status).toBe(502);
  expect(r.body).toMatchObject({ code: 'PLATFORM_UNAVAILABLE', detail: expect.stringMatching(new RegExp(`${infno}.*unchanged`)) });
  expect((await api.get(orderNo)).body).toEqual(before);
  expect(JSON.stringify(stack.sim.platform.ledger().settlements)).toBe(ledgerBefore);
});

test('unknown orderNo: 404; a malformed one: 400', async () => {
  expect((await centre('H3101100005320220303204125000000000')).status).toBe(404);
  expect((await centre('nope')).status).toBe(400);
});

// Issue 18, 2: a review item carries the centre's word, asked by the workflow when the order enters review.
test('a refund under review (cash refund never seen): the workflow asks 5203, and the order view and /api/reviews show the CENTRE_RECORD and the suggestion; the status stays NEEDS_REVIEW', async () => {
  stack.sim.platform.faults.add({ kind: 'cashRefundStuck', personId: 'employee' });
  const { orderNo, view: paidView } = await paidNational('100.00');
  expect((await api.refund(orderNo)).status).toBe(202);
  const v = await api.until(orderNo, (x) => x.status === 'NEEDS_REVIEW' && x.events.some((e: { type: string }) => e.type === 'CENTRE_RECORD'), 30_000);
  const setlId = paidView.setlinfo.setl_id;
  const ev = v.events.find((e: { type: string }) => e.type === 'CENTRE_RECORD');
  expect(ev.detail).toMatch(new RegExp(`^5203 msgid \\S+: found setl_id ${setlId}, medfee 10000, .*refunded true; agrees$`));
  const sent = stack.sim.platform.national.received.find((m) => m.msgid === v.review.centre.asked.msgid)!;
  expect(sent).toMatchObject({ infno: '5203' });
  expect(v.review).toMatchObject({
    kind: 'refund',
    centre: { kind: 'answered', asked: { query: '5203' }, found: true, agrees: true, record: { setlId, medfee: 10_000, refunded: true, paid: true } },
    suggestion: expect.stringMatching(
      new RegExp(
        `^the centre holds setl_id ${setlId} \\(medfee 100.00, .*\\), paid, refunded: the insurance part is refunded: resolve REFUNDED once the cash refund is confirmed$`,
      ),
    ),
  });
  expect(v.refund.status).toBe('NEEDS_REVIEW');
  const item = (await api.reviews()).body.items.find((i: { orderNo: string }) => i.orderNo === orderNo);
  expect(item).toMatchObject({ suggestion: v.review.suggestion, centre: { kind: 'answered', agrees: true } });
  expect(JSON.stringify(item)).not.toMatch(/测试|310101/);
});
