import { ApplicationFailure } from '@temporalio/activity';
import { z } from 'zod';
import type { Config } from '../common/config';
import { pollsTotal, se02Latency } from '../common/metrics';
import type { Logger } from '../common/logger';
import type { CallOutcome, PlatformClient } from '../platform/client';
import type { Operator } from '../protocol/national-header';
import { payQueryFromSe04, refundResult, type PayResult, type RefundResult } from '../protocol/pay-result';
import type { Route } from '../protocol/routing';
import { se04Output, se06Output } from '../protocol/se-messages';
import { refund2208Output, type Settle2207Data } from '../protocol/settlement';
import { se01Output, sm01Output } from '../protocol/wuqi';
import type { WuqiBill } from '../protocol/wuqi-bills';
import { queryWuqiPay, queryWuqiRefund, refundWuqiInsurance, submitWuqiSe02, submitWuqiSe07 } from './wuqi-activities';

export type Submit = { kind: 'ok'; msgid: string } | { kind: 'business'; msgid: string; message: string } | { kind: 'unknown'; msgid: string; reason: string };
export type PayQueryOutcome = { kind: 'result'; result: PayResult } | { kind: 'processing' } | { kind: 'notFound'; message: string } | { kind: 'unknown'; reason: string };
export type RefundQueryOutcome = { kind: 'result'; result: RefundResult } | { kind: 'notFound'; message: string } | { kind: 'unknown'; reason: string };

/** A "no such order/refund" answer, as opposed to a transient refusal such as 系统繁忙. */
const NOT_FOUND = /未找到|不存在|无此|not found/i;
const ALREADY_REFUNDED = /已经退款|重复退款|已撤销/;

const wuqiOperator = (o: Operator) => ({ id: o.opter.slice(0, 20), name: o.opter_name });

function sameText(a?: string, b?: string): boolean | null {
  if (!a || !b) return null;
  return a.trim().toUpperCase() === b.trim().toUpperCase();
}

