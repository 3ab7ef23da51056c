import got from 'got';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { z } from 'zod';
import { createPlatformActivities } from '../../activities/platform-activities';
import { DEFAULT_TIMEOUTS_MS, loadConfig } from '../../common/config';
import { createLogger } from '../../common/logger';
import { PlatformClient } from '../../platform/client';
import { SignInManager, signInHealth, type SignInTransport } from '../../platform/sign-in';
import { MsgidGenerator } from '../../protocol/msgid';
import { v13Sample } from '../fixtures';

// The client against a scripted 前置机 over HTTP: 9001 sign-in and sign_no, insuplc_admdvs, 1101, 2601,
// 2208 output, SE04 without payStatus.

type Reply = { status?: number; body: unknown };
let answer: (body: any) => Reply;
let server: http.Server;
let base: string;
let received: any[] = [];
let signInsGiven = 0;

/** A 前置机 that signs in (9001 -> SIGN1, SIGN2, ...) and answers everything else through `answer`. */
function frontEnd(body: any): Reply {
  if (body.infno === '9001') return { body: { infcode: 0, output: { signinoutb: { sign_time: '2026-11-27 08:00:00', sign_no: `SIGN${++signInsGiven}` } } } };
  if (body.infno === '9002') return { body: { infcode: 0, output: { signoutoutb: { sign_time: '2026-11-27 18:00:00' } } } };
  return answer(body);
}
let route: (body: any) => Reply = frontEnd;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      const body = JSON.parse(data);
      received.push(body);
      const r = route(body);
      res.writeHead(r.status ?? 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(r.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  received = [];
  route = frontEnd;
  answer = () => ({ body: { infcode: 0, output: {} } });
});

const operator = { opter: '0018', opter_name: 'doct', opter_type: '4' as const };
function setup(env: Record<string, string> = {}, log = createLogger('t', 'silent')) {
  const config = loadConfig({
    PLATFORM_URL: `${base}/route`,
    WUQI_URL: `${base}/wuqi`,
    SIGN_IN_OPTER_NO: 'OPS01',
    SIGN_IN_MAC: '00:11:22:33:44:55',
    SIGN_IN_IP: '10.1.2.3',
    ...env,
  });
  const client = new PlatformClient(config, new MsgidGenerator({ fixmedinsCode: config.FIXMEDINS_CODE, instance: 0 }), log);
  return { config, client, acts: createPlatformActivities({ client, config, log }) };
}
const se04 = (client: PlatformClient) => client.national({ infno: 'SE04', input: { ecToken: 'tok' }, operator, outputSchema: z.unknown() });

