import { randomBytes } from 'node:crypto';
import Decimal from 'decimal.js';
import type { NationalInputHeader } from '../../../protocol/national-header';
import { personInfoInput } from '../../../protocol/person-info';
import { reversalInput } from '../../../protocol/reversal';
import { formatDateTime } from '../../../protocol/shanghai-time';
import { signInInput, signOutInput } from '../../../protocol/sign-in';
import { describeZodError } from '../../../protocol/zod-helpers';
import type { Config } from '../../../common/config';
import { publicKeyOf, SIGN_TYPE, signCainfo, verifyCainfo, type CainfoEncoding } from '../../../protocol/cainfo';
import type { SimPerson } from '../../../simulator/sim-person';
import type { SimOrder, SimResult } from '../../../simulator/sim-order';

/** National §4.4 cainfo settings: every request's is verified with publicKey; answers are signed with privateKey when given. */
export interface CainfoSettings {
  publicKey: string;
  userId: string;
  encoding: CainfoEncoding;
  privateKey?: string;
}

/** What the national transactions need of the simulated platform (SimPlatform in simulator/platform.ts has it; named here to keep the import one-way). */
export interface NationalHost {
  readonly settings: { cainfo?: CainfoSettings };
  readonly national: NationalBook;
  personOfToken(ecToken: string): SimPerson | undefined;
  orderByToken(ecToken: string): SimOrder | undefined;
  orderByNo(orderNo: string): SimOrder | undefined;
  se04Answer(order: SimOrder): SimResult;
  reverseInsuranceRefund(order: SimOrder): SimResult<null>;
}

// The national-route rules of the simulated platform that our client must meet, to the letter of the
// specs: 9001/9002 签到 (national §5.8.1), sign_no on the prod path, insuplc_admdvs whenever the input
// carries a psn_no (表3 #4), 1101 (§5.1.1.1, Shanghai guide §5.1), 2601 冲正 of a 2208 (§5.2.7.1,
// Shanghai guide §4.10), and SE04 without payStatus (V13 §2.3.3).

export const PROD_PATH = '/gjptqzyy-prod/api/v1/route';
export const TEST_PATH = '/gjptqzyy-test/api/v1/route';

/** The simulator's refusal when the sign-in is missing or no longer valid. */
export const SIGN_IN_REFUSAL = '签到流水号无效或已签退，请先调用【9001】签到';

interface SignIn {
  signNo: string;
  opterNo: string;
  at: number;
}

/**
 * A national message as received, for tests and the control API (GET /__sim/national/messages): the
 * header without its input, whether its cainfo verified (when signing is on), and for SE02 the 2207 data
 * (which carries no name or ID number).
 */
export interface ReceivedNational {
  infno: string;
  msgid: string;
  insuplc_admdvs?: string;
  mdtrtarea_admvs?: string;
  signtype?: string;
  cainfo?: string;
  cainfoVerified?: boolean;
  payRequestData?: Record<string, unknown>;
}

/** How many received messages are kept (the oldest go first). */
const RECEIVED_KEPT = 2_000;

/** What the national route remembers besides orders: sign-ins, 2208 msgids, 冲正, call counts. */
export class NationalBook {
  readonly received: ReceivedNational[] = [];
  /** opter_no -> sign-in: "同一操作员在不同终端登录，返回同一个签到流水号" (§5.8.1.1.2 item 3). */
  private signIns = new Map<string, SignIn>();
  /** 2208 msgid -> the order it refunded, for 2601. */
  readonly refunds = new Map<string, { orderNo: string; psnNo: string }>();
  /** msgids reversed by 2601: the original, if it arrives late, is refused. */
  readonly reversed = new Set<string>();
  readonly calls: Record<string, number> = {};

  clear(): void {
    this.received.length = 0;
    this.signIns.clear();
    this.refunds.clear();
    this.reversed.clear();
    for (const k of Object.keys(this.calls)) delete this.calls[k];
  }

  count(infno: string): void {
    this.calls[infno] = (this.calls[infno] ?? 0) + 1;
  }

  receive(m: ReceivedNational): void {
    this.received.push(m);
    if (this.received.length > RECEIVED_KEPT) this.received.shift();
  }

  signIn(opterNo: string, now: number): SignIn {
    const existing = this.signIns.get(opterNo);
    if (existing) return existing;
    const s = { signNo: randomBytes(12).toString('hex'), opterNo, at: now };
    this.signIns.set(opterNo, s);
    return s;
  }

