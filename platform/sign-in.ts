import * as os from 'node:os';
import type { Config } from '../common/config';
import type { Logger } from '../common/logger';
import { reportSignInWith } from '../common/metrics';
import type { Operator } from '../protocol/national-header';
import { formatDate } from '../protocol/shanghai-time';
import { SIGN_IN_INVALID } from '../protocol/sign-in';

// 9001 签到 (national §5.8.1.1.2: "签到获取签到流水号后才能继续调用其他交易，将获取到的签到流水号放入
// 本次报文的 sign_no 中"; Shanghai guide §4.1: sign in at every login). One manager per platform client:
// it signs in before the first national call, again when the platform says the sign-in is not valid,
// and again on the first call of each Shanghai day; it signs out (9002) on clean shutdown.

export type SignInState = 'NOT_SIGNED_IN' | 'SIGNED_IN' | 'REFUSED' | 'SIGNED_OUT';

export interface SignInStatus {
  state: SignInState;
  opterNo: string;
  /** Shanghai date of the sign-in (yyyy-MM-dd): a new day signs in again. */
  signedInOn?: string;
  signedInAt?: string;
  /** Why 9001 was refused or failed; the calls go on with sign_no "" meanwhile. */
  lastError?: string;
}

/** The transport the manager signs in through: the platform client's raw national call. */
export type SignInTransport = {
  signIn(a: { opterNo: string; mac: string; ip: string; operator: Operator }): Promise<{ ok: true; signNo: string } | { ok: false; reason: string }>;
  signOut(a: { signNo: string; opterNo: string; operator: Operator }): Promise<{ ok: true } | { ok: false; reason: string }>;
};

export interface SignInIdentity {
  opterNo: string;
  mac: string;
  ip: string;
}

/** opter_no, mac and ip for 9001 (表411, each at most 20 characters): configured, or this host's. */
export function signInIdentity(config: Config): SignInIdentity {
  const nics = Object.values(os.networkInterfaces())
    .flat()
    .filter((n): n is os.NetworkInterfaceInfo => !!n && !n.internal);
  const v4 = nics.find((n) => n.family === 'IPv4');
  const mac = nics.find((n) => n.mac && n.mac !== '00:00:00:00:00:00')?.mac;
  return {
    opterNo: config.SIGN_IN_OPTER_NO ?? `SHYBPAY${config.MSGID_INSTANCE}`,
    mac: (config.SIGN_IN_MAC ?? mac ?? '00:00:00:00:00:00').slice(0, 20),
    ip: (config.SIGN_IN_IP ?? v4?.address ?? '127.0.0.1').slice(0, 20),
  };
}

const managers = new Set<SignInManager>();
/** After a refused 9001, calls go on with sign_no "" and a new 9001 is tried at most this often. */
export const REFUSED_RETRY_MS = 60_000;

export class SignInManager {
  private status: SignInStatus;
  private signNo = '';
  private pending?: Promise<void>;
  private warned = false;
  private lastAttempt = 0;
  readonly operator: Operator;

  constructor(
    private readonly identity: SignInIdentity,
    private readonly transport: SignInTransport,
    private readonly log?: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.status = { state: 'NOT_SIGNED_IN', opterNo: identity.opterNo };
    // 9001 is a system call, not an online payment: the operator is the sign-in operator itself.
    this.operator = { opter: identity.opterNo, opter_name: 'shyb-pay', opter_type: '5' };
    managers.add(this);
  }

  /** The sign_no for the next header: signs in first when needed; "" when the 前置机 refused 9001. */
  async currentSignNo(): Promise<string> {
    const fresh = this.status.state === 'SIGNED_IN' && this.status.signedInOn === formatDate(this.now());
    const refusedRecently = this.status.state === 'REFUSED' && this.now() - this.lastAttempt < REFUSED_RETRY_MS;
    if (!fresh && !refusedRecently) await this.signIn();
    return this.signNo;
  }

