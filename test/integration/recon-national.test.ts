import { ApplicationFailure } from '@temporalio/common';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createReconNationalActivities } from '../../routes/national/day-close';
import { loadConfig } from '../../common/config';
import { createLogger } from '../../common/logger';
import { PlatformClient } from '../../platform/client';
import { query5203Output } from '../../protocol/centre-query';
import { toFen } from '../../protocol/money';
import { MsgidGenerator } from '../../protocol/msgid';
import type { ReconOrder } from '../../protocol/recon-national';
import { se04Output } from '../../protocol/se-messages';
import { useSimulator, type SimUnderTest } from '../helpers/sim-fixture';
import { waitFor } from '../helpers/receiver';
import { orderNo, payRequestFor } from '../helpers/sim-client';

// The national day close against the simulated centre over HTTP (issue 18 items 4 and 5): our activity
// sends 3201 per group and, when a group does not balance, uploads 表200 with 9101, calls 3202 and reads
// 表201 from 9102. A clean day balances; each difference injected at the centre (the same ones 5203
// shows) comes back as a 3202 detail naming the order behind it, and a settlement only the centre holds
// as "outside shyb-pay".

let api: SimUnderTest['api'];
let sim: SimUnderTest['sim'];
useSimulator('recon-national-test', { pushRetryMs: 50, settleDelayMs: 20, refundProcessingMs: 50 }, (s) => ({ api, sim } = s), { resetSettings: true });

const EMPLOYEE = '801874939';
const log = createLogger('recon-national-test', 'silent');
function activities(env: Record<string, string> = {}) {
  const config = loadConfig({
    PLATFORM_URL: `${sim.url}/gjptqzyy-prod/api/v1/route`,
    WUQI_URL: `${sim.url}/wuqi`,
    SIGN_IN_OPTER_NO: 'RECON01',
    SIGN_IN_MAC: '00:11:22:33:44:55',
    SIGN_IN_IP: '127.0.0.1',
    ...env,
  });
  const client = new PlatformClient(config, new MsgidGenerator({ fixmedinsCode: config.FIXMEDINS_CODE, instance: 7 }), log);
  return createReconNationalActivities({ client, config, log });
}

type Setlinfo = Record<string, string>;
/** Our ledger's record of a settlement, as the stored payResponse gives it. */
const ours = (no: string, s: Setlinfo, kind: ReconOrder['kind'] = 'settlement'): ReconOrder => ({
  orderNo: no,
  kind,
  setlId: s.setl_id!,
  mdtrtId: s.mdtrt_id!,
  psnNo: s.psn_no!,
  medinsSetlId: s.medins_setl_id,
  setlTime: s.setl_time!,
  insutype: s.insutype!,
  clrType: s.clr_type!,
  clrOptins: s.clr_optins!,
  medfeeFen: toFen(s.medfee_sumamt!),
  fundFen: toFen(s.fund_pay_sumamt!),
  accountFen: toFen(s.acct_pay!),
  cashFen: toFen(s.psn_cash_pay!),
});

async function settle(medfee: string): Promise<{ orderNo: string; setl: Setlinfo }> {
  const ecToken = await api.token('employee');
  const no = orderNo();
  expect((await api.national('SE02', { orderNo: no, ecToken, payRequest: payRequestFor(ecToken, EMPLOYEE, medfee) })).infcode).toBe(0);
  const out = await waitFor(async () => (await api.national('SE04', { ecToken })).output);
  return { orderNo: no, setl: se04Output.parse(out).settlement!.setlinfo as unknown as Setlinfo };
}

/** 2208 of the settlement; our refund record from its output (表122: its own setl_id, setl_time, medins_setl_id). */
async function refund(s: { orderNo: string; setl: Setlinfo }, insutype: Setlinfo): Promise<ReconOrder> {
  const r = await api.national('2208', { data: { psn_no: s.setl.psn_no, setl_id: s.setl.setl_id, mdtrt_id: s.setl.mdtrt_id } });
  expect(r.infcode).toBe(0);
  const o = r.output.setlinfo as Setlinfo;
  return ours(s.orderNo, { ...o, insutype: insutype.insutype!, psn_no: s.setl.psn_no! }, 'refund');
}