  /** 9002: "签退时，如果同一个操作员登录多台终端，将同时签退" (§5.8.1.2.2 item 3). */
  signOut(signNo: string, opterNo: string): boolean {
    const s = this.signIns.get(opterNo);
    if (!s || s.signNo !== signNo) return false;
    this.signIns.delete(opterNo);
    return true;
  }

  validSignNo(signNo: string | undefined): boolean {
    if (!signNo) return false;
    for (const s of this.signIns.values()) if (s.signNo === signNo) return true;
    return false;
  }

  /** Every sign-in ends (the control API's stand-in for the platform's daily expiry). */
  expireSignIns(): number {
    const n = this.signIns.size;
    this.signIns.clear();
    return n;
  }
}

/** The psn_no an input carries, wherever the spec puts it (2208/2601 data, SE02 payRequest.data). */
export function psnNoOf(input: Record<string, unknown>): string | undefined {
  const data = (v: unknown) => (v && typeof v === 'object' ? ((v as Record<string, unknown>).data as Record<string, unknown> | undefined) : undefined);
  let payRequest = input.payRequest;
  if (typeof payRequest === 'string') {
    try {
      payRequest = JSON.parse(payRequest);
    } catch {
      payRequest = undefined;
    }
  }
  const psn = data(input)?.psn_no ?? data(payRequest)?.psn_no ?? input.psn_no;
  return typeof psn === 'string' && psn ? psn : undefined;
}

/** National §4.4: with signing on (settings.cainfo), a request whose cainfo does not verify is refused. */
export const CAINFO_REFUSAL = '数字签名信息(cainfo)验证失败';

/** Records a received message; returns the cainfo refusal, if any. `body` is the message as sent (what was signed). */
export function receiveNational(platform: NationalHost, body: Record<string, unknown>, h: NationalInputHeader): string | undefined {
  const c = platform.settings.cainfo;
  const cainfoVerified = c ? verifyCainfo(body, 'input', c.publicKey, c) : undefined;
  const payRequest = h.infno === 'SE02' ? (h.input.payRequest as { data?: Record<string, unknown> } | undefined) : undefined;
  platform.national.receive({
    infno: h.infno,
    msgid: h.msgid,
    insuplc_admdvs: h.insuplc_admdvs,
    mdtrtarea_admvs: h.mdtrtarea_admvs,
    signtype: h.signtype,
    cainfo: h.cainfo,
    ...(cainfoVerified !== undefined ? { cainfoVerified } : {}),
    ...(payRequest && typeof payRequest === 'object' && payRequest.data ? { payRequestData: payRequest.data } : {}),
  });
  return cainfoVerified === false ? CAINFO_REFUSAL : undefined;
}

/** The simulator stands in for a platform that holds our public key: with CAINFO_SIGNING=on it verifies every request. */
export function cainfoSettingsFrom(c: Config): CainfoSettings | undefined {
  if (c.CAINFO_SIGNING !== 'on' || !c.CAINFO_PRIVATE_KEY) return undefined;
  return { publicKey: publicKeyOf(c.CAINFO_PRIVATE_KEY), userId: c.CAINFO_USER_ID, encoding: c.CAINFO_ENCODING };
}

/** With settings.cainfo.privateKey, the platform signs its answers (without cainfo and output). */
export function signNationalReply(platform: NationalHost, reply: Record<string, unknown>): Record<string, unknown> {
  const c = platform.settings.cainfo;
  if (!c?.privateKey) return reply;
  const typed = { ...reply, signtype: SIGN_TYPE };
  return { ...typed, cainfo: signCainfo(typed, 'output', c.privateKey, c) };
}

/** Header rules beyond the schema. Returns the refusal text, or undefined when the header is fine. */
export function headerRefusal(book: NationalBook, h: NationalInputHeader, prod: boolean): string | undefined {
  if (prod && h.infno !== '9001' && !book.validSignNo(h.sign_no)) return SIGN_IN_REFUSAL;
  if (psnNoOf(h.input) && !/^\d{6}$/.test(h.insuplc_admdvs ?? '')) {
    return '交易输入中含有人员编号时，参保地医保区划(insuplc_admdvs)必填(国家接口表3)';
  }
  return undefined;
}