describe('9001 sign-in', () => {
  test('signs in (opter_no, mac, ip) before the first national call and puts sign_no into every header', async () => {
    const { client } = setup();
    await se04(client);
    await se04(client);
    expect(received.map((b) => b.infno)).toEqual(['9001', 'SE04', 'SE04']);
    expect(received[0].input).toEqual({ signIn: { opter_no: 'OPS01', mac: '00:11:22:33:44:55', ip: '10.1.2.3' } });
    expect(received[1].sign_no).toBe(received[2].sign_no);
    expect(received[1].sign_no).toMatch(/^SIGN\d+$/);
    expect(client.signIn.health()).toMatchObject({ state: 'SIGNED_IN', opterNo: 'OPS01' });
  });

  test('when the platform says the sign-in is invalid, it signs in again and sends the call once more with a new msgid', async () => {
    const { client } = setup();
    let refusedOnce = false;
    answer = (b) => {
      if (!refusedOnce) {
        refusedOnce = true;
        return { body: { infcode: -1, err_msg: '签到流水号已失效，请重新签到' } };
      }
      return { body: { infcode: 0, output: { seen: b.sign_no } } };
    };
    const r = await se04(client);
    expect(received.map((b) => b.infno)).toEqual(['9001', 'SE04', '9001', 'SE04']);
    expect(received[3].sign_no).not.toBe(received[1].sign_no);
    expect(received[3].msgid).not.toBe(received[1].msgid);
    expect(r).toMatchObject({ kind: 'ok', msgid: received[3].msgid, output: { seen: received[3].sign_no } });
  });

  test('a refused 9001: one clear warning, sign_no "" in the headers, the state in signInHealth()', async () => {
    const lines: string[] = [];
    const log = createLogger('t', 'info', new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }));
    const { client } = setup({ SIGN_IN_OPTER_NO: 'REFUSED1' }, log);
    route = (b) => (b.infno === '9001' ? { body: { infcode: -1, err_msg: '操作员未授权' } } : frontEnd(b));
    await se04(client);
    await se04(client);
    expect(received.map((b) => b.infno)).toEqual(['9001', 'SE04', 'SE04']); // no 9001 storm
    expect(received[1].sign_no).toBe('');
    expect(lines.filter((l) => l.includes('9001 sign-in refused'))).toHaveLength(1);
    expect(signInHealth()).toContainEqual(expect.objectContaining({ state: 'REFUSED', opterNo: 'REFUSED1', lastError: '-1 操作员未授权' }));
  });

  test('9002 on sign-out, with the sign_no and opter_no', async () => {
    const { client } = setup();
    await se04(client);
    await client.signIn.signOut();
    const out = received.at(-1);
    expect(out.infno).toBe('9002');
    expect(out.input).toEqual({ signOut: { sign_no: received[1].sign_no, opter_no: 'OPS01' } });
    expect(client.signIn.health().state).toBe('SIGNED_OUT');
  });

  test('signs in again on the first call of a new Shanghai day; concurrent callers share one 9001', async () => {
    let now = Date.parse('2026-11-27T10:00:00+08:00');
    let n = 0;
    const transport: SignInTransport = {
      signIn: async () => {
        await new Promise((r) => setTimeout(r, 20));
        return { ok: true, signNo: `S${++n}` };
      },
      signOut: async () => ({ ok: true }),
    };
    const m = new SignInManager({ opterNo: 'X', mac: 'm', ip: 'i' }, transport, undefined, () => now);
    expect(await Promise.all([m.currentSignNo(), m.currentSignNo(), m.currentSignNo()])).toEqual(['S1', 'S1', 'S1']);
    now += 13 * 3600_000; // 23:00 Shanghai, same day
    expect(await m.currentSignNo()).toBe('S1');
    now += 2 * 3600_000; // 01:00 the next day
    expect(await m.currentSignNo()).toBe('S2');
    await m.signOut();
  });
});

