import { asyncLocalStorage as activityContext } from '@temporalio/activity';
import got, { RequestError } from 'got';
import { z } from 'zod';
import type { Config } from '../common/config';
import type { Logger } from '../common/logger';
import { buildNationalEnvelope, nationalOutputHeader, type NationalInputHeader, type Operator } from '../protocol/national-header';
import { SIGN_TYPE, signCainfo, verifyCainfo } from '../protocol/cainfo';
import { nationalInputs } from '../protocol/se-messages';
import { SIGN_IN_INVALID, signInOutput } from '../protocol/sign-in';
import { buildWuqiEnvelope, wuqiResponseEnvelope } from '../protocol/wuqi';
import { wuqiCode } from '../protocol/wuqi-codes';
import type { MsgidGenerator } from '../protocol/msgid';
import { describeZodError } from '../protocol/zod-helpers';
import { scrub } from '../protocol/failure-text';
import { looksLikeZip } from '../protocol/recon-files';
import { SignInManager, signInIdentity, type SignInTransport } from './sign-in';

/**
 * Every platform call ends in exactly one of three outcomes:
 *  - ok: the platform accepted it (infcode 0 / xxfhm P001);
 *  - business: the platform answered and said no (infcode ≠ 0 / xxfhm ≠ P001) — final;
 *  - unknown: we cannot tell whether it acted (timeout, reset, 5xx, malformed reply).
 */
export type CallOutcome<T> =
  | { kind: 'ok'; msgid: string; output: T }
  | { kind: 'business'; msgid: string; code: string; message: string }
  | { kind: 'unknown'; msgid: string; reason: string };

/** Our own request broke the schema: nothing was sent. The name is the Temporal failure type. */
export class InvalidRequestError extends Error {
  override name = 'InvalidRequestError';
}

/** Calls that carry no sign_no of their own: the sign-in itself and the sign-out. */
const SIGN_IN_CALLS = new Set(['9001', '9002']);

export interface NationalCall<S extends z.ZodTypeAny> {
  infno: string;
  input: Record<string, unknown>;
  operator: Operator;
  outputSchema: S;
  /** 参保地区划 for a header whose input carries a psn_no (national 表3 #4); MDTRTAREA_ADMVS otherwise. */
  insuplcAdmdvs?: string;
}

export class PlatformClient {
  /** 9001/9002 for this client: sign_no for every national header. */
  readonly signIn: SignInManager;

  constructor(
    private readonly config: Config,
    private readonly msgids: MsgidGenerator,
    private readonly log?: Logger,
    signIn?: SignInManager,
  ) {
    this.signIn = signIn ?? new SignInManager(signInIdentity(config), this.signInTransport(), log);
  }

  /** The same msgids and 9001 sign-in, logging to another logger (a worker and the API in one process). */
  withLogger(log: Logger): PlatformClient {
    return log === this.log ? this : new PlatformClient(this.config, this.msgids, log, this.signIn);
  }

  /**
   * Posts a national envelope to the route URL; infno travels in the header, sign_no from 9001.
   * When the platform refuses because the sign-in is not valid (expired, or 9002 from another terminal of
   * the same operator, §5.8.1.2.2), it did not process the call: the client signs in again and sends the
   * call once more with a new msgid (Shanghai guide §4.10: every send has its own msgid). That is the only
   * case where one call sends two requests, and the outcome carries the msgid of the one that counted.
   */
  async national<S extends z.ZodTypeAny>(args: NationalCall<S>): Promise<CallOutcome<z.output<S>>> {
    const inputSchema = (nationalInputs as Record<string, z.ZodTypeAny>)[args.infno];
    if (inputSchema) {
      const check = inputSchema.safeParse(args.input);
      // Our own bug, not the platform's answer: refuse before anything is sent.
      if (!check.success) throw new InvalidRequestError(`refusing to send invalid ${args.infno} input: ${describeZodError(check.error)}`);
    }
    if (SIGN_IN_CALLS.has(args.infno)) return this.sendNational(args, '');
    return this.signedIn(args.infno, (signNo) => this.sendNational(args, signNo));
  }

