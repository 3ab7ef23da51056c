// The national route's platform calls (V13 over the national platform): SE02 with the 2207 payRequest, SE04,
// SE06, 2208, 2601 and SE07. activities/platform-activities.ts dispatches to them through routes/activities.ts.
import { z } from 'zod';
import type { Config } from '../../common/config';
import type { Logger } from '../../common/logger';
import type { CallOutcome, PlatformClient } from '../../platform/client';
import { payQueryFromSe04, refundResult } from '../../protocol/pay-result';
import { nationalAlreadyRefunded, readQueryRefusal } from '../../protocol/refusals';
import { se04Output, se06Output } from '../../protocol/se-messages';
import { refund2208Output, withExpContent } from '../../protocol/settlement';
import type { Outcome } from '../../activities/contract';
import type { RouteActivities } from '../route-adapter';
import { createReconNationalActivities } from './day-close';

/** ok / business / unknown, with the msgid the call used (contract Outcome). */
export function outcome(o: CallOutcome<unknown>): Outcome {
  if (o.kind === 'ok') return { kind: 'ok', msgid: o.msgid };
  if (o.kind === 'business') return { kind: 'business', msgid: o.msgid, code: o.code, message: o.message };
  return { kind: 'unknown', msgid: o.msgid, reason: o.reason };
}

export function activities(deps: { client: PlatformClient; config: Config; log: Logger }): RouteActivities {
  const { client, config } = deps;
  return {
    async submit(a) {
      const personal = { ...(a.pName ? { pName: a.pName } : {}), ...(a.pIdNo ? { pIdNo: a.pIdNo } : {}) };
      const r = await client.national({
        infno: 'SE02',
        input: { orderNo: a.orderNo, ecToken: a.ecToken, payRequest: { data: withExpContent(a.payRequest, config.EXP_CONTENT_FORMAT) }, ...personal },
        operator: a.operator,
        // the input carries payRequest.data.psn_no: 表3 #4 makes insuplc_admdvs required
        insuplcAdmdvs: a.insuplcAdmdvs,
        outputSchema: z.unknown(),
      });
      return outcome(r);
    },

    /**
     * SE04: a payResponse means paid (V13 SE04 has no payStatus). A refusal is read by the one table
     * (protocol/refusals.ts): processing, notFound (not-found wording without sign-in wording), or `unknown`
     * for anything else — a sign-in refusal still standing after the client's re-sign-in and resend, and a
     * failure text too: V13 defines no failure answer for SE04, so a failure is never concluded from free text.
     */
    async queryPay(a) {
      const r = await client.national({ infno: 'SE04', input: { ecToken: a.ecToken }, operator: a.operator, outputSchema: se04Output });
      if (r.kind === 'unknown') return { kind: 'unknown', reason: r.reason };
      if (r.kind === 'ok') return payQueryFromSe04(r.output);
      const meaning = readQueryRefusal('NATIONAL', r);
      if (meaning === 'processing') return { kind: 'processing' };
      if (meaning === 'notFound') return { kind: 'notFound', message: r.message };
      return { kind: 'unknown', reason: `${r.code} ${r.message}`.trim() };
    },

    async queryRefund(a) {
      const r = await client.national({ infno: 'SE06', input: { ecToken: a.ecToken }, operator: a.operator, outputSchema: se06Output });
      if (r.kind === 'unknown') return { kind: 'unknown', reason: r.reason };
      if (r.kind === 'ok') return { kind: 'result', result: refundResult('poll', r.output) };
      // SE06 has no "processing" refusal: refundStatus 0 is an answer
      if (readQueryRefusal('NATIONAL', r) === 'notFound') return { kind: 'notFound', message: r.message };
      return { kind: 'unknown', reason: `${r.code} ${r.message}`.trim() };
    },

    /** 2208: the insurance part. One HTTP request; the answer (the reversal's setlinfo and setldetail) is returned as `output` for reconciliation. */
    async refundInsurance(a) {
      const r = await client.national({
        infno: '2208',
        input: { data: { psn_no: a.psnNo, setl_id: a.setlId, mdtrt_id: a.mdtrtId } },
        operator: a.operator,
        insuplcAdmdvs: a.insuplcAdmdvs,
        // infcode 0 means the 2208 acted: an output missing a field must not make it "unknown" (that
        // would lead to a needless 2601); it is kept as received and the gap is logged.
        outputSchema: z.union([refund2208Output, z.record(z.unknown())]),
      });
      if (r.kind === 'ok' && !refund2208Output.safeParse(r.output).success) {
        deps.log.warn({ msgid: r.msgid }, '2208 succeeded but its output does not match 表122/123; kept as received');
      }
      if (r.kind === 'ok') return { kind: 'ok', msgid: r.msgid, output: r.output as Record<string, unknown> };
      if (r.kind === 'business')
        return { kind: 'business', msgid: r.msgid, code: r.code, message: r.message, alreadyRefunded: nationalAlreadyRefunded(r.message) };
      return { kind: 'unknown', msgid: r.msgid, reason: r.reason };
    },

    /** 2601 冲正 of a 2208 whose outcome is unknown (Shanghai guide §4.10). Output 无: ok means reversed. */
    async reverseInsuranceRefund(a) {
      const r = await client.national({
        infno: '2601',
        input: { data: { psn_no: a.psnNo, omsgid: a.omsgid, oinfno: a.oinfno } },
        operator: a.operator,
        insuplcAdmdvs: a.insuplcAdmdvs,
        outputSchema: z.unknown(),
      });
      return outcome(r);
    },

    /** SE07 现金改账: the cash part, only as the remedy. */
    async remedy(a) {
      const r = await client.national({
        infno: 'SE07',
        input: { ecToken: a.ecToken, orderNo: a.thirdOrderNo },
        operator: a.operator,
        outputSchema: z.unknown(),
      });
      const o = outcome(r);
      return o.kind === 'business' ? { ...o, alreadyRefunded: nationalAlreadyRefunded(o.message) } : o;
    },
    dayClose: { ...createReconNationalActivities(deps) },
  };
}
