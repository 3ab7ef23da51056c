import got from 'got';
import { strFromU8, unzipSync } from 'fflate';
import { CentreReconciliations } from '../../api/centre-reconciliation';
import { startApi } from '../../api/server';
import { createWuqiDayCloseActivities } from '../../routes/wuqi/day-close';
import { createLogger } from '../../common/logger';
import { PlatformClient } from '../../platform/client';
import { MsgidGenerator } from '../../protocol/msgid';
import { sl01InputOf, sl01Totals } from '../../protocol/recon-wuqi';
import { formatDate } from '../../protocol/shanghai-time';
import { centreSl01Entries } from '../../routes/wuqi/simulator/recon';
import { sampleWuqiBill } from '../../routes/wuqi/simulator/samples';
import { apiClient } from '../helpers/api-client';
import { orderNo as newOrderNo, payRequestFor, simApi } from '../helpers/sim-client';
import { waitFor } from '../helpers/receiver';
import { startStack, type Stack } from '../helpers/stack';

// The hospital's day close (issue 18, 4) through the real API, worker, Temporal dev server and the simulator over
// HTTP: export gives the day's 3201 / 表200 / SL01 shapes (JSON and files); send (CENTRE_RECONCILIATION=send)
// balances a clean day on both routes, keeps SL01's state, names the order behind each injected national
// difference and lists a settlement only the centre holds as outside; bad dates are 400s.

let stack: Stack;
let api: ReturnType<typeof apiClient>;
const DAY_MS = 24 * 60 * 60_000;
const today = () => formatDate(Date.now());
const token = (personId: string) => stack.sim.platform.issueToken(personId);
const inject = (orderNo: string, kind: string, deltaFen?: number) =>
  got.post(`${stack.sim.url}/__sim/centre/differences`, { json: { orderNo, kind, ...(deltaFen ? { deltaFen } : {}) }, responseType: 'json' });
const paidNational = async (medfee = '100.00') => {
  const orderNo = await api.settle(token('employee'), '801874939', medfee);
  return { orderNo, view: await api.until(orderNo, (v) => v.status === 'PAID') };
};
const paidWuqi = async (total = '88.80', selfPay?: string) => {
  const orderNo = await api.settle(token('mutual-aid'), '801874940', '100.00', { wuqiPayRequest: sampleWuqiBill('SI12', total, selfPay ? { selfPay } : {}) });
  return { orderNo, view: await api.until(orderNo, (v) => v.status === 'PAID') };
};
const refunded = async (orderNo: string) => {
  expect((await api.refund(orderNo)).status).toBe(202);
  return api.until(orderNo, (v) => v.status === 'REFUNDED', 20_000);
};
/** send mode for a day, as POST runs it (POST refuses today: SL01 keeps state, and the test's orders are today's). */
const send = async (date = today()) => {
  const r = await new CentreReconciliations(stack.api.service.client, stack.config).start(date, 90_000);
  expect(r).toMatchObject({ done: true, view: { status: 'finished' } });
  return r.view.result!;
};

beforeAll(async () => {
  stack = await startStack({ CENTRE_RECONCILIATION: 'send' });
  api = apiClient(stack.api.url);
}, 60_000);
afterAll(() => stack?.close());
beforeEach(() => stack.sim.platform.faults.clear());