  /** Sends with the current sign_no; after a sign-in refusal (nothing was processed), signs in again and resends once. */
  private async signedIn<T>(infno: string, send: (signNo: string) => Promise<CallOutcome<T>>): Promise<CallOutcome<T>> {
    const first = await send(await this.signIn.currentSignNo());
    if (first.kind !== 'business' || !SIGN_IN_INVALID.test(first.message)) return first;
    const signNo = await this.signIn.renew();
    if (signNo === undefined) return first; // no sign-in to be had: the refusal stands
    this.log?.warn({ infno, msgid: first.msgid, detail: first.message }, 'sign-in refused by the platform: signed in again, resending once');
    return send(signNo);
  }

  /** The national envelope of one send (header defaults from the config). */
  private envelope(args: Omit<NationalCall<z.ZodTypeAny>, 'outputSchema'>, msgid: string, signNo: string): NationalInputHeader {
    return buildNationalEnvelope({
      infno: args.infno,
      msgid,
      input: args.input,
      operator: args.operator,
      insuplcAdmdvs: args.insuplcAdmdvs,
      signNo,
      defaults: {
        fixmedinsCode: this.config.FIXMEDINS_CODE,
        fixmedinsName: this.config.FIXMEDINS_NAME,
        mdtrtareaAdmvs: this.config.MDTRTAREA_ADMVS,
        recerSysCode: this.config.RECER_SYS_CODE,
        infver: this.config.INFVER,
      },
    });
  }

  private async sendNational<S extends z.ZodTypeAny>(args: NationalCall<S>, signNo: string): Promise<CallOutcome<z.output<S>>> {
    const msgid = this.msgids.national();
    const envelope = this.envelope(args, msgid, signNo);
    const reply = await this.post(this.config.platformUrl, this.signed(envelope), this.timeout(args.infno));
    if (reply.kind === 'unknown') return this.done(args.infno, { kind: 'unknown', msgid, reason: reply.reason });
    // an answer whose signature does not verify may not be the platform's: we cannot tell what happened
    if (!this.outputVerifies(reply.body))
      return this.done(args.infno, { kind: 'unknown', msgid, reason: "the answer's cainfo does not verify with CAINFO_PLATFORM_PUBLIC_KEY (national §4.4)" });
    const header = nationalOutputHeader.safeParse(reply.body);
    if (!header.success) {
      return this.done(args.infno, { kind: 'unknown', msgid, reason: `malformed reply: ${describeZodError(header.error)}` });
    }
    if (header.data.infcode !== 0) {
      return this.done(args.infno, { kind: 'business', msgid, code: String(header.data.infcode), message: scrub(header.data.err_msg ?? '', []) });
    }
    const output = args.outputSchema.safeParse(header.data.output);
    if (!output.success) {
      return this.done(args.infno, { kind: 'unknown', msgid, reason: `malformed output: ${describeZodError(output.error)}` });
    }
    return this.done(args.infno, { kind: 'ok', msgid, output: output.data });
  }

  /**
   * A national call whose answer is a file, not an output header: 9102 文件下载 (§5.8.2.2.5 "输出：无", the
   * file is streamed). The request is the usual envelope (sign_no from 9001, one resend after a sign-in
   * refusal as in national()); a reply that is a zip (PK signature) is the file; a JSON reply is read as an
   * output header (infcode -1: a refusal; infcode 0 without a file: unknown); anything else is unknown.
   */
  async nationalFile(args: Omit<NationalCall<z.ZodTypeAny>, 'outputSchema'>): Promise<CallOutcome<Uint8Array>> {
    if (SIGN_IN_CALLS.has(args.infno)) throw new InvalidRequestError(`${args.infno} does not answer a file`);
    return this.signedIn(args.infno, (signNo) => this.sendNationalFile(args, signNo));
  }

