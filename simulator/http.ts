import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Logger } from '../common/logger';
import { buildNationalReply, nationalInputHeader } from '../protocol/national-header';
import { decideRoute } from '../protocol/routing';
import { se02Input, se04Input, se06Input, se07Input } from '../protocol/se-messages';
import { refund2208Input } from '../protocol/settlement';
import { compactMillis } from '../protocol/shanghai-time';
import { describeZodError } from '../protocol/zod-helpers';
import { faultRuleInput } from './faults';
import {
  handleNationalExtra,
  headerRefusal,
  PROD_PATH,
  receiveNational,
  se04Answer,
  signNationalReply,
  TEST_PATH,
} from '../routes/national/simulator/platform';
import { createWuqiHandler } from '../routes/wuqi/simulator/http';
import { CENTRE_INFNOS, centreControl, clearCentreDifferences, handleCentreNational } from './centre';
import { answer9102, clearReconFiles, handleReconNational, RECON_INFNOS } from '../routes/national/simulator/recon';
import { clearSl01State } from '../routes/wuqi/simulator/recon';
import type { SimPlatform, SimResult } from './platform';

const ONLINE = new Set(['4', '5']);
const NATIONAL_INFNOS = ['SE02', 'SE04', 'SE06', 'SE07', '2208', '2601', '1101', '9001', '9002', ...CENTRE_INFNOS, ...RECON_INFNOS];

export interface SimulatorHttpOptions {
  /** prod: the /__sim control API is off. */
  mode: 'test' | 'prod';
}

/** A body of bytes is a file answered as itself (9102, national §5.8.2.2.5); any other body is JSON. */
type Reply = { status: number; body: unknown } | { hang: true };