const inject = (no: string, kind: string, deltaFen?: number) => api.post('/__sim/centre/differences', { orderNo: no, kind, ...(deltaFen ? { deltaFen } : {}) });
const dayOf = (o: ReconOrder[]) => o[0]!.setlTime.slice(0, 10);

test('a clean day balances: 3201 answers 0 for every group, and no 3202 is sent', async () => {
  const a = await settle('123.45');
  const b = await settle('88.00');
  const r = await refund(b, b.setl);
  const orders = [ours(a.orderNo, a.setl), ours(b.orderNo, b.setl), r];
  expect(r.setlId).not.toBe(b.setl.setl_id);
  const date = dayOf(orders);
  const before = (await api.ledger()).nationalCalls;

  const results = await activities().reconcileNationalDay({ date, orders });

  expect(results).toEqual([
    expect.objectContaining({
      insutype: '310',
      clr_type: '11',
      setl_optins: '310110',
      ours: { count: 3, medfee: 12_345, fund: toFen(a.setl.fund_pay_sumamt!), account: 0, cash: toFen(a.setl.psn_cash_pay!) },
      stmt_rslt: '0',
      stmt_rslt_meaning: '平',
      balanced: true,
    }),
  ]);
  expect(results[0]!.details).toBeUndefined();
  const calls = (await api.ledger()).nationalCalls;
  expect((calls['3201'] ?? 0) - (before['3201'] ?? 0)).toBe(1);
  expect(calls['9101'] ?? 0).toBe(before['9101'] ?? 0);
  expect(calls['3202'] ?? 0).toBe(before['3202'] ?? 0);
});

test('each injected national difference: 3201 answers 1, and 3202 names the order behind it; a centre-only settlement is outside', async () => {
  const clean = await settle('10.00');
  const amount = await settle('20.00');
  const missing = await settle('30.00');
  const reversed = await settle('40.00');
  const refunded = await settle('50.00');
  const refundRecord = await refund(refunded, refunded.setl);
  const centreOnly = await settle('66.60'); // settled at the centre, never in our ledger
  await inject(amount.orderNo, 'amount', 100);
  await inject(missing.orderNo, 'missing');
  await inject(reversed.orderNo, 'reversed');
  const orders = [clean, amount, missing, reversed, refunded].map((s) => ours(s.orderNo, s.setl)).concat(refundRecord);

  const results = await activities().reconcileNationalDay({ date: dayOf(orders), orders });

  expect(results).toHaveLength(1);
  const g = results[0]!;
  expect(g).toMatchObject({ stmt_rslt: '1', balanced: false, stmt_rslt_meaning: '不平' });
  expect(g.stmt_rslt_dscr).toMatch(/^不平: /);
  expect(g.asked.map((a) => a.infno)).toEqual(['3201', '9101', '3202', '9102']);
  expect(g.detail).toMatchObject({ setl_optins: '310110', clr_type: '11', uploaded: { rows: 6 }, result: { rows: 7, balancedRows: 3 } });
  const by = (no: string) => g.details!.filter((d) => d.orderNo === no);

  // an amount that differs: 103, the centre's amounts beside ours, as 5203 answers them
  expect(by(amount.orderNo)).toEqual([
    expect.objectContaining({
      kind: 'settlement',
      stmt_rslt: '103',
      stmt_rslt_dscr: '数据不一致',
      setlId: amount.setl.setl_id,
      matchedBy: 'setl_id',
      centre: expect.objectContaining({ medfee: 2_100 }),
      ours: expect.objectContaining({ medfee: 2_000 }),
    }),
  ]);
  const q = await api.national('5203', { data: { psn_no: EMPLOYEE, setl_id: amount.setl.setl_id, mdtrt_id: amount.setl.mdtrt_id } });
  expect(toFen(query5203Output.parse(q.output).setlinfo.medfee_sumamt)).toBe(by(amount.orderNo)[0]!.centre.medfee);
  // one only we have: 102 医药机构多 (5203: not found)
  expect(by(missing.orderNo)).toEqual([expect.objectContaining({ stmt_rslt: '102', stmt_rslt_dscr: '医药机构多', memo: '中心无此结算记录' })]);
  // one the centre reversed: 102 with its memo (5203: refd_setl_flag 1)
  expect(by(reversed.orderNo)).toEqual([expect.objectContaining({ stmt_rslt: '102', memo: expect.stringMatching(/冲正/) })]);
  // the clean settlement and the refunded pair balance: no detail
  expect(by(clean.orderNo)).toEqual([]);
  expect(by(refunded.orderNo)).toEqual([]);
  // a settlement only the centre has: 101 中心多, outside shyb-pay, with the centre's ids
  expect(g.details!.filter((d) => d.outside)).toEqual([
    expect.objectContaining({
      stmt_rslt: '101',
      stmt_rslt_dscr: '中心多',
      setlId: centreOnly.setl.setl_id,
      msgid: centreOnly.setl.medins_setl_id,
      centre: expect.objectContaining({ medfee: 6_660 }),
    }),
  ]);
});