describe('headers and the new transactions', () => {
  test('insuplc_admdvs: from the caller for SE02, 2208 and 2601; MDTRTAREA_ADMVS otherwise', async () => {
    const { acts } = setup();
    const payRequest = v13Sample('se02-request').input.payRequest.data;
    await acts.submitSe02({
      route: 'NATIONAL',
      orderNo: 'H3101100005320220303204125000523664',
      ecToken: payRequest.mdtrt_cert_no,
      operator,
      payRequest,
      insuplcAdmdvs: '310104',
    });
    expect(received.at(-1)).toMatchObject({ infno: 'SE02', insuplc_admdvs: '310104', mdtrtarea_admvs: '310000' });
    await acts.reverseInsuranceRefund({ omsgid: 'H31011000053202611270800000001', oinfno: '2208', psnNo: '888838818', insuplcAdmdvs: '310115', operator });
    expect(received.at(-1)).toMatchObject({
      infno: '2601',
      insuplc_admdvs: '310115',
      input: { data: { psn_no: '888838818', omsgid: 'H31011000053202611270800000001', oinfno: '2208' } },
    });
    await acts.queryRefund({ route: 'NATIONAL', ecToken: 'tok', operator });
    expect(received.at(-1)).toMatchObject({ infno: 'SE06', insuplc_admdvs: '310000' });
  });

  test('2208: one request, its msgid, the reversal setlinfo as output, and the header insuplc_admdvs', async () => {
    const { acts } = setup();
    const setlinfo = { mdtrt_id: 'M1', setl_id: 'S9', psn_no: 'P1', medfee_sumamt: -100, fund_pay_sumamt: '-70.00', acct_pay: 0, psn_cash_pay: '-30.0' };
    answer = () => ({ body: { infcode: 0, output: { setlinfo, setldetail: [] } } });
    const r = await acts.refundInsurance({
      route: 'NATIONAL',
      orderNo: 'H3101100005320220303204125000523664',
      ecToken: 't',
      operator,
      setlId: 'S1',
      mdtrtId: 'M1',
      psnNo: 'P1',
      insuplcAdmdvs: '310104',
    });
    const sent = received.filter((b) => b.infno === '2208');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ insuplc_admdvs: '310104', input: { data: { psn_no: 'P1', setl_id: 'S1', mdtrt_id: 'M1' } } });
    expect(r).toMatchObject({ kind: 'ok', msgid: sent[0].msgid, output: { setlinfo: { setl_id: 'S9', psn_cash_pay: '-30.0' } } });
    // infcode 0 with an incomplete output still means the 2208 acted: ok, kept as received
    answer = () => ({ body: { infcode: 0, output: { setlinfo: { setl_id: 'S9' } } } });
    expect(await acts.refundInsurance({ route: 'NATIONAL', orderNo: 'x', ecToken: 't', operator, setlId: 'S1', mdtrtId: 'M1', psnNo: 'P1' })).toMatchObject({
      kind: 'ok',
      output: { setlinfo: { setl_id: 'S9' } },
    });
    answer = () => ({ body: { infcode: -1, err_msg: '该笔交易已经退款，不能重复退款' } });
    expect(await acts.refundInsurance({ route: 'NATIONAL', orderNo: 'x', ecToken: 't', operator, setlId: 'S1', mdtrtId: 'M1', psnNo: 'P1' })).toMatchObject({
      kind: 'business',
      code: '-1',
      alreadyRefunded: true,
    });
  });

  test('the 2208 HTTP timeout defaults to 150 s (Shanghai guide §4.10)', () => {
    expect(DEFAULT_TIMEOUTS_MS['2208']).toBe(150_000);
    expect(setup().config.timeoutsMs['2208']).toBe(150_000);
    expect(setup({ PLATFORM_TIMEOUT_2208_MS: '2000' }).config.timeoutsMs['2208']).toBe(2000);
  });

  test('1101: mdtrt_cert_type 01 + ecToken with name and ID; only psn_no and insuplc_admdvs come back', async () => {
    const { acts } = setup();
    answer = () => ({
      body: {
        infcode: 0,
        output: {
          baseinfo: { psn_no: '888838818', psn_name: '测试人员三四五', certno: '310000200006150001' },
          insuinfo: [
            { insutype: '390', psn_insu_stas: '4', insuplc_admdvs: '310101' },
            { insutype: '310', psn_insu_stas: '1', insuplc_admdvs: '310104' },
          ],
          idetinfo: [],
        },
      },
    });
    const r = await acts.queryPersonInfo({ ecToken: 'tok1', operator, pName: '测试人员三四五', pIdNo: '310000200006150001' });
    expect(r).toEqual({ kind: 'ok', psnNo: '888838818', insuplcAdmdvs: '310104' });
    expect(received.at(-1)).toMatchObject({
      infno: '1101',
      input: { data: { mdtrt_cert_type: '01', mdtrt_cert_no: 'tok1', psn_cert_type: '01', certno: '310000200006150001', psn_name: '测试人员三四五' } },
    });
    // the B.2 sample's single insuinfo object with insu_admdvs
    answer = () => ({ body: { infcode: 0, output: { baseinfo: { psn_no: 'P2' }, insuinfo: { insu_admdvs: '131002' } } } });
    expect(await acts.queryPersonInfo({ ecToken: 't', operator, pName: 'a', pIdNo: 'b' })).toEqual({ kind: 'ok', psnNo: 'P2', insuplcAdmdvs: '131002' });
    const before = received.length;
    expect(await acts.queryPersonInfo({ ecToken: 't', operator })).toMatchObject({ kind: 'business', message: expect.stringContaining('§5.1') });
    expect(received.length).toBe(before); // nothing sent without a name and ID
  });
});

