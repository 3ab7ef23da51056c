import type { Request, Response } from 'express';
import type { Logger } from '../../../common/logger';
import { se07Input } from '../../../protocol/se-messages';
import { buildWuqiReply, se01Input, sm01Input, wuqiRequestEnvelope, wuqiSe02Input } from '../../../protocol/wuqi';
import { billTotalFen, cardContradiction, OUTPATIENT_ONLY, WUQI_BILL_SCHEMAS, type WuqiBill, type WuqiBillType } from '../../../protocol/wuqi-bills';
import { sk01Input } from '../../../protocol/wuqi-results';
import { describeZodError } from '../../../protocol/zod-helpers';
import type { SimPlatform, SimResult } from '../../../simulator/platform';
import { billRefusal } from './calc';
import { sk01 } from './platform';
import { si91 } from '../../../simulator/centre';
import { sl01 } from './recon';

// The simulated 五期 endpoint (the HTTP bridge to SendRcv4 a hospital runs; docs/architecture.md "五期 route"): one
// POST per message, the §3.2.1 envelope in and out, §3.4 return codes.

export type SimReply = { status: number; body: unknown } | { hang: true };

export interface WuqiHttpDeps {
  /** the simulator's transport faults (http5xx, hang) around a handler */
  withFaults(infno: string, personId: string | undefined, handle: () => Promise<SimReply>): Promise<SimReply>;
  send(res: Response, reply: SimReply): void;
}

type Answer = { output: Record<string, unknown> } | { code: string; message: string };
const bad = (code: string, message: string): Answer => ({ code, message });

/**
 * SE02's payRequest does not say which bill it is: SH02 is the one with 诊疗项目代码 (zlxmdm), SI12 the one with
 * a 明细账单号 list. An SI52 (住院类, 出院结算标志 cyjsbz) is refused by readBill: V13 §1.1 admits 门诊 only.
 */
export function detectBillType(xxnr: Record<string, unknown>): WuqiBillType | undefined {
  if ('zlxmdm' in xxnr) return 'SH02';
  if ('mxzdhs' in xxnr) return 'SI12';
  return undefined;
}