test('the centre holds a settlement and its refund we never recorded: setl_id left empty (§5.3.2.2.2 item 7), both outside, with msgid', async () => {
  const a = await settle('12.00');
  const b = await settle('7.00');
  await refund(b, b.setl); // neither b nor its refund is in our ledger
  const orders = [ours(a.orderNo, a.setl)];
  // one group through reconcileNationalGroup, with 9101's `in` as a JSON byte array (RECON_FILE_ENCODING=array)
  const group = {
    insutype: '310',
    clr_type: '11',
    setl_optins: '310110',
    count: 1,
    medfee: 1_200,
    fund: toFen(a.setl.fund_pay_sumamt!),
    account: 0,
    cash: toFen(a.setl.psn_cash_pay!),
  };
  const g = await activities({ RECON_FILE_ENCODING: 'array' }).reconcileNationalGroup({ date: dayOf(orders), group, orders });
  expect(g.stmt_rslt).toBe('1');
  expect(g.details).toEqual([
    expect.objectContaining({ outside: true, stmt_rslt: '101', setlId: '', mdtrtId: '', msgid: b.setl.medins_setl_id, refd_setl_flag: '0' }),
    expect.objectContaining({
      outside: true,
      stmt_rslt: '101',
      setlId: '',
      mdtrtId: '',
      refd_setl_flag: '1',
      centre: expect.objectContaining({ medfee: -700 }),
    }),
  ]);
});

test('a group whose settlements carry no clr_optins is reported not sent; the others are still asked', async () => {
  const a = await settle('12.00');
  const b = await settle('13.00');
  const orders = [ours(a.orderNo, a.setl), { ...ours(b.orderNo, b.setl), clrOptins: '' }];
  const results = await activities().reconcileNationalDay({ date: dayOf(orders), orders });
  expect(results).toEqual([
    expect.objectContaining({ setl_optins: '', balanced: false, asked: [], notSent: expect.stringMatching(/no setl_optins/) }),
    // the centre holds b under 310110: that group does not balance, and 3202 shows b as 中心多 (ours lacks its clr_optins)
    expect.objectContaining({
      setl_optins: '310110',
      stmt_rslt: '1',
      details: [expect.objectContaining({ orderNo: b.orderNo, matchedBy: 'setl_id', stmt_rslt: '101' })],
    }),
  ]);
});

test('a refusal of 3201 is kept, not read as balanced; no answer throws a retryable failure; then it balances', async () => {
  const a = await settle('12.00');
  const orders = [ours(a.orderNo, a.setl)];
  const input = { date: dayOf(orders), orders };
  const acts = activities();

  await api.fault({ kind: 'businessError', infno: '3201', message: '对账服务暂停', times: 1 });
  const [refused] = await acts.reconcileNationalDay(input);
  expect(refused).toMatchObject({ stmt_rslt: '', balanced: false, refused: { infno: '3201', code: '-1', message: '对账服务暂停' } });

  await api.fault({ kind: 'http5xx', infno: '3201', times: 1 });
  const err = await acts.reconcileNationalDay(input).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ApplicationFailure);
  expect(err).toMatchObject({
    type: 'CentreUnavailable',
    nonRetryable: false,
    message: expect.stringMatching(/^3201 msgid \S+: the centre did not answer: HTTP 500/),
  });

  expect(await acts.reconcileNationalDay(input)).toEqual([expect.objectContaining({ stmt_rslt: '0', balanced: true })]);
});