  private async sendNationalFile(args: Omit<NationalCall<z.ZodTypeAny>, 'outputSchema'>, signNo: string): Promise<CallOutcome<Uint8Array>> {
    const msgid = this.msgids.national();
    const envelope = this.envelope(args, msgid, signNo);
    let bytes: Buffer;
    try {
      const res = await got.post(this.config.platformUrl, {
        json: this.signed(envelope) as unknown as Record<string, unknown>,
        timeout: { request: this.timeout(args.infno) },
        retry: { limit: 0 },
        throwHttpErrors: false,
        responseType: 'buffer',
      });
      if (res.statusCode < 200 || res.statusCode >= 300) return this.done(args.infno, { kind: 'unknown', msgid, reason: `HTTP ${res.statusCode}` });
      bytes = res.body;
    } catch (err) {
      const code = err instanceof RequestError ? err.code : undefined;
      return this.done(args.infno, { kind: 'unknown', msgid, reason: `${code ?? 'ERROR'}: ${(err as Error).message}` });
    }
    if (looksLikeZip(bytes)) return this.done(args.infno, { kind: 'ok', msgid, output: new Uint8Array(bytes) });
    let body: unknown;
    try {
      body = JSON.parse(bytes.toString('utf8'));
    } catch {
      return this.done(args.infno, { kind: 'unknown', msgid, reason: 'the reply is neither a zip file nor JSON' });
    }
    const header = nationalOutputHeader.safeParse(body);
    if (!header.success) return this.done(args.infno, { kind: 'unknown', msgid, reason: `malformed reply: ${describeZodError(header.error)}` });
    if (header.data.infcode !== 0)
      return this.done(args.infno, { kind: 'business', msgid, code: String(header.data.infcode), message: scrub(header.data.err_msg ?? '', []) });
    return this.done(args.infno, { kind: 'unknown', msgid, reason: 'infcode 0 but no file in the reply' });
  }

  /** National §4.4 cainfo (CAINFO_SIGNING=on): signtype SM2 and the SM2 signature of the header without cainfo and input. */
  private signed(envelope: NationalInputHeader): NationalInputHeader {
    const c = this.config;
    if (c.CAINFO_SIGNING !== 'on') return envelope;
    const withType = { ...envelope, signtype: SIGN_TYPE };
    return { ...withType, cainfo: signCainfo(withType, 'input', c.CAINFO_PRIVATE_KEY!, { userId: c.CAINFO_USER_ID, encoding: c.CAINFO_ENCODING }) };
  }

  /** CAINFO_CHECK_OUTPUT=on: the answer's cainfo verifies with the platform's public key. */
  private outputVerifies(body: unknown): boolean {
    const c = this.config;
    if (c.CAINFO_CHECK_OUTPUT !== 'on') return true;
    if (!body || typeof body !== 'object') return false;
    return verifyCainfo(body as Record<string, unknown>, 'output', c.CAINFO_PLATFORM_PUBLIC_KEY!, { userId: c.CAINFO_USER_ID, encoding: c.CAINFO_ENCODING });
  }

  private signInTransport(): SignInTransport {
    const reason = (o: CallOutcome<unknown>) => (o.kind === 'business' ? `${o.code} ${o.message}`.trim() : o.kind === 'unknown' ? o.reason : '');
    return {
      signIn: async (a) => {
        const r = await this.national({
          infno: '9001',
          input: { signIn: { opter_no: a.opterNo, mac: a.mac, ip: a.ip } },
          operator: a.operator,
          outputSchema: signInOutput,
        });
        return r.kind === 'ok' ? { ok: true, signNo: r.output.signinoutb.sign_no } : { ok: false, reason: reason(r) };
      },
      signOut: async (a) => {
        const r = await this.national({
          infno: '9002',
          input: { signOut: { sign_no: a.signNo, opter_no: a.opterNo } },
          operator: a.operator,
          outputSchema: z.unknown(),
        });
        return r.kind === 'ok' ? { ok: true } : { ok: false, reason: reason(r) };
      },
    };
  }