describe("identifyByQr: SE01 → SM01 → 1101 with SE01's identity (Shanghai guide §4.3.2)", () => {
  const SE01 = { username: '测试异证', idno: 'H01234567', idtype: '04', ecToken: 'tokQR' };
  /** a 前置机 answering SE01, SM01 (accountattr given) and 1101 */
  const scripted =
    (accountattr: string) =>
    (b: any): Reply => {
      const wuqi = (xxnr: object) => ({ body: { xxfhm: 'P001', fhxx: '', xxnr } });
      if (b.xxlxm === 'SE01') return wuqi(SE01);
      if (b.xxlxm === 'SM01') return wuqi({ cardtype: '3', accountattr, personname: SE01.username });
      if (b.infno === '1101')
        return { body: { infcode: 0, output: { baseinfo: { psn_no: 'P77' }, insuinfo: [{ psn_insu_stas: '1', insuplc_admdvs: '310115' }] } } };
      return { body: { infcode: -1, err_msg: 'unexpected' } };
    };
  const qr = { ecQrCode: 'QR1', ecQrChannel: '1' as const, operator, routeFacts: {} };

  test("1101 gets mdtrt_cert_type 01, the ecToken, and SE01's name, idtype and idno; only psn_no and insuplc_admdvs come back", async () => {
    const { acts } = setup();
    answer = scripted('1000000000000000');
    const r = await acts.identifyByQr(qr);
    expect(r).toEqual({
      kind: 'ok',
      ecToken: 'tokQR',
      identityMatches: null,
      account: { kind: 'ok', accountattr: '1000000000000000', nameMatches: null },
      person: { kind: 'ok', psnNo: 'P77', insuplcAdmdvs: '310115' },
    });
    expect(received.find((b) => b.infno === '1101').input.data).toEqual({
      mdtrt_cert_type: '01',
      mdtrt_cert_no: 'tokQR',
      card_sn: '',
      psn_cert_type: '04',
      certno: 'H01234567',
      psn_name: '测试异证',
    });
    expect(JSON.stringify(r)).not.toContain(SE01.idno);
  });

  test('no 1101 for a 异地 person, a 五期 person, or when the HIS gave insuplcAdmdvs', async () => {
    const { acts } = setup();
    for (const [accountattr, extra] of [
      ['10000000000Y0000', {}],
      ['0100000000000000', {}],
      ['1000000000000000', { insuplcAdmdvs: '310104' }],
    ] as const) {
      received = [];
      answer = scripted(accountattr);
      const r = await acts.identifyByQr({ ...qr, ...extra });
      expect(r).toMatchObject({ kind: 'ok', account: { accountattr } });
      expect(r).not.toHaveProperty('person');
      expect(received.map((b) => b.infno ?? b.xxlxm)).toEqual(['SE01', 'SM01']);
    }
  });

  test('SE01 termIp and officeId: from the request, else SE01_TERM_IP / SE01_OFFICE_ID / SE01_OFFICE_NAME', async () => {
    answer = scripted('0100000000000000');
    await setup().acts.identifyByQr({ ...qr, terminal: { termIp: '10.8.0.21', officeId: 'NK01', officeName: '内科' } });
    expect(received.find((b) => b.xxlxm === 'SE01').xxnr).toMatchObject({ termIp: '10.8.0.21', officeId: 'NK01', officeName: '内科' });
    received = [];
    await setup({ SE01_TERM_IP: '10.8.0.1', SE01_OFFICE_ID: 'HLW', SE01_OFFICE_NAME: '互联网诊室' }).acts.decodeQr({ ...qr, terminal: { officeId: 'WK02' } });
    expect(received.find((b) => b.xxlxm === 'SE01').xxnr).toMatchObject({ termIp: '10.8.0.1', officeId: 'WK02', officeName: '互联网诊室' });
    received = [];
    await setup().acts.decodeQr(qr);
    expect(received.find((b) => b.xxlxm === 'SE01').xxnr).toMatchObject({ termIp: '127.0.0.1', officeId: 'ONLINE', officeName: '互联网医院' });
  });
});