/** 9001 / 9002 / 1101 / 2601: the national transactions the SE flow does not cover. */
export function handleNationalExtra(platform: NationalHost, infno: string, input: Record<string, unknown>, now: number): SimResult | undefined {
  const book = platform.national;
  switch (infno) {
    case '9001': {
      const p = signInInput.safeParse(input);
      if (!p.success) return { ok: false, message: `入参校验失败: ${describeZodError(p.error)}` };
      const s = book.signIn(p.data.signIn.opter_no, now);
      return { ok: true, output: { signinoutb: { sign_time: formatDateTime(s.at), sign_no: s.signNo } } };
    }
    case '9002': {
      const p = signOutInput.safeParse(input);
      if (!p.success) return { ok: false, message: `入参校验失败: ${describeZodError(p.error)}` };
      if (!book.signOut(p.data.signOut.sign_no, p.data.signOut.opter_no)) return { ok: false, message: '签到编号与操作员不匹配或已签退' };
      return { ok: true, output: { signoutoutb: { sign_time: formatDateTime(now) } } };
    }
    case '1101':
      return personInfo(platform, input);
    case '2601':
      return reverse(platform, input);
    default:
      return undefined;
  }
}

function personInfo(platform: NationalHost, input: Record<string, unknown>): SimResult {
  const p = personInfoInput.safeParse(input);
  // Shanghai guide §5.1: "【1101】账户查询传电子凭证时，证件类型、证件号码、姓名不能为空"
  if (!p.success) return { ok: false, message: `入参校验失败: ${describeZodError(p.error)}` };
  const d = p.data.data;
  const person = platform.personOfToken(d.mdtrt_cert_no);
  if (!person) return { ok: false, message: '电子凭证令牌无效' };
  // Shanghai guide §4.3.2 item 2: name, certificate type and number as SE01 answered them
  if (person.name !== d.psn_name.trim() || person.idno !== d.certno.trim().toUpperCase() || person.idtype !== d.psn_cert_type) {
    return { ok: false, message: '姓名、证件类型或证件号码与电子凭证不一致' };
  }
  const brdy = `${person.idno.slice(6, 10)}-${person.idno.slice(10, 12)}-${person.idno.slice(12, 14)}`;
  return {
    ok: true,
    output: {
      baseinfo: {
        psn_no: person.psnNo,
        psn_cert_type: d.psn_cert_type,
        certno: person.idno,
        psn_name: person.name,
        gend: '1',
        naty: '01',
        brdy,
        age: 30.0,
        psn_mgtcode: '',
      },
      insuinfo: [
        {
          balc: Number(new Decimal(person.accountBalanceFen).div(100)),
          insutype: person.insutype,
          psn_type: person.psnType,
          psn_insu_stas: '1',
          psn_insu_date: '2010-01-01',
          paus_insu_date: null,
          cvlserv_flag: '0',
          insuplc_admdvs: person.insuplcAdmdvs ?? '310000',
          emp_name: '模拟参保单位',
        },
      ],
      idetinfo: [],
    },
  };
}

/**
 * 2601 of a 2208: the insurance refund is undone and the automatic cash refund, if not finished, is
 * cancelled. A reversal of a msgid that never acted succeeds too (nothing to undo) and bars that msgid,
 * so a late original cannot act afterwards. Only 2208 is reversible here: our flow sends no 2207 itself.
 */
function reverse(platform: NationalHost, input: Record<string, unknown>): SimResult {
  const p = reversalInput.safeParse(input);
  if (!p.success) return { ok: false, message: `入参校验失败: ${describeZodError(p.error)}` };
  const d = p.data.data;
  if (d.oinfno !== '2208') return { ok: false, message: `模拟平台仅支持冲正2208，不支持${d.oinfno}` };
  const book = platform.national;
  const acted = book.refunds.get(d.omsgid);
  if (acted) {
    if (acted.psnNo !== d.psn_no) return { ok: false, message: '人员编号与原交易不一致' };
    const order = platform.orderByNo(acted.orderNo);
    const r = order ? platform.reverseInsuranceRefund(order) : { ok: true as const, output: null };
    if (!r.ok) return r;
    book.refunds.delete(d.omsgid);
  }
  book.reversed.add(d.omsgid);
  return { ok: true, output: null };
}

/**
 * The third-party amount as the V13 samples write it: SE03 "5000.0" (a Java double's text), SE04/SE05
 * "5000.00", and SE06 a JSON number, so our parsing meets every form.
 */
export function javaDoubleText(fen: number): string {
  const t = new Decimal(fen).div(100).toString();
  return t.includes('.') ? t : `${t}.0`;
}

/** SE04 (V13 §2.3.3): no payStatus; a payResponse only for a settled order; otherwise a refusal. */
export function se04Answer(platform: NationalHost, ecToken: string): SimResult {
  const order = platform.orderByToken(ecToken);
  if (!order || order.route !== 'NATIONAL') return { ok: false, message: '未找到该电子凭证令牌的支付订单' };
  return platform.se04Answer(order);
}