  /**
   * The platform said the sign-in is not valid (expired, signed out elsewhere): sign in again. Returns the
   * new sign_no, or undefined when there is none (9001 refused now or within the last minute), so the
   * caller does not resend a call that would be refused the same way.
   */
  async renew(): Promise<string | undefined> {
    if (this.status.state === 'REFUSED' && this.now() - this.lastAttempt < REFUSED_RETRY_MS) return undefined;
    await this.signIn(true);
    return this.status.state === 'SIGNED_IN' ? this.signNo : undefined;
  }

  /** One 9001 at a time; callers that arrive meanwhile share its result. */
  private signIn(force = false): Promise<void> {
    if (this.pending) return this.pending;
    const run = async () => {
      const today = formatDate(this.now());
      if (!force && this.status.state === 'SIGNED_IN' && this.status.signedInOn === today) return;
      this.lastAttempt = this.now();
      const r = await this.transport.signIn({ ...this.identity, operator: this.operator });
      if (r.ok) {
        this.signNo = r.signNo;
        this.status = { state: 'SIGNED_IN', opterNo: this.identity.opterNo, signedInOn: today, signedInAt: new Date(this.now()).toISOString() };
        this.warned = false;
        this.log?.info({ opterNo: this.identity.opterNo }, '9001 signed in');
        return;
      }
      this.signNo = '';
      this.status = { state: 'REFUSED', opterNo: this.identity.opterNo, signedInOn: today, lastError: r.reason };
      // One clear warning, not one per call: the calls go on with sign_no "" (as the V13 SE02 sample sends).
      if (!this.warned)
        this.log?.warn(
          { opterNo: this.identity.opterNo, reason: r.reason },
          '9001 sign-in refused by the 前置机: national calls are sent with sign_no "" until a sign-in succeeds',
        );
      this.warned = true;
    };
    this.pending = run().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /**
   * 9002 on clean shutdown (national §5.8.1.2: the sign_no is invalid afterwards). send false: another
   * client of this process holds the same operator's sign_no and signs it out for both (§5.8.1.2.2 item 3:
   * one 9002 signs the operator out on every terminal; a second one would be refused).
   */
  async signOut(send = true): Promise<void> {
    managers.delete(this);
    if (this.status.state !== 'SIGNED_IN' || !this.signNo) return;
    if (send) {
      const r = await this.transport.signOut({ signNo: this.signNo, opterNo: this.identity.opterNo, operator: this.operator });
      // refused because the sign_no is no longer valid: another terminal's 9002 (e.g. `npm run demo` under the
      // same operator, §5.8.1.2.2 item 3) or the daily expiry already ended it, which is what 9002 asks
      if (!r.ok && SIGN_IN_INVALID.test(r.reason)) this.log?.info({ reason: r.reason }, '9002: the sign-in had already ended at the platform');
      else if (!r.ok) this.log?.warn({ reason: r.reason }, '9002 sign-out failed');
    }
    this.signNo = '';
    this.status = { ...this.status, state: 'SIGNED_OUT' };
  }

  /** Operator and sign_no: clients with the same key share one sign-in at the platform. */
  signInKey(): string | undefined {
    return this.status.state === 'SIGNED_IN' && this.signNo ? `${this.identity.opterNo}\u0000${this.signNo}` : undefined;
  }

  health(): SignInStatus {
    return { ...this.status };
  }
}

/** The sign-in state of every platform client in this process, for /healthz. */
export function signInHealth(): SignInStatus[] {
  return [...managers].map((m) => m.health());
}
// shyb_sign_in_state (common/metrics.ts) reads the same states at each scrape
reportSignInWith(signInHealth);

/**
 * Signs every platform client of this process out (9002): the clean-shutdown hook. One 9002 per operator
 * and sign_no: `npm start` runs the worker's and the API's clients in one process under one operator, and
 * the platform gives them one sign_no, which the first 9002 ends for both.
 */
export async function signOutAll(): Promise<void> {
  const sent = new Set<string>();
  const all = [...managers].map((m) => {
    const key = m.signInKey();
    const send = key === undefined || !sent.has(key);
    if (key !== undefined) sent.add(key);
    return m.signOut(send).catch(() => undefined);
  });
  await Promise.all(all);
}