describe('SE02 payRequest (表115)', () => {
  const payRequest = () => ({
    ...v13Sample('se02-request').input.payRequest.data,
    exp_content: { hosp_dept: 'NK', n: 1 },
    minpacunt_drug_trac_cnt: 3,
    mcs_trac_cnt: '0',
  });
  const send = (acts: ReturnType<typeof setup>['acts'], data: any) =>
    acts.submitSe02({
      route: 'NATIONAL',
      orderNo: 'H3101100005320220303204125000523664',
      ecToken: data.mdtrt_cert_no,
      operator,
      payRequest: data,
      insuplcAdmdvs: '310104',
    });

  test('exp_content goes out as its JSON text (字符型 4000) by default; #18-19 are sent', async () => {
    await send(setup().acts, payRequest());
    const data = received.find((b) => b.infno === 'SE02').input.payRequest.data;
    expect(data.exp_content).toBe('{"hosp_dept":"NK","n":1}');
    expect(data).toMatchObject({ minpacunt_drug_trac_cnt: 3, mcs_trac_cnt: '0' });
  });

  test('EXP_CONTENT_FORMAT=object sends the object; a string is always sent as given', async () => {
    const { acts } = setup({ EXP_CONTENT_FORMAT: 'object' });
    await send(acts, payRequest());
    expect(received.find((b) => b.infno === 'SE02').input.payRequest.data.exp_content).toEqual({ hosp_dept: 'NK', n: 1 });
    received = [];
    await send(setup().acts, { ...payRequest(), exp_content: 'plain text' });
    expect(received.find((b) => b.infno === 'SE02').input.payRequest.data.exp_content).toBe('plain text');
  });
});

describe('SE04 without payStatus', () => {
  const sample = () => v13Sample('se04-response');
  test('a payResponse is paid; the third-party orderNo and the amount in fen come with it', async () => {
    const { acts } = setup();
    answer = () => ({ body: sample() });
    const q = await acts.queryPayResult({ route: 'NATIONAL', ecToken: 'tok', operator });
    expect(q.kind).toBe('result');
    if (q.kind !== 'result') return;
    expect(q.result).toMatchObject({
      payStatus: '1',
      thirdOrderNo: 'H3101100005320220303205350000550346',
      amount: '5000.00',
      amountFen: 500000,
      channel: 'alipay',
    });
    expect(q.result.setlinfo?.setl_id).toBe('44020');
  });
  test('refusals: 处理中 is processing, 未找到 is notFound, anything else (a failure text too) is unknown', async () => {
    const { acts } = setup();
    const ask = () => acts.queryPayResult({ route: 'NATIONAL', ecToken: 'tok', operator });
    answer = () => ({ body: { infcode: -1, err_msg: '订单支付处理中，请稍后查询' } });
    expect(await ask()).toEqual({ kind: 'processing', at: expect.any(Number) });
    answer = () => ({ body: { infcode: -1, err_msg: '未找到该电子凭证令牌的支付订单' } });
    expect(await ask()).toMatchObject({ kind: 'notFound' });
    answer = () => ({ body: { infcode: -1, err_msg: '支付失败：第三方支付未完成' } });
    expect(await ask()).toMatchObject({ kind: 'unknown', reason: expect.stringContaining('支付失败') });
    // a settled-looking answer whose payResponse is not a 2207 output is never taken as paid
    answer = () => ({ body: { infcode: 0, output: { ...sample().output, payResponse: 'error text' } } });
    expect((await ask()).kind).toBe('unknown');
  });

  test.each(['SE04', 'SE06'] as const)('%s: a sign-in refusal is never "not found": re-sign-in, resend once with a new msgid, else unknown', async (infno) => {
    const { acts } = setup();
    const ask = () =>
      infno === 'SE04'
        ? acts.queryPayResult({ route: 'NATIONAL', ecToken: 'tok', operator })
        : acts.queryRefund({ route: 'NATIONAL', ecToken: 'tok', operator });
    // refused for the sign-in once: signed in again, resent with a new msgid, and that answer counts
    let refusals = 1;
    answer = () => (refusals-- > 0 ? { body: { infcode: -1, err_msg: '签到流水号不存在' } } : { body: { infcode: -1, err_msg: '未找到该电子凭证令牌的记录' } });
    expect(await ask()).toMatchObject({ kind: 'notFound' });
    const sent = received.filter((b) => b.infno === infno);
    expect(received.map((b) => b.infno)).toEqual(['9001', infno, '9001', infno]);
    expect(sent[1].msgid).not.toBe(sent[0].msgid);
    // refused for the sign-in again after the resend: unknown, never notFound
    received = [];
    answer = () => ({ body: { infcode: -1, err_msg: '签到流水号不存在' } });
    expect(await ask()).toMatchObject({ kind: 'unknown', reason: expect.stringContaining('签到流水号不存在') });
    expect(received.filter((b) => b.infno === infno)).toHaveLength(2); // resent once, not more
  });

  test('a sign-in refusal that cannot be cured (9001 refused) is unknown, never notFound', async () => {
    const { acts } = setup({ SIGN_IN_OPTER_NO: 'REFUSED2' });
    route = (b) => (b.infno === '9001' ? { body: { infcode: -1, err_msg: '操作员未授权' } } : { body: { infcode: -1, err_msg: '签到流水号不存在' } });
    expect(await acts.queryPayResult({ route: 'NATIONAL', ecToken: 'tok', operator })).toMatchObject({ kind: 'unknown' });
    expect(await acts.queryRefund({ route: 'NATIONAL', ecToken: 'tok', operator })).toMatchObject({ kind: 'unknown' });
  });
});