export function createSimulatorApp(platform: SimPlatform, log: Logger, opts: SimulatorHttpOptions) {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '1mb' }));

  let refSeq = 0;
  const refmsgid = () => `310000${compactMillis(Date.now()).slice(0, 14)}${String(++refSeq).padStart(10, '0')}`;

  /** Applies the transport faults around a handler: before (no action) or after processing. */
  async function withFaults(infno: string, personId: string | undefined, handle: () => Promise<Reply>): Promise<Reply> {
    const where = { infno, personId };
    const http5xx = platform.faults.take('http5xx', where);
    const hang = platform.faults.take('hang', where);
    if (http5xx && !http5xx.afterProcessing) return { status: 500, body: { error: '模拟: 服务端异常' } };
    if (hang && !hang.afterProcessing) return { hang: true };
    const reply = await handle();
    if (http5xx) return { status: 500, body: { error: '模拟: 服务端异常' } };
    if (hang) return { hang: true };
    return reply;
  }

  function send(res: Response, reply: Reply) {
    if ('hang' in reply) {
      log.info('simulated hang: no reply');
      return; // the socket is closed when the server stops or the client gives up
    }
    if (reply.body instanceof Uint8Array) return void res.status(reply.status).type('application/zip').send(Buffer.from(reply.body));
    res.status(reply.status).json(reply.body);
  }

  // ---- national route ----
  const national = async (req: Request, res: Response) => {
    const receivedAt = compactMillis(Date.now());
    const answer = (infcode: number, output: unknown, errMsg?: string): Reply => ({
      status: 200,
      body: signNationalReply(
        platform,
        buildNationalReply({ infcode, output, errMsg, refmsgid: refmsgid(), receivedAt, respondedAt: compactMillis(Date.now()) }),
      ),
    });
    const fail = (msg: string) => answer(-1, null, msg);
    const header = nationalInputHeader.safeParse(req.body);
    if (!header.success) return send(res, fail(`报文头校验失败: ${describeZodError(header.error)}`));
    const h = header.data;
    if (!NATIONAL_INFNOS.includes(h.infno)) return send(res, fail(`不支持的交易编号: ${h.infno}`));
    const prod = req.path === PROD_PATH;
    platform.national.count(h.infno);
    const unsigned = receiveNational(platform, req.body as Record<string, unknown>, h);
    if (unsigned) return send(res, fail(unsigned));
    const refusal = headerRefusal(platform.national, h, prod);
    if (refusal) return send(res, fail(refusal));
    if ((h.infno === 'SE02' || h.infno === 'SE07') && !ONLINE.has(h.opter_type)) {
      return send(res, fail('opter_type must be 4 or 5 for online calls (经办人类别须为4线上支付终端或5互联网医院)'));
    }
    const token = typeof h.input.ecToken === 'string' ? h.input.ecToken : undefined;
    const personId = token ? platform.personOfToken(token)?.id : undefined;
    const business = platform.faults.take('businessError', { infno: h.infno, personId });
    if (business) return send(res, fail(business.message));

    const reply = await withFaults(h.infno, personId, async () => {
      if (h.infno === '9102') {
        const f = answer9102(platform, h.input, Date.now());
        return f.ok ? { status: 200, body: f.output } : fail(f.message);
      }
      const r = await handleNational(h.infno, h.input, h.msgid, personId, prod);
      return r.ok ? answer(0, r.output) : fail(r.message);
    });
    send(res, reply);
  };

  async function handleNational(infno: string, input: Record<string, unknown>, msgid: string, personId: string | undefined, prod: boolean): Promise<SimResult> {
    switch (infno) {
      case 'SE02': {
        const p = se02Input.safeParse(input);
        if (!p.success) return { ok: false, message: `入参校验失败: ${describeZodError(p.error)}` };
        const data = p.data.payRequest.data;
        if (data.mdtrt_cert_type !== '01' || data.mdtrt_cert_no !== p.data.ecToken) {
          return { ok: false, message: '就诊凭证类型须为01(电子凭证)，就诊凭证编号须为ecToken' };
        }
        // the test path never pushes SE03/SE05 (V13 §3.2): results only by SE04/SE06
        const r = platform.se02({ route: 'NATIONAL', orderNo: p.data.orderNo, ecToken: p.data.ecToken, msgid, data, noPush: !prod });
        if (!r.ok) return r;
        if (r.order && r.order.se02Count === 1) {
          if (platform.faults.take('pushBeforeReply', { infno: 'SE03', personId })) await platform.scheduleSettlementPush(r.order, { immediate: true });
          else void platform.scheduleSettlementPush(r.order);
        }
        return { ok: true, output: null };
      }
      case 'SE04': {
        const p = se04Input.safeParse(input);
        if (!p.success) return { ok: false, message: `入参校验失败: ${describeZodError(p.error)}` };
        return se04Answer(platform, p.data.ecToken);
      }
      case 'SE06': {
        const p = se06Input.safeParse(input);
        if (!p.success) return { ok: false, message: `入参校验失败: ${describeZodError(p.error)}` };
        const order = platform.orderByToken(p.data.ecToken);
        if (!order?.cashRefund) return { ok: false, message: '未找到该电子凭证令牌的退款申请' };
        const out = platform.refundOutput(order);
        // the samples mix amount forms: here a JSON number
        if (typeof out.amount === 'string') out.amount = Number(out.amount);
        return { ok: true, output: out };
      }
      case 'SE07': {
        const p = se07Input.safeParse(input);
        if (!p.success) return { ok: false, message: `入参校验失败: ${describeZodError(p.error)}` };
        return platform.se07(p.data.ecToken, p.data.orderNo);
      }
      case '2208': {
        const p = refund2208Input.safeParse(input);
        if (!p.success) return { ok: false, message: `入参校验失败: ${describeZodError(p.error)}` };
        const order = platform.findBySetlId(p.data.data.setl_id);
        if (!order || order.route !== 'NATIONAL') return { ok: false, message: '未找到该结算记录' };
        const setl = order.result?.payResponse;
        if (!setl || !('setlinfo' in setl) || setl.setlinfo.psn_no !== p.data.data.psn_no || setl.setlinfo.mdtrt_id !== p.data.data.mdtrt_id) {
          return { ok: false, message: '人员编号或就诊ID与结算记录不一致' };
        }
        const failure = platform.faults.take('refundFailure', { infno: '2208', personId });
        if (failure) return { ok: false, message: failure.message };
        if (platform.national.reversed.has(msgid)) return { ok: false, message: '该交易已冲正，不能再处理' };
        const r = platform.refundInsurance(order, msgid);
        if (r.ok) {
          platform.national.refunds.set(msgid, { orderNo: order.orderNo, psnNo: p.data.data.psn_no });
          platform.autoCashRefund(order); // the cash part follows by itself (V13 附件一 3)
        }
        return r;
      }
      default:
        return (
          handleNationalExtra(platform, infno, input, Date.now()) ??
          handleCentreNational(platform, infno, input) ??
          handleReconNational(platform, infno, input, Date.now()) ?? { ok: false, message: `不支持的交易编号: ${infno}` }
        );
    }
  }

  app.post([TEST_PATH, PROD_PATH], national);

  // ---- 五期 (routes/wuqi/simulator/http.ts) ----
  app.post('/wuqi', createWuqiHandler(platform, log, { withFaults, send }));

  // ---- control API ----
  if (opts.mode === 'test') app.use('/__sim', controlRouter(platform));
  else app.use('/__sim', (_req, res) => res.status(404).json({ error: 'control API is disabled in prod mode' }));

  // Body-parser errors: a national-shaped answer, never a 500.
  app.use((err: Error & { type?: string; status?: number }, req: Request, res: Response, _next: NextFunction) => {
    const status = err.status && err.status < 500 ? err.status : 500;
    if (status === 500) log.error({ err: err.message }, 'simulator error');
    const msg = err.type === 'entity.parse.failed' ? '报文不是合法的JSON' : err.type === 'entity.too.large' ? '报文过大' : '请求无法处理';
    if (req.path.startsWith('/wuqi')) return res.status(200).json({ xxfhm: 'C001', fhxx: msg, xxnr: {} });
    if (req.path.startsWith('/__sim')) return res.status(status === 500 ? 500 : 400).json({ error: msg });
    return res.status(200).json({ infcode: -1, err_msg: msg, output: null });
  });
  return app;
}

