import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { loadConfig } from '../../common/config';
import { PlatformClient } from '../../platform/client';
import { MsgidGenerator } from '../../protocol/msgid';
import { se04Output } from '../../protocol/se-messages';
import { sm01Output } from '../../protocol/wuqi';
import { v13Sample } from '../fixtures';

type Handler = (body: any, res: http.ServerResponse) => void;
let handler: Handler;
let server: http.Server;
let base: string;
const received: any[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      const body = JSON.parse(data);
      received.push(body);
      handler(body, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function client(extra: Record<string, string> = {}) {
  const config = loadConfig({ PLATFORM_URL: `${base}/route`, WUQI_URL: `${base}/wuqi`, PLATFORM_TIMEOUT_SE04_MS: '300', ...extra });
  return new PlatformClient(config, new MsgidGenerator({ fixmedinsCode: config.FIXMEDINS_CODE, instance: 0 }));
}
const operator = { opter: '0018', opter_name: 'doct', opter_type: '4' as const };
const json = (res: http.ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
};
const se04 = () => client().national({ infno: 'SE04', input: { ecToken: 'tok' }, operator, outputSchema: se04Output });

describe('platform client sorts outcomes', () => {
  test('ok: infcode 0 with a valid output; the envelope carries infno and a fresh msgid', async () => {
    handler = (_b, res) => json(res, 200, v13Sample('se04-response'));
    const r = await se04();
    expect(r.kind).toBe('ok');
    const sent = received.at(-1);
    expect(sent.infno).toBe('SE04');
    expect(sent.opter_type).toBe('4');
    expect(sent.msgid).toBe(r.msgid);
    expect(sent.input).toEqual({ ecToken: 'tok' });
  });
  test('ok with infcode as the string "0"', async () => {
    handler = (_b, res) => json(res, 200, { ...v13Sample('se04-response'), infcode: '0' });
    expect((await se04()).kind).toBe('ok');
  });
  test('business: infcode -1 with err_msg', async () => {
    handler = (_b, res) => json(res, 200, { infcode: -1, err_msg: '未找到支付结果' });
    const r = await se04();
    expect(r).toMatchObject({ kind: 'business', code: '-1', message: '未找到支付结果' });
  });
  test('unknown: HTTP 502', async () => {
    handler = (_b, res) => json(res, 502, 'bad gateway');
    expect(await se04()).toMatchObject({ kind: 'unknown', reason: 'HTTP 502' });
  });
  test('unknown: timeout', async () => {
    handler = (_b, res) => setTimeout(() => json(res, 200, v13Sample('se04-response')), 1000);
    const r = await se04();
    expect(r.kind).toBe('unknown');
    expect(r.kind === 'unknown' && r.reason).toMatch(/ETIMEDOUT/);
  });
  test('unknown: connection reset', async () => {
    handler = (_b, res) => res.socket?.destroy();
    const r = await se04();
    expect(r.kind).toBe('unknown');
  });
  test('unknown: reply that is not JSON, or has a malformed output', async () => {
    handler = (_b, res) => json(res, 200, '<html>');
    expect(await se04()).toMatchObject({ kind: 'unknown', reason: 'malformed reply: not JSON' });
    handler = (_b, res) => json(res, 200, { infcode: 0, output: { ecToken: 'tok', channel: 'bitcoin' } });
    expect((await se04()).kind).toBe('unknown');
  });
  test('五期: P001 is ok, P600 is business, T100 is unknown', async () => {
    const call = () => client().wuqi({ xxlxm: 'SM01', xxnr: { cardtype: '3', carddata: 'tok' }, operator: { id: '1', name: 'op' }, outputSchema: sm01Output });
    handler = (_b, res) => json(res, 200, { xxfhm: 'P001', fhxx: '', xxnr: { accountattr: '1000000000000000' } });
    expect(await call()).toMatchObject({ kind: 'ok', output: { accountattr: '1000000000000000' } });
    const sent = received.at(-1);
    expect(sent.xxlxm).toBe('SM01');
    expect(sent.jyqd).toBe('20');
    expect(sent.msgid).toMatch(/^31011000053\d{17}$/);
    handler = (_b, res) => json(res, 200, { xxfhm: 'P600', fhxx: '未找到' });
    expect(await call()).toMatchObject({ kind: 'business', code: 'P600' });
    handler = (_b, res) => json(res, 200, { xxfhm: 'T100', fhxx: '超时' });
    expect((await call()).kind).toBe('unknown');
  });
  test('refuses to send an input that breaks the SE07 schema', async () => {
    await expect(client().national({ infno: 'SE07', input: { ecToken: 'tok' }, operator, outputSchema: z.unknown() })).rejects.toThrow(
      /refusing to send invalid SE07 input: orderNo/,
    );
  });
});