test('a stmt_rslt outside the dictionary is kept and shown, and not balanced: the details are asked for', async () => {
  // a scripted 前置机: 3201 answers stmt_rslt "7"; 9101 refuses, which ends the run there
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      const body = JSON.parse(data);
      seen.push(body.infno);
      const output =
        body.infno === '9001'
          ? { signinoutb: { sign_time: '2026-03-01 08:00:00', sign_no: 'SIGN1' } }
          : body.infno === '3201'
            ? { stmtinfo: { setl_optins: '310110', stmt_rslt: 7, stmt_rslt_dscr: '' } }
            : null;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body.infno === '9101' ? { infcode: -1, err_msg: '上传失败' } : { infcode: 0, output }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const config = loadConfig({
      PLATFORM_URL: `${base}/route`,
      WUQI_URL: `${base}/wuqi`,
      SIGN_IN_OPTER_NO: 'RECON01',
      SIGN_IN_MAC: '00:11:22:33:44:55',
      SIGN_IN_IP: '127.0.0.1',
    });
    const acts = createReconNationalActivities({
      client: new PlatformClient(config, new MsgidGenerator({ fixmedinsCode: config.FIXMEDINS_CODE, instance: 6 }), log),
      config,
      log,
    });
    const o: ReconOrder = {
      orderNo: 'H3101100005320260301100000000000001',
      kind: 'settlement',
      setlId: 'S1',
      mdtrtId: 'M1',
      psnNo: 'P1',
      setlTime: '2026-03-01 10:00:00',
      insutype: '310',
      clrType: '11',
      clrOptins: '310110',
      medfeeFen: 100,
      fundFen: 70,
      accountFen: 0,
      cashFen: 30,
    };
    const [g] = await acts.reconcileNationalDay({ date: '2026-03-01', orders: [o] });
    expect(g).toMatchObject({
      stmt_rslt: '7',
      balanced: false,
      stmt_rslt_meaning: expect.stringMatching(/unknown stmt_rslt\) "7"/),
      stmt_rslt_dscr: expect.stringMatching(/unknown/),
      refused: { infno: '9101', code: '-1', message: '上传失败' },
    });
    expect(seen).toEqual(['9001', '3201', '9101']);
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
});

test('the simulated centre refuses what the spec does not allow: 3201 missing a field, 9101 not a zip, 3202 of an unknown file, 9102 of an unknown file (JSON, not a file)', async () => {
  expect((await api.national('3201', { data: { insutype: '310', clr_type: '11' } })).err_msg).toMatch(/入参校验失败.*setl_optins/);
  expect(
    (await api.national('9101', { fsUploadIn: { in: Buffer.from('S1\tM1').toString('base64'), filename: 'x.zip', fixmedins_code: 'H31011000053' } })).err_msg,
  ).toMatch(/ZIP/);
  const d = {
    setl_optins: '310110',
    file_qury_no: 'U-NONE',
    stmt_begndate: '2026-03-01',
    stmt_enddate: '2026-03-01',
    medfee_sumamt: '0.00',
    fund_pay_sumamt: '0.00',
    cash_payamt: '0.00',
    fixmedins_setl_cnt: 0,
    clr_type: '11',
    refd_setl_flag: '1',
  };
  expect((await api.national('3202', { data: d })).err_msg).toMatch(/文件查询号不存在/);
  expect((await api.national('3202', { data: { ...d, refd_setl_flag: undefined } })).err_msg).toMatch(/入参校验失败.*refd_setl_flag/);
  const r = await api.national('9102', { fsDownloadIn: { file_qury_no: 'D-NONE', filename: 'x.zip', fixmedins_code: 'H31011000053' } });
  expect(r).toMatchObject({ infcode: -1, err_msg: '文件不存在' });
});