const personInput = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[\w-]+$/),
  name: z.string().min(1).max(50),
  idno: z.string().regex(/^\d{17}[\dX]$/),
  idtype: z.string().max(15).default('01'),
  psnNo: z.string().min(1).max(30),
  accountattr: z.string().regex(/^[0-9A-Z]{16}$/),
  insutype: z.string().max(6).default('310'),
  psnType: z.string().max(6).default('11'),
  fundRatio: z.number().min(0).max(1).default(0.7),
  accountBalanceFen: z.number().int().min(0).default(0),
  insuplcAdmdvs: z
    .string()
    .regex(/^\d{6}$/)
    .optional(),
  channel: z.enum(['wechat', 'alipay', 'unionpay']).default('wechat'),
  payFails: z.boolean().default(false),
  /** 工伤认定: 五期 accepts persontype 1 bills for this person */
  workInjury: z.boolean().default(false),
});

const settingsInput = z
  .object({
    pushMode: z.enum(['on', 'off']),
    pushRetryMs: z.number().int().min(10).max(3_600_000),
    pushMaxAttempts: z.number().int().min(1).max(10_000),
    settleDelayMs: z.number().int().min(0).max(3_600_000),
    refundProcessingMs: z.number().int().min(0).max(3_600_000),
    tokenTtlMs: z.number().int().min(1).max(86_400_000),
    qrTtlMs: z.number().int().min(1).max(86_400_000),
    callbackBaseUrl: z.string().url(),
    sk01RefusesExpiredTokens: z.boolean(),
    /** national §4.4: verify every request's cainfo with publicKey (refused with infcode -1 otherwise); sign answers with privateKey; null = off */
    cainfo: z
      .object({
        publicKey: z.string().regex(/^(04)?[0-9a-fA-F]{128}$/),
        userId: z.string().min(1).max(64).default('1234567812345678'),
        encoding: z.enum(['hex', 'base64', 'der-hex', 'der-base64']).default('hex'),
        privateKey: z
          .string()
          .regex(/^[0-9a-fA-F]{64}$/)
          .optional(),
      })
      .strict()
      .nullable(),
  })
  .partial()
  .strict();

