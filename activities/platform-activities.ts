import { ApplicationFailure } from '@temporalio/activity';
import type { Config } from '../common/config';
import { pollsTotal, se02Latency } from '../common/metrics';
import type { Logger } from '../common/logger';
import type { PlatformClient } from '../platform/client';
import { se01Request, sameText, type Se01Terminal } from '../platform/identity';
import type { Operator } from '../protocol/national-header';
import { insuplcAdmdvsOf, insuplcAdmdvsPlan, personInfoOutput } from '../protocol/person-info';
import { decideRoute, type Route } from '../protocol/routing';
import { se01Output, sm01Output, wuqiOperator } from '../protocol/wuqi';
import { createRouteActivities, onlyRouteWith } from '../routes/activities';
import type { RouteActivities } from '../routes/route-adapter';
import type {
  AccountAnswer,
  IdentityAnswer,
  InsuranceRefund,
  InsuranceRefundInput,
  Outcome,
  PayQueryOutcome,
  PersonInfoAnswer,
  PlatformActivities,
  QrIdentityAnswer,
  QrIdentityInput,
  RefundQueryOutcome,
  ReversalInput,
  Submit,
} from './contract';

export type { PlatformActivities, PayQueryOutcome, RefundQueryOutcome, Submit } from './contract';

/**
 * One activity per platform call. Platform outcomes are returned, not thrown, so the workflow decides.
 * The route-specific calls are the routes' (routes/<route>/activities.ts), dispatched here by the order's
 * route; the activity type names below are recorded in histories and never change.
 */