/** One activity per platform call. Platform outcomes are returned, not thrown, so the workflow decides. */
export function createPlatformActivities(deps: { client: PlatformClient; config: Config; log: Logger }) {
  const { client, config } = deps;

  function submitOutcome(o: CallOutcome<unknown>): Submit {
    if (o.kind === 'ok') return { kind: 'ok', msgid: o.msgid };
    if (o.kind === 'business') return { kind: 'business', msgid: o.msgid, message: `${o.code} ${o.message}`.trim() };
    return { kind: 'unknown', msgid: o.msgid, reason: o.reason };
  }

  async function sendSe02(a: { route: Route; orderNo: string; ecToken: string; operator: Operator; payRequest: Settle2207Data; wuqiPayRequest?: WuqiBill; pName?: string; pIdNo?: string }): Promise<Submit> {
    const personal = { ...(a.pName ? { pName: a.pName } : {}), ...(a.pIdNo ? { pIdNo: a.pIdNo } : {}) };
    if (a.route === 'WUQI') return submitWuqiSe02(client, a);
    const r = await client.national({
      infno: 'SE02',
      input: { orderNo: a.orderNo, ecToken: a.ecToken, payRequest: { data: a.payRequest }, ...personal },
      operator: a.operator,
      outputSchema: z.unknown(),
    });
    return submitOutcome(r);
  }

  /** The SE messages whose input is the same on both routes: 五期 envelope or national header. */
  function routed<S extends z.ZodTypeAny>(route: Route, code: string, input: Record<string, unknown>, operator: Operator, outputSchema: S) {
    return route === 'WUQI'
      ? client.wuqi({ xxlxm: code, xxnr: input, operator: wuqiOperator(operator), outputSchema })
      : client.national({ infno: code, input, operator, outputSchema });
  }

  async function queryPay(a: { route: Route; ecToken: string; operator: Operator }): Promise<PayQueryOutcome> {
    if (a.route === 'WUQI') return queryWuqiPay(client, a);
    const r = await routed(a.route, 'SE04', { ecToken: a.ecToken }, a.operator, se04Output);
    if (r.kind === 'unknown') return { kind: 'unknown', reason: r.reason };
    if (r.kind === 'business') {
      return NOT_FOUND.test(r.message) || r.code === 'P610' || r.code === 'P600' ? { kind: 'notFound', message: r.message } : { kind: 'unknown', reason: `${r.code} ${r.message}` };
    }
    return payQueryFromSe04(r.output);
  }

  async function queryRefundStatus(a: { route: Route; ecToken: string; operator: Operator }): Promise<RefundQueryOutcome> {
    if (a.route === 'WUQI') return queryWuqiRefund(client, a);
    const r = await routed(a.route, 'SE06', { ecToken: a.ecToken }, a.operator, se06Output);
    if (r.kind === 'unknown') return { kind: 'unknown', reason: r.reason };
    if (r.kind === 'business') {
      return NOT_FOUND.test(r.message) || r.code === 'P610' ? { kind: 'notFound', message: r.message } : { kind: 'unknown', reason: `${r.code} ${r.message}` };
    }
    return { kind: 'result', result: refundResult('poll', r.output) };
  }

  return {
    /** SE01: QR code -> ecToken. Compares the HIS's pName/pIdNo here so the identity never enters workflow state. */
    async decodeQr(a: { ecQrCode: string; ecQrChannel: '1' | '2' | '3'; operator: Operator; pName?: string; pIdNo?: string }) {
      const r = await client.wuqi({
        xxlxm: 'SE01',
        xxnr: {
          orgId: config.wuqiOrgCode,
          ecQrCode: a.ecQrCode,
          ecQrChannel: a.ecQrChannel,
          businessType: '01301',
          termId: config.FIXMEDINS_CODE,
          termIp: '127.0.0.1',
          operatorId: a.operator.opter.slice(0, 10),
          operatorName: a.operator.opter_name,
          officeId: 'ONLINE',
          officeName: '互联网医院',
        },
        operator: wuqiOperator(a.operator),
        outputSchema: se01Output,
      });
      if (r.kind === 'unknown') throw ApplicationFailure.retryable(`SE01 outcome unknown: ${r.reason}`, 'PlatformUnknown');
      if (r.kind === 'business') return { kind: 'business' as const, message: `${r.code} ${r.message}`.trim() };
      const nameOk = sameText(a.pName, r.output.username);
      const idOk = sameText(a.pIdNo, r.output.idno);
      const identityMatches = nameOk === false || idOk === false ? false : nameOk || idOk ? true : null;
      return { kind: 'ok' as const, ecToken: r.output.ecToken, identityMatches };
    },

    /** SM01 (cardtype 3 = 电子凭证): the person's accountattr decides the route. */
    async queryAccount(a: { ecToken: string; operator: Operator; pName?: string }) {
      const r = await client.wuqi({ xxlxm: 'SM01', xxnr: { cardtype: '3', carddata: a.ecToken }, operator: wuqiOperator(a.operator), outputSchema: sm01Output });
      if (r.kind === 'unknown') throw ApplicationFailure.retryable(`SM01 outcome unknown: ${r.reason}`, 'PlatformUnknown');
      if (r.kind === 'business') return { kind: 'business' as const, message: `${r.code} ${r.message}`.trim() };
      return { kind: 'ok' as const, accountattr: r.output.accountattr, nameMatches: sameText(a.pName, r.output.personname) };
    },

    /** SE02, exactly one HTTP request per call. Never retried by Temporal: an unknown outcome is the workflow's to resolve. */
    async submitSe02(a: Parameters<typeof sendSe02>[0]): Promise<Submit> {
      const stop = se02Latency.startTimer({ route: a.route });
      const outcome = await sendSe02(a);
      stop({ outcome: outcome.kind });
      return outcome;
    },

    /** SE04: the settlement result by ecToken. */
    async queryPayResult(a: Parameters<typeof queryPay>[0]): Promise<PayQueryOutcome> {
      const q = await queryPay(a);
      pollsTotal.inc({ infno: 'SE04', outcome: q.kind });
      return q;
    },

    /** SE06: the cash refund's status by ecToken (0 = in progress). */
    async queryRefund(a: Parameters<typeof queryRefundStatus>[0]): Promise<RefundQueryOutcome> {
      const q = await queryRefundStatus(a);
      pollsTotal.inc({ infno: 'SE06', outcome: q.kind });
      return q;
    },



    /** 2208 (national) / SK01 (五期): refund the insurance part. */
    async refundInsurance(a: { route: Route; orderNo: string; ecToken: string; setlId: string; mdtrtId: string; psnNo: string; insuplcAdmdvs?: string; operator: Operator; wuqi?: { translsh: string; totalexpense: string } }) {
      if (a.route === 'WUQI') return refundWuqiInsurance(client, a);
      const r = await client.national({
        infno: '2208',
        input: { data: { psn_no: a.psnNo, setl_id: a.setlId, mdtrt_id: a.mdtrtId } },
        operator: a.operator,
        insuplcAdmdvs: a.insuplcAdmdvs,
        outputSchema: refund2208Output,
      });
      if (r.kind === 'ok') return { kind: 'ok' as const, msgid: r.msgid };
      if (r.kind === 'business') return { kind: 'business' as const, message: `${r.code} ${r.message}`.trim(), alreadyRefunded: ALREADY_REFUNDED.test(r.message) || r.code === 'P510' };
      return { kind: 'unknown' as const, reason: r.reason };
    },

    /** SE07: refund the cash part (the third-party orderNo from SE03/SE04). */
    async submitSe07(a: { route: Route; ecToken: string; thirdOrderNo: string; operator: Operator }) {
      if (a.route === 'WUQI') return submitWuqiSe07(client, a);
      const r = await routed(a.route, 'SE07', { ecToken: a.ecToken, orderNo: a.thirdOrderNo }, a.operator, z.unknown());
      if (r.kind === 'ok') return { kind: 'ok' as const };
      if (r.kind === 'business') return { kind: 'business' as const, message: `${r.code} ${r.message}`.trim(), alreadyRefunded: ALREADY_REFUNDED.test(r.message) || r.code === 'P510' };
      return { kind: 'unknown' as const, reason: r.reason };
    },

  };
}

export type PlatformActivities = ReturnType<typeof createPlatformActivities>;