function readBill(payRequest: unknown, ecToken: string): { bill: WuqiBill } | { code: string; message: string } {
  let value = payRequest;
  if (typeof payRequest === 'string') {
    try {
      value = JSON.parse(payRequest);
    } catch {
      return { code: 'C002', message: 'payRequest 不是合法的JSON' };
    }
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { code: 'C002', message: 'payRequest 须为SH02/SI12入参' };
  const xxnr = value as Record<string, unknown>;
  if ('cyjsbz' in xxnr) return { code: 'P100', message: `住院类收费确认(SI52)不支持线上支付: ${OUTPATIENT_ONLY}` };
  const type = detectBillType(xxnr);
  if (!type) return { code: 'P100', message: 'payRequest 不是SH02/SI12入参' };
  const p = WUQI_BILL_SCHEMAS[type].safeParse(xxnr);
  if (!p.success) return { code: 'P100', message: `payRequest(${type}) 校验失败: ${describeZodError(p.error)}` };
  if (xxnr.cardtype !== '3' || xxnr.carddata !== ecToken)
    return { code: 'P100', message: cardContradiction(p.data, ecToken) ?? 'cardtype须为3(电子凭证)，carddata须为令牌' };
  const bill = { type, xxnr: p.data } as WuqiBill;
  const refusal = billRefusal(bill);
  return refusal ? { code: 'P100', message: refusal } : { bill };
}

export function createWuqiHandler(platform: SimPlatform, log: Logger, deps: WuqiHttpDeps) {
  async function handle(xxlxm: string, xxnr: Record<string, unknown>, msgid: string, personId: string | undefined): Promise<Answer> {
    const asWuqi = (r: SimResult, code: string): Answer =>
      r.ok ? { output: (r.output ?? {}) as Record<string, unknown> } : bad(r.message.includes('已经退款') ? 'P510' : code, r.message);
    switch (xxlxm) {
      case 'SE01': {
        const p = se01Input.safeParse(xxnr);
        if (!p.success) return bad('C002', `入参校验失败: ${describeZodError(p.error)}`);
        return asWuqi(platform.se01(p.data.ecQrCode), 'P700');
      }
      case 'SM01': {
        const p = sm01Input.safeParse(xxnr);
        if (!p.success) return bad('C002', `入参校验失败: ${describeZodError(p.error)}`);
        return asWuqi(platform.sm01(p.data.cardtype, p.data.carddata), 'P700');
      }
      case 'SE02': {
        const p = wuqiSe02Input.safeParse(xxnr);
        if (!p.success) return bad('C002', `入参校验失败: ${describeZodError(p.error)}`);
        const read = readBill(p.data.payRequest, p.data.ecToken);
        if (!('bill' in read)) return read;
        const person = platform.personOfToken(p.data.ecToken);
        if (read.bill.xxnr.persontype === '1' && person && !person.workInjury) return bad('P300', '该人员无工伤认定，不能按工伤结算');
        const r = platform.se02({
          route: 'WUQI',
          orderNo: p.data.orderNo,
          ecToken: p.data.ecToken,
          msgid,
          medfeeFen: billTotalFen(read.bill),
          wuqiBill: read.bill,
        });
        if (!r.ok) return bad('P300', r.message);
        if (r.order && r.order.se02Count === 1) {
          if (platform.faults.take('pushBeforeReply', { infno: 'SE03', personId })) await platform.scheduleSettlementPush(r.order, { immediate: true });
          else void platform.scheduleSettlementPush(r.order);
        }
        return { output: {} };
      }
      case 'SE04': {
        const order = typeof xxnr.ecToken === 'string' ? platform.orderByToken(xxnr.ecToken) : undefined;
        if (!order || order.route !== 'WUQI') return bad('P610', '未找到该电子凭证令牌的支付订单');
        // §4.8.4.3 has no payStatus: in progress or failed is a P900 refusal whose 系统提示信息 says so.
        return asWuqi(platform.se04Answer(order), 'P900');
      }
      case 'SK01': {
        const p = sk01Input.safeParse(xxnr);
        if (!p.success) return bad('C002', `入参校验失败: ${describeZodError(p.error)}`);
        const failure = platform.faults.take('refundFailure', { infno: 'SK01', personId });
        if (failure) return bad('P500', failure.message);
        const r = sk01(platform, p.data);
        return r.ok ? { output: r.output } : bad(r.code, r.message);
      }
      case 'SE06': {
        const order = typeof xxnr.ecToken === 'string' ? platform.orderByToken(xxnr.ecToken) : undefined;
        if (!order?.cashRefund || order.route !== 'WUQI') return bad('P610', '未找到该电子凭证令牌的退款申请');
        return { output: platform.refundOutput(order) };
      }
      case 'SE07': {
        const p = se07Input.safeParse(xxnr);
        if (!p.success) return bad('C002', `入参校验失败: ${describeZodError(p.error)}`);
        const order = platform.orderByToken(p.data.ecToken);
        if (!order || order.route !== 'WUQI') return bad('P610', '未找到该令牌的支付订单');
        return asWuqi(platform.se07(p.data.ecToken, p.data.orderNo), 'P500');
      }
      case 'SI91': {
        const r = si91(platform, xxnr);
        return r.ok ? { output: r.output } : bad(r.code, r.message);
      }
      case 'SL01': {
        const r = sl01(platform, xxnr);
        return r.ok ? { output: r.output } : bad(r.code, r.message);
      }
      default:
        return bad('C002', `不支持的消息类型: ${xxlxm}`);
    }
  }

  return async (req: Request, res: Response) => {
    const env = wuqiRequestEnvelope.safeParse(req.body);
    const raw = (req.body ?? {}) as Record<string, unknown>;
    const reply = (xxfhm: string, fhxx: string, xxnr: Record<string, unknown> = {}): SimReply => ({
      status: 200,
      body: buildWuqiReply({
        xxlxm: env.success ? env.data.xxlxm : typeof raw.xxlxm === 'string' ? raw.xxlxm.slice(0, 7) : '',
        msgid: env.success ? env.data.msgid : '',
        xxfhm,
        fhxx,
        xxnr,
        jgdm: env.success ? env.data.jgdm : '',
      }),
    });
    if (!env.success) return deps.send(res, reply('C001', `报文格式错误: ${describeZodError(env.error)}`));
    const e = env.data;
    const token = typeof e.xxnr.ecToken === 'string' ? e.xxnr.ecToken : typeof e.xxnr.carddata === 'string' ? e.xxnr.carddata : undefined;
    const personId = token ? platform.personOfToken(token)?.id : undefined;
    const where = { infno: e.xxlxm, personId };
    const business = platform.faults.take('businessError', where);
    if (business) return deps.send(res, reply('P900', business.message));
    // §3.4 codes on demand (e.g. the T-codes of a 前置机 timeout), before or after the platform acted.
    const coded = platform.faults.take('wuqiCode', where);
    if (coded && !coded.afterProcessing) return deps.send(res, reply(coded.code, `模拟: ${coded.code}`));
    const answer = await deps.withFaults(e.xxlxm, personId, async () => {
      const r = await handle(e.xxlxm, e.xxnr, e.msgid, personId);
      if (coded) return reply(coded.code, `模拟: ${coded.code} (已处理)`);
      return 'code' in r ? reply(r.code, r.message) : reply('P001', '成功', r.output);
    });
    log.debug({ xxlxm: e.xxlxm }, '五期 message answered');
    deps.send(res, answer);
  };
}