describe('sign-in against the simulator (prod path)', () => {
  let sim: Awaited<ReturnType<typeof import('../../simulator/server').startSimulator>>;
  beforeAll(async () => {
    const { startSimulator } = await import('../../simulator/server');
    sim = await startSimulator({ log: createLogger('sim', 'silent'), settings: { pushMode: 'off' } });
  });
  afterAll(() => sim.close());
  const simClient = (opterNo: string) => {
    const config = loadConfig({ PLATFORM_URL: `${sim.url}/gjptqzyy-prod/api/v1/route`, WUQI_URL: `${sim.url}/wuqi`, SIGN_IN_OPTER_NO: opterNo });
    return new PlatformClient(config, new MsgidGenerator({ fixmedinsCode: config.FIXMEDINS_CODE, instance: 1 }), createLogger('t', 'silent'));
  };
  const calls = () => sim.platform.ledger().nationalCalls;
  const se04Sim = (client: PlatformClient, ecToken: string) => client.national({ infno: 'SE04', input: { ecToken }, operator, outputSchema: z.unknown() });

  test('signs in, is accepted, signs in again after the platform ended the sign-in, and signs out with 9002', async () => {
    sim.platform.reset();
    const client = simClient('SIMOPS1');
    const ecToken = sim.platform.issueToken('employee');
    expect(await se04Sim(client, ecToken)).toMatchObject({ kind: 'business', message: '未找到该电子凭证令牌的支付订单' });
    expect(calls()['9001']).toBe(1);
    await got.post(`${sim.url}/__sim/signins/expire`);
    expect(await se04Sim(client, ecToken)).toMatchObject({ kind: 'business', message: '未找到该电子凭证令牌的支付订单' });
    expect(calls()).toMatchObject({ '9001': 2, SE04: 3 }); // refused once for the sign-in, then resent
    await client.signIn.signOut();
    expect(calls()['9002']).toBe(1);
    expect(client.signIn.health().state).toBe('SIGNED_OUT');
  });

  test('a refused 9001: calls go out with sign_no "" and the prod path refuses them with the sign-in message', async () => {
    sim.platform.reset();
    sim.platform.faults.add({ kind: 'businessError', infno: '9001', message: '操作员未在医保备案' });
    const client = simClient('SIMOPS2');
    const r = await se04Sim(client, 'tok');
    expect(r).toMatchObject({ kind: 'business', message: expect.stringContaining('签到') });
    expect(client.signIn.health()).toMatchObject({ state: 'REFUSED', lastError: '-1 操作员未在医保备案' });
    await se04Sim(client, 'tok');
    expect(calls()).toMatchObject({ '9001': 1, SE04: 2 }); // no 9001 storm, no pointless resend
  });
});