  /**
   * Posts a 五期 envelope to WUQI_URL: an HTTP bridge to SendRcv4.dll on the 前置机 (docs/architecture.md, "五期 route" →
   * transport). Its input schema is checked by the caller (routes/wuqi/activities.ts, routes/wuqi/day-close.ts).
   */
  async wuqi<S extends z.ZodTypeAny>(args: {
    xxlxm: string;
    xxnr: Record<string, unknown>;
    operator: { id: string; name: string };
    outputSchema: S;
  }): Promise<CallOutcome<z.output<S>>> {
    const msgid = this.msgids.wuqi(this.config.wuqiOrgCode);
    const envelope = buildWuqiEnvelope({
      xxlxm: args.xxlxm,
      msgid,
      xxnr: args.xxnr,
      operator: args.operator,
      defaults: { orgCode: this.config.wuqiOrgCode, xzqhdm: this.config.MDTRTAREA_ADMVS, bbh: 'V1.0' },
    });
    const reply = await this.post(this.config.wuqiUrl, envelope, this.timeout(args.xxlxm));
    if (reply.kind === 'unknown') return this.done(args.xxlxm, { kind: 'unknown', msgid, reason: reply.reason });
    const env = wuqiResponseEnvelope.safeParse(reply.body);
    if (!env.success) return this.done(args.xxlxm, { kind: 'unknown', msgid, reason: `malformed reply: ${describeZodError(env.error)}` });
    // One table (protocol/wuqi-codes.ts, §3.4) says what each 交易返回码 means for us.
    const code = wuqiCode(env.data.xxfhm);
    if (code.outcome === 'unknown')
      return this.done(args.xxlxm, { kind: 'unknown', msgid, reason: `${env.data.xxfhm} ${scrub(env.data.fhxx ?? code.meaning, [])}`.trim() });
    if (code.outcome === 'business') return this.done(args.xxlxm, { kind: 'business', msgid, code: env.data.xxfhm, message: scrub(env.data.fhxx ?? '', []) });
    const output = args.outputSchema.safeParse(env.data.xxnr ?? {});
    if (!output.success) return this.done(args.xxlxm, { kind: 'unknown', msgid, reason: `malformed xxnr: ${describeZodError(output.error)}` });
    return this.done(args.xxlxm, { kind: 'ok', msgid, output: output.data });
  }

  private timeout(code: string): number {
    return this.config.timeoutsMs[code] ?? this.config.timeoutsMs.default ?? 30_000;
  }

  private async post(url: string, body: object, timeoutMs: number): Promise<{ kind: 'body'; body: unknown } | { kind: 'unknown'; reason: string }> {
    try {
      const res = await got.post(url, {
        json: body as Record<string, unknown>,
        timeout: { request: timeoutMs },
        retry: { limit: 0 },
        throwHttpErrors: false,
        responseType: 'text',
      });
      if (res.statusCode < 200 || res.statusCode >= 300) return { kind: 'unknown', reason: `HTTP ${res.statusCode}` };
      try {
        return { kind: 'body', body: JSON.parse(res.body) };
      } catch {
        return { kind: 'unknown', reason: 'malformed reply: not JSON' };
      }
    } catch (err) {
      const code = err instanceof RequestError ? err.code : undefined;
      return { kind: 'unknown', reason: `${code ?? 'ERROR'}: ${(err as Error).message}` };
    }
  }

  private done<T>(code: string, outcome: CallOutcome<T>): CallOutcome<T> {
    const detail = outcome.kind === 'ok' ? '' : outcome.kind === 'business' ? `${outcome.code} ${outcome.message}` : outcome.reason;
    this.log?.info({ infno: code, msgid: outcome.msgid, outcome: outcome.kind, detail, ...callContext() }, 'platform call');
    return outcome;
  }
}

/** The order a platform call belongs to (the activity's workflow; a refund's is refund-<orderNo>). The X-Request-Id comes with the log context. */
function callContext(): { orderNo?: string } {
  const workflowId = activityContext.getStore()?.info.workflowExecution?.workflowId;
  return workflowId ? { orderNo: workflowId.replace(/^refund-/, '') } : {};
}