describe('a day of national and 五期 settlements and refunds', () => {
  let national: string[];
  let wuqi: string[];
  beforeAll(async () => {
    await got.delete(`${stack.sim.url}/__sim/centre/differences`);
    const a = await paidNational('123.45');
    const b = await paidNational('88.00');
    const c = await paidWuqi('88.80');
    const d = await paidWuqi('50.00', '12.00');
    await refunded(b.orderNo);
    await refunded(d.orderNo);
    national = [a.orderNo, b.orderNo];
    wuqi = [c.orderNo, d.orderNo];
  }, 90_000);

  test('export: the 3201 totals per group, the 表200 rows (a refund is its negative row) and the SL01 totals the centre computes too', async () => {
    const r = await api.call('get', `/api/reconciliations/centre?date=${today()}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ date: today(), mode: 'send', incomplete: [] });
    const orders = r.body.national.orders.filter((o: { orderNo: string }) => national.includes(o.orderNo));
    expect(orders.map((o: { kind: string }) => o.kind).sort()).toEqual(['refund', 'settlement', 'settlement']);
    const refund = orders.find((o: { kind: string }) => o.kind === 'refund');
    expect(refund.medfeeFen).toBe(-8_800);
    // one group per (insutype, clr_type, setl_optins); its 3201 input is 表196 in yuan
    const g = r.body.national.groups[0];
    expect(g).toMatchObject({
      insutype: '310',
      clr_type: '11',
      setl_optins: '310110',
      input3201: { insutype: '310', clr_type: '11', setl_optins: '310110', stmt_begndate: today(), stmt_enddate: today() },
    });
    expect(g.count).toBe(r.body.national.orders.length);
    expect(g.medfee).toBe(r.body.national.orders.reduce((s: number, o: { medfeeFen: number }) => s + o.medfeeFen, 0));
    // 表200: one TAB-separated row per record, the refund's negative with refd_setl_flag 1
    const txt: string = r.body.national.table200[0].txt;
    const lines = txt
      .trimEnd()
      .split('\n')
      .map((l) => l.split('\t'));
    expect(lines).toHaveLength(r.body.national.orders.length);
    expect(lines.every((l) => l.length === 8)).toBe(true);
    expect(lines.filter((l) => l[6] === '1').map((l) => l[3])).toContain('-88.00');
    // SL01: two settlements and one refund; our totals are the centre's own (the simulator's books)
    expect(
      r.body.wuqi.entries
        .filter((e: { orderNo: string }) => wuqi.includes(e.orderNo))
        .map((e: { kind: string }) => e.kind)
        .sort(),
    ).toEqual(['refund', 'settlement', 'settlement']);
    const centre = sl01InputOf(sl01Totals(today(), centreSl01Entries(stack.sim.platform, today().replace(/-/g, ''))));
    expect(r.body.wuqi.sl01).toEqual(centre);
    expect(Object.keys(r.body.wuqi.sl01)).toEqual([
      'daycollate',
      'daycount',
      'totalcuraccpay',
      'totalhisaccpay',
      'totalcashpay',
      'totaltcpay',
      'totaldffjpay',
      'totalflzf',
      'totalzfaccpay',
      'totalfybjsfw',
    ]);
  });

  test('export as files: the 表200 TXT, its zip (one TXT per scope, as 3202 uploads it), and the CSV in Chinese or English', async () => {
    const url = `${stack.api.url}/api/reconciliations/centre?date=${today()}`;
    const json = await api.call('get', `/api/reconciliations/centre?date=${today()}`);
    const txt = await got(`${url}&format=table200`);
    expect(txt.headers['content-type']).toMatch(/^text\/plain/);
    expect(txt.body).toBe(json.body.national.table200.map((t: { txt: string }) => t.txt).join(''));
    const zip = await got(`${url}&format=zip`, { responseType: 'buffer' });
    expect(zip.headers['content-type']).toBe('application/zip');
    const files = unzipSync(new Uint8Array(zip.body));
    expect(Object.keys(files)).toEqual([json.body.national.table200[0].filename]);
    expect(strFromU8(Object.values(files)[0]!)).toBe(json.body.national.table200[0].txt);
    const zh = await got(`${url}&format=csv`);
    expect(zh.headers['content-type']).toMatch(/^text\/csv/);
    expect(zh.body.startsWith('\uFEFF类别,路线,险种,清算类别,结算经办机构,订单号')).toBe(true);
    expect(zh.body).toContain('3201 对总账');
    expect(zh.body).toContain('SL01 对账,WUQI,,,,,totalhisaccpay');
    const en = await got(`${url}&format=csv&lang=en`);
    expect(en.body.startsWith('\uFEFFsection,route,insutype,clr_type,setl_optins,orderNo')).toBe(true);
  });

  test('send with a 五期 amount the centre holds otherwise: SL01 answers 1 (金额不符), kept with its meaning and what the clerk does; the day does not pass', async () => {
    await inject(wuqi[0]!, 'amount', 150);
    const r = await send();
    expect(r.outcome).toBe('differences');
    expect(r.wuqi).toMatchObject({
      resultcollate: '1',
      meaning: '金额不符，交易明细已生成，可以下载',
      reading: 'differences',
      note: expect.stringContaining('no interface to download'),
    });
    expect(r.discrepancies).toEqual([expect.objectContaining({ route: 'WUQI', code: '1' })]);
    // the national part of the same day balances
    for (const g of r.national) expect(g.stmt_rslt).toBe('0');
    await got.delete(`${stack.sim.url}/__sim/centre/differences`);
  }, 120_000);

  test('send balances the clean day: 3201 0 (平) for every group, SL01 2 (此次对帐通过); a second SL01 of the day answers 3, kept as such', async () => {
    await got.delete(`${stack.sim.url}/__sim/centre/differences`);
    const r = await send();
    expect(r).toMatchObject({ date: today(), mode: 'send', outcome: 'balanced', discrepancies: [], outside: [], incomplete: [] });
    expect(r.national.length).toBeGreaterThan(0);
    for (const g of r.national) expect(g).toMatchObject({ stmt_rslt: '0', balanced: true });
    expect(r.wuqi).toMatchObject({ resultcollate: '2', meaning: '此次对帐通过', reading: 'balanced', ours: { daycount: 3, settlements: 2, refunds: 1 } });
    // the GET shows the last send beside the export shapes
    const g = await api.call('get', `/api/reconciliations/centre?date=${today()}`);
    expect(g.body.send).toMatchObject({ status: 'finished', result: { outcome: 'balanced', wuqi: { resultcollate: '2' } } });
    const metrics = await got(`${stack.api.url}/metrics`).text();
    expect(metrics).toMatch(/shyb_centre_reconciliation_runs_total\{route="wuqi",result="balanced"\} [1-9]/);

    const again = await send();
    expect(again.wuqi).toMatchObject({
      resultcollate: '3',
      meaning: '对帐已通过，不需再次对帐',
      reading: 'alreadyPassed',
      note: expect.stringContaining('not compared'),
    });
  }, 120_000);

  test('send on a day with injected differences names the order behind each national difference; a settlement only the centre holds is outside', async () => {
    const amount = await paidNational('20.00');
    const missing = await paidNational('30.00');
    // a settlement at the centre that never went through shyb-pay (the HIS's counter, say)
    const sim = simApi(stack.sim.url);
    const t = token('employee');
    const outsideNo = newOrderNo();
    expect((await sim.national('SE02', { orderNo: outsideNo, ecToken: t, payRequest: payRequestFor(t, '801874939', '66.60') })).infcode).toBe(0);
    // SE02's answer only means "received": wait until the centre has settled it, or 3201 would not count it yet
    await waitFor(() => stack.sim.platform.ledger().settlements.some((x) => x.orderNo === outsideNo && x.status === 'PAID'), 20_000, 100);
    await inject(amount.orderNo, 'amount', 100);
    await inject(missing.orderNo, 'missing');

    const r = await send();

    expect(r.outcome).toBe('differences');
    expect(r.national.some((g) => g.stmt_rslt === '1')).toBe(true);
    const of = (no: string) => r.discrepancies.filter((d) => d.orderNo === no);
    expect(of(amount.orderNo)).toEqual([
      expect.objectContaining({
        route: 'NATIONAL',
        kind: 'settlement',
        code: '103',
        centre: expect.objectContaining({ medfee: 2_100 }),
        ours: expect.objectContaining({ medfee: 2_000 }),
      }),
    ]);
    expect(of(missing.orderNo)).toEqual([expect.objectContaining({ route: 'NATIONAL', code: '102' })]);
    // the clean orders of the day are not named
    for (const no of national) expect(of(no)).toEqual([]);
    expect(r.outside).toEqual([expect.objectContaining({ outside: true, stmt_rslt: '101', centre: expect.objectContaining({ medfee: 6_660 }) })]);
    // 五期: the day passed SL01 in the run before: the centre's state answers 3
    expect(r.wuqi.resultcollate).toBe('3');
    // the CSV shows the differences and the outside row
    const csv = await got(`${stack.api.url}/api/reconciliations/centre?date=${today()}&format=csv`).text();
    expect(csv).toContain(`差异,NATIONAL,310,11,310110,${amount.orderNo}`);
    expect(csv).toContain('中心有、本系统无,NATIONAL');
    await got.delete(`${stack.sim.url}/__sim/centre/differences`);
  }, 120_000);

  test('a centre that does not answer SL01: the run retries, the GET shows the day unfinished with the retry, then it finishes', async () => {
    stack.sim.platform.faults.add({ kind: 'http5xx', infno: 'SL01', times: 1 });
    const started = await new CentreReconciliations(stack.api.service.client, stack.config).start(today(), 500);
    expect(started.done).toBe(false);
    const get = async () => (await api.call('get', `/api/reconciliations/centre?date=${today()}`)).body.send;
    const retrying = await waitFor(
      async () => {
        const v = await get();
        return v?.status === 'running' && v.retrying ? v : undefined;
      },
      15_000,
      200,
    );
    expect(retrying.retrying).toMatchObject({ attempt: 2, lastFailure: expect.stringContaining('SL01') });
    // the next attempt (10 s later) gets an answer: the day finishes
    const done = await waitFor(
      async () => {
        const v = await get();
        return v?.status === 'finished' ? v : undefined;
      },
      40_000,
      500,
    );
    expect(done.result.wuqi.resultcollate).toBe('3');
  }, 90_000);
});

test('SL01 that does not pass: resultcollate 1 (金额不符，交易明细已生成) answered over HTTP and kept', async () => {
  const yesterday = formatDate(Date.now() - DAY_MS);
  const client = new PlatformClient(
    stack.config,
    new MsgidGenerator({ fixmedinsCode: stack.config.FIXMEDINS_CODE, instance: 8 }),
    createLogger('test', 'silent'),
  );
  const acts = createWuqiDayCloseActivities({ client });
  const parts = { curacc: 0, hisacc: 0, cash: 1_000, tc: 9_000, dffj: 0, flzf: 0, zfacc: 0, fybjsfw: 0 };
  // a settlement the centre has no record of on that day
  const answer = await acts.sendSl01({ totals: sl01Totals(yesterday, [{ orderNo: 'X', kind: 'settlement', lsh: 'L', parts }]) });
  expect(answer).toMatchObject({ kind: 'answered', resultcollate: '1' });
});

describe('POST /api/reconciliations/centre and bad input', () => {
  test('a past day: 200 with the result (nothing of ours that day: nothing sent, balanced), or 202 with a Location that gives it', async () => {
    const day = formatDate(Date.now() - 2 * DAY_MS);
    const r = await got.post(`${stack.api.url}/api/reconciliations/centre`, { json: { date: day }, responseType: 'json', throwHttpErrors: false });
    expect([200, 202]).toContain(r.statusCode);
    let view = r.body as { status: string; result?: unknown };
    if (r.statusCode === 202) {
      expect(r.headers.location).toBe(`/api/reconciliations/centre?date=${day}`);
      for (let i = 0; i < 60 && view.status === 'running'; i++) {
        await new Promise((res) => setTimeout(res, 500));
        view = (await api.call('get', r.headers.location!)).body.send;
      }
    }
    expect(view).toMatchObject({
      status: 'finished',
      workflowId: `centre-reconciliation-${stack.config.TEMPORAL_TASK_QUEUE}-${day}`,
      result: { date: day, outcome: 'balanced', national: [], wuqi: { reading: 'notSent' } },
    });
  }, 60_000);

  test('export mode (the default): POST is a 409, the GET still gives the shapes', async () => {
    const exportOnly = await startApi({ ...stack.config, CENTRE_RECONCILIATION: 'export' }, createLogger('t', 'silent'), { port: 0, host: '127.0.0.1' });
    try {
      const day = formatDate(Date.now() - DAY_MS);
      const post = await apiClient(exportOnly.url).call('post', '/api/reconciliations/centre', { date: day });
      expect(post.status).toBe(409);
      expect(post.body).toMatchObject({ code: 'CENTRE_RECONCILIATION_EXPORT_MODE' });
      const get = await apiClient(exportOnly.url).call('get', `/api/reconciliations/centre?date=${day}`);
      expect(get.status).toBe(200);
      expect(get.body).toMatchObject({ date: day, mode: 'export' });
    } finally {
      await exportOnly.close();
    }
  });

  test.each([
    ['malformed', '2026-02-30'],
    ['not a date', 'yesterday'],
    ['in the future', formatDate(Date.now() + 2 * DAY_MS)],
    ['beyond the retention', formatDate(Date.now() - 400 * DAY_MS)],
  ])('%s: 400 problem+json on GET and POST', async (_why, date) => {
    for (const r of [await api.call('get', `/api/reconciliations/centre?date=${date}`), await api.call('post', '/api/reconciliations/centre', { date })]) {
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ path: 'date' })] });
    }
  });

  test('POST today: 400 (the day is not over, and SL01 keeps state)', async () => {
    const r = await api.call('post', '/api/reconciliations/centre', { date: today() });
    expect(r.status).toBe(400);
    expect(r.body.detail).toContain('today');
  });
});