export function createPlatformActivities(deps: { client: PlatformClient; config: Config; log: Logger; routes?: Record<Route, RouteActivities> }) {
  const { client, config } = deps;
  // the worker passes the routes it also takes the day-close activities from
  const routes = deps.routes ?? createRouteActivities(deps);
  // calls one route has: 2601 reverses an unknown 2208 (national), a fresh e-voucher is checked for SK01 (五期)
  const reverse = onlyRouteWith(routes, 'reverseInsuranceRefund');
  const checkVoucher = onlyRouteWith(routes, 'checkRefundVoucher');

  /** SE01 and the HIS's pName/pIdNo compared with its answer; an unknown SE01 is retried by Temporal. */
  async function decode(a: { ecQrCode: string; ecQrChannel: '1' | '2' | '3'; operator: Operator; pName?: string; pIdNo?: string; terminal?: Se01Terminal }) {
    const r = await client.wuqi({ xxlxm: 'SE01', xxnr: se01Request(config, a), operator: wuqiOperator(a.operator), outputSchema: se01Output });
    if (r.kind === 'unknown') throw ApplicationFailure.retryable(`SE01 outcome unknown: ${r.reason}`, 'PlatformUnknown');
    if (r.kind === 'business') return { kind: 'business' as const, message: `${r.code} ${r.message}`.trim() };
    const nameOk = sameText(a.pName, r.output.username);
    const idOk = sameText(a.pIdNo, r.output.idno);
    const identityMatches = nameOk === false || idOk === false ? false : nameOk || idOk ? true : null;
    return { kind: 'ok' as const, se01: r.output, identityMatches };
  }

  const activities = {
    /** SE01: QR code -> ecToken. Compares the HIS's pName/pIdNo here so the identity never enters workflow state. */
    async decodeQr(a: Parameters<PlatformActivities['decodeQr']>[0]): Promise<IdentityAnswer> {
      const r = await decode(a);
      if (r.kind === 'business') return r;
      return { kind: 'ok', ecToken: r.se01.ecToken, identityMatches: r.identityMatches };
    },

    /**
     * SE01 → SM01 → 1101 (Shanghai guide §4.3.2). 1101 is asked for a national person who is not 异地 and
     * whose insuplcAdmdvs the HIS did not give, with mdtrt_cert_type 01 + the ecToken and SE01's name,
     * certificate type (idtype: 五期 §7.1.3 uses the national 人员证件类型 codes) and number, as §4.3.2 item 2
     * says ("应当根据 SE01 返回参数进行填写"). SE01's answer never leaves this activity. Once SE01 has
     * answered nothing here throws: a retry would decode the QR code a second time.
     */
    async identifyByQr(a: QrIdentityInput): Promise<QrIdentityAnswer> {
      const d = await decode(a);
      if (d.kind === 'business') return d;
      const { se01, identityMatches } = d;
      const base = { kind: 'ok' as const, ecToken: se01.ecToken, identityMatches };
      if (identityMatches === false) return base;
      const account = await activities.queryAccount({ ecToken: se01.ecToken, operator: a.operator, pName: a.pName }).catch(() => undefined);
      if (account?.kind !== 'ok') return { ...base, account };
      let national: boolean;
      try {
        national = decideRoute(account.accountattr, a.routeFacts).route === 'NATIONAL';
      } catch {
        return { ...base, account }; // the workflow reports the malformed accountattr
      }
      if (!national || insuplcAdmdvsPlan(account.accountattr, a.insuplcAdmdvs).kind !== '1101') return { ...base, account };
      const person = await activities
        .queryPersonInfo({ ecToken: se01.ecToken, operator: a.operator, pName: se01.username, pIdNo: se01.idno, psnCertType: se01.idtype })
        .catch((err: Error) => ({ kind: 'business' as const, message: err.message }));
      return { ...base, account, person };
    },

    /** SM01 (cardtype 3 = 电子凭证): the person's accountattr decides the route. */
    async queryAccount(a: Parameters<PlatformActivities['queryAccount']>[0]): Promise<AccountAnswer> {
      const r = await client.wuqi({
        xxlxm: 'SM01',
        xxnr: { cardtype: '3', carddata: a.ecToken },
        operator: wuqiOperator(a.operator),
        outputSchema: sm01Output,
      });
      if (r.kind === 'unknown') throw ApplicationFailure.retryable(`SM01 outcome unknown: ${r.reason}`, 'PlatformUnknown');
      if (r.kind === 'business') return { kind: 'business', message: `${r.code} ${r.message}`.trim() };
      return { kind: 'ok', accountattr: r.output.accountattr, nameMatches: sameText(a.pName, r.output.personname) };
    },

    /**
     * 1101 with mdtrt_cert_type 01 + the ecToken, and the name and ID number (Shanghai guide §4.3.2 / §5.1:
     * "姓名、证件类型、证件号码不能为空"). Only psn_no and insuplc_admdvs leave this activity: the answer's
     * name, ID number and birth date never reach workflow history.
     */
    async queryPersonInfo(a: Parameters<PlatformActivities['queryPersonInfo']>[0]): Promise<PersonInfoAnswer> {
      const certType = a.psnCertType ?? '01';
      if (!a.pName || !a.pIdNo || !certType)
        return {
          kind: 'business',
          message: 'not sent: no name, certificate type and number to give it (Shanghai guide §5.1: 姓名、证件类型、证件号码不能为空)',
        };
      const r = await client.national({
        infno: '1101',
        input: { data: { mdtrt_cert_type: '01', mdtrt_cert_no: a.ecToken, card_sn: '', psn_cert_type: certType, certno: a.pIdNo, psn_name: a.pName } },
        operator: a.operator,
        outputSchema: personInfoOutput,
      });
      if (r.kind === 'unknown') return { kind: 'unknown', reason: r.reason };
      if (r.kind === 'business') return { kind: 'business', message: `${r.code} ${r.message}`.trim() };
      const insuplcAdmdvs = insuplcAdmdvsOf(r.output);
      if (!insuplcAdmdvs) return { kind: 'business', message: '1101 answered no insuinfo.insuplc_admdvs' };
      return { kind: 'ok', psnNo: r.output.baseinfo.psn_no, insuplcAdmdvs };
    },

    /** SE02, exactly one HTTP request per call. Never retried by Temporal: an unknown outcome is the workflow's to resolve. */
    async submitSe02(a: Parameters<PlatformActivities['submitSe02']>[0]): Promise<Submit> {
      const stop = se02Latency.startTimer({ route: a.route });
      const o = await routes[a.route].submit(a);
      stop({ outcome: o.kind });
      return o;
    },

    /** SE04: the settlement by ecToken (national: V13 SE04; 五期: §4.8.4, payResponse read as the bill's output). */
    async queryPayResult(a: Parameters<PlatformActivities['queryPayResult']>[0]): Promise<PayQueryOutcome> {
      const q = await routes[a.route].queryPay(a);
      pollsTotal.inc({ infno: 'SE04', outcome: q.kind });
      return { ...q, at: Date.now() };
    },

    /** SE06: the cash refund's status by ecToken (0 = in progress). */
    async queryRefund(a: Parameters<PlatformActivities['queryRefund']>[0]): Promise<RefundQueryOutcome> {
      const q = await routes[a.route].queryRefund(a);
      pollsTotal.inc({ infno: 'SE06', outcome: q.kind });
      return { ...q, at: Date.now() };
    },

    /**
     * 2208 (national) / SK01 (五期 §4.4.1): the insurance part. One HTTP request; the answer (2208: the
     * reversal's setlinfo and setldetail; SK01: its xxnr without name and card number) is returned as
     * `output` for reconciliation.
     */
    async refundInsurance(a: InsuranceRefundInput): Promise<InsuranceRefund> {
      return routes[a.route].refundInsurance(a);
    },

    /** 2601 冲正 of a 2208 whose outcome is unknown (Shanghai guide §4.10). Output 无: ok means reversed. */
    async reverseInsuranceRefund(a: ReversalInput): Promise<Outcome> {
      return reverse(a);
    },

    /** 五期 refund with a fresh e-voucher: SE01/SM01, the payer's 卡号 compared inside (routes/wuqi/activities.ts). */
    async checkRefundVoucher(a: Parameters<PlatformActivities['checkRefundVoucher']>[0]) {
      return checkVoucher(a);
    },

    /** SE07 现金改账: the cash part, only as the remedy (五期 §4.8.7 "调用前提：医保已退，现金未退"). */
    async submitSe07(a: Parameters<PlatformActivities['submitSe07']>[0]): Promise<Outcome & { alreadyRefunded?: boolean }> {
      return routes[a.route].remedy(a);
    },
  } satisfies Omit<PlatformActivities, 'claim'>;
  return activities;
}