function controlRouter(platform: SimPlatform) {
  const r = express.Router();
  const invalid = (res: Response, e: z.ZodError) =>
    res.status(400).json({ error: 'invalid request', details: e.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });

  r.get('/persons', (_req, res) =>
    res.json(platform.listPersons().map((p) => ({ id: p.id, psnNo: p.psnNo, accountattr: p.accountattr, route: decideRoute(p.accountattr).route }))),
  );
  r.post('/persons', (req, res) => {
    const p = personInput.safeParse(req.body);
    if (!p.success) return invalid(res, p.error);
    if (platform.person(p.data.id)) return res.status(409).json({ error: 'person exists' });
    platform.addPerson(p.data);
    return res.status(201).json({ id: p.data.id, route: decideRoute(p.data.accountattr).route });
  });
  r.post('/qrcodes', (req, res) => {
    const p = z.object({ personId: z.string().min(1) }).safeParse(req.body);
    if (!p.success) return invalid(res, p.error);
    const qr = platform.issueQrCode(p.data.personId);
    return qr ? res.status(201).json(qr) : res.status(404).json({ error: 'unknown person' });
  });
  r.post('/tokens', (req, res) => {
    const p = z.object({ personId: z.string().min(1) }).safeParse(req.body);
    if (!p.success) return invalid(res, p.error);
    if (!platform.person(p.data.personId)) return res.status(404).json({ error: 'unknown person' });
    return res.status(201).json({ ecToken: platform.issueToken(p.data.personId) });
  });
  // every issued ecToken expires now: a refund days later holds an old one (with sk01RefusesExpiredTokens, SK01 refuses it)
  r.post('/tokens/expire', (_req, res) => res.json({ expired: platform.expireTokens() }));
  // national messages as received (header without input; SE02's 2207 data), optionally of one infno
  r.get('/national/messages', (req, res) => {
    const infno = typeof req.query.infno === 'string' ? req.query.infno : undefined;
    res.json(platform.national.received.filter((m) => !infno || m.infno === infno));
  });
  r.get('/settings', (_req, res) =>
    res.json({ ...platform.settings, ...(platform.settings.cainfo?.privateKey ? { cainfo: { ...platform.settings.cainfo, privateKey: '(set)' } } : {}) }),
  );
  r.put('/settings', (req, res) => {
    const p = settingsInput.safeParse(req.body);
    if (!p.success) return invalid(res, p.error);
    const { cainfo, ...rest } = p.data;
    if (cainfo !== undefined) platform.settings.cainfo = cainfo ?? undefined;
    Object.assign(platform.settings, rest);
    return res.json(platform.settings);
  });
  r.get('/faults', (_req, res) => res.json(platform.faults.list()));
  r.post('/faults', (req, res) => {
    const p = faultRuleInput.safeParse(req.body);
    if (!p.success) return invalid(res, p.error);
    return res.status(201).json(platform.faults.add(p.data));
  });
  r.delete('/faults', (_req, res) => {
    platform.faults.clear();
    res.status(204).end();
  });
  r.get('/ledger', (_req, res) => res.json(platform.ledger()));
  // the centre's books differ from ours for one order (5203/5203A/SI91): simulator/centre.ts
  r.use('/centre', centreControl(platform));
  // every 9001 sign-in ends, as the platform's daily expiry or a 9002 from another terminal would do
  r.post('/signins/expire', (_req, res) => res.json({ expired: platform.national.expireSignIns() }));
  r.post('/reset', (_req, res) => {
    platform.reset();
    clearCentreDifferences(platform);
    clearSl01State(platform);
    clearReconFiles(platform);
    res.status(204).end();
  });
  return r;
}
