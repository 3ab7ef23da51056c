import { randomBytes, randomInt } from 'node:crypto';
import type { Logger } from '../common/logger';
import { decideRoute, type Route } from '../protocol/routing';
import { formatYuan, toFen } from '../protocol/money';
import { compactDate, formatDateTime } from '../protocol/shanghai-time';
import type { Settle2207Data } from '../protocol/settlement';
import { FaultBook } from './faults';
import { javaDoubleText, NationalBook, type CainfoSettings } from '../routes/national/simulator/platform';
import { defaultPersons, type SimPerson, V13_SAMPLE_SETTLED_TOKEN, V13_SAMPLE_THIRD_PARTY_ORDER } from './persons';
import { Pusher, type PushJob } from './pusher';
import { build2207Output, splitBill } from '../routes/national/simulator/calc';
import type { WuqiBill } from '../protocol/wuqi-bills';
import type { CashRefund, SimOrder, SimResult } from './sim-order';
import { settleWuqiOrder, wuqiPushBody } from '../routes/wuqi/simulator/platform';

export type { CashRefund, SimOrder, SimResult } from './sim-order';

export interface SimSettings {
  /** on: production-like pushes; off: the V13 test environment, results only by SE04/SE06. */
  pushMode: 'on' | 'off';
  pushRetryMs: number;
  pushMaxAttempts: number;
  /** Time from SE02 "received" to the settled result. */
  settleDelayMs: number;
  /** Time SE06 answers 0 (退款中) before the final result. */
  refundProcessingMs: number;
  tokenTtlMs: number;
  qrTtlMs: number;
  callbackBaseUrl: string;
  /** 五期 SK01 refuses an expired 令牌 (P300): the spec is silent on refunds (§1.3.7 ties the 5 minutes to settlement), so off by default. */
  sk01RefusesExpiredTokens: boolean;
  /** National §4.4 cainfo: every request's is verified with publicKey; answers are signed with privateKey when given. Unset: off. */
  cainfo?: CainfoSettings;
}

export const DEFAULT_SETTINGS: SimSettings = {
  pushMode: 'on',
  pushRetryMs: 60_000,
  pushMaxAttempts: 1440,
  settleDelayMs: 200,
  refundProcessingMs: 1_000,
  tokenTtlMs: 5 * 60_000,
  qrTtlMs: 60_000,
  callbackBaseUrl: 'http://127.0.0.1:3000/shyb',
  sk01RefusesExpiredTokens: false,
};

interface TokenRecord {
  personId: string;
  expiresAt: number;
  orderNo?: string;
}

/** The simulated platform's books. In memory only: a restart forgets everything. */
export class SimPlatform {
  readonly settings: SimSettings;
  readonly faults = new FaultBook();
  readonly pusher: Pusher;
  /** National-route state: sign-ins, 2208 msgids and 冲正 (routes/national/simulator/platform.ts). */
  readonly national = new NationalBook();
  private persons = new Map<string, SimPerson>();
  private qrcodes = new Map<string, { personId: string; expiresAt: number }>();
  private tokens = new Map<string, TokenRecord>();
  private orders = new Map<string, SimOrder>();
  private timers = new Set<NodeJS.Timeout>();
  private setlSeq = 50000;
  /** setl_ids are unique across simulator restarts (a run-unique prefix), as a real platform's are: the workflow's setl: claim never sees a reused one. */
  private readonly setlPrefix = `${Date.now().toString(36)}${randomInt(0, 36 ** 3)
    .toString(36)
    .padStart(3, '0')}`;

  constructor(
    settings: Partial<SimSettings>,
    log: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.settings = { ...DEFAULT_SETTINGS, ...settings };
    this.pusher = new Pusher(() => this.settings, log);
    this.reset();
  }

  reset(): void {
    this.pusher?.reset();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.persons.clear();
    this.qrcodes.clear();
    this.tokens.clear();
    this.orders.clear();
    this.faults.clear();
    this.national.clear();
    for (const p of defaultPersons()) this.addPerson(p);
    this.preloadSampleSettlement();
  }

  // ---- persons, QR codes and tokens ----

  addPerson(p: SimPerson): SimPerson {
    decideRoute(p.accountattr); // refuses a malformed accountattr
    this.persons.set(p.id, p);
    for (const t of p.staticTokens ?? []) this.tokens.set(t, { personId: p.id, expiresAt: Number.POSITIVE_INFINITY });
    return p;
  }

  listPersons(): SimPerson[] {
    return [...this.persons.values()];
  }

  person(id: string): SimPerson | undefined {
    return this.persons.get(id);
  }

  issueQrCode(personId: string): { ecQrCode: string; expiresAt: number } | undefined {
    if (!this.persons.has(personId)) return undefined;
    const ecQrCode = `SIMQR${randomBytes(16).toString('hex').toUpperCase()}`;
    const expiresAt = this.now() + this.settings.qrTtlMs;
    this.qrcodes.set(ecQrCode, { personId, expiresAt });
    return { ecQrCode, expiresAt };
  }

  /** A decoded token, as SE01 would give (also used by tests that start from an ecToken). */
  issueToken(personId: string): string {
    const token = `310000ect${randomBytes(14).toString('hex')}`;
    this.tokens.set(token, { personId, expiresAt: this.now() + this.settings.tokenTtlMs });
    return token;
  }

  /** The token's person and expiry (SK01 takes a fresh token of the same person). */
  tokenRecord(ecToken: string): { personId: string; expiresAt: number } | undefined {
    return this.tokens.get(ecToken);
  }

  /** Every issued token expires now (the V13 samples' static tokens too): old tokens for SK01 tests. */
  expireTokens(): number {
    const now = this.now();
    let n = 0;
    for (const t of this.tokens.values()) if (t.expiresAt >= now) ((t.expiresAt = now - 1), n++);
    return n;
  }

  clock(): number {
    return this.now();
  }

  personOfToken(ecToken: string): SimPerson | undefined {
    const t = this.tokens.get(ecToken);
    return t ? this.persons.get(t.personId) : undefined;
  }

  se01(ecQrCode: string): SimResult<{ username: string; idno: string; idtype: string; ecToken: string }> {
    const qr = this.qrcodes.get(ecQrCode);
    if (!qr) return { ok: false, message: '电子凭证二维码无效' };
    if (qr.expiresAt < this.now()) return { ok: false, message: '电子凭证二维码已过期，请刷新后重试' };
    this.qrcodes.delete(ecQrCode); // a QR code decodes once
    const p = this.persons.get(qr.personId)!;
    return { ok: true, output: { username: p.name, idno: p.idno, idtype: p.idtype, ecToken: this.issueToken(p.id) } };
  }

  sm01(cardtype: string, carddata: string): SimResult {
    if (cardtype !== '3') return { ok: false, message: '模拟平台仅支持电子凭证(cardtype=3)' };
    const p = this.personOfToken(carddata);
    if (!p) return { ok: false, message: '电子凭证令牌无效' };
    return {
      ok: true,
      output: {
        cardtype: '3',
        cardid: p.psnNo,
        personname: p.name,
        accountattr: p.accountattr,
        curaccountamt: formatYuan(p.accountBalanceFen),
        hisaccountamt: '0.00',
        xb: '1',
      },
    };
  }

  // ---- settlement ----

  /** SE02 on either route. A repeat of the same orderNo is "received" again, never settled twice. */
  se02(args: {
    route: Route;
    orderNo: string;
    ecToken: string;
    msgid: string;
    data?: Settle2207Data;
    medfeeFen?: number;
    wuqiBill?: WuqiBill;
    noPush?: boolean;
  }): SimResult<null> & { order?: SimOrder } {
    const existing = this.orders.get(args.orderNo);
    if (existing) {
      existing.se02Count += 1;
      if (existing.ecToken !== args.ecToken) return { ok: false, message: '订单号已存在且令牌不一致' };
      return { ok: true, output: null, order: existing };
    }
    const token = this.tokens.get(args.ecToken);
    if (!token) return { ok: false, message: '电子凭证令牌无效' };
    if (token.expiresAt < this.now()) return { ok: false, message: '电子凭证令牌已过期，请重新授权' };
    // The platform itself lets one ecToken settle a second orderNo: guarding that is the hospital's job.
    // SE04/SE06 by ecToken then answer for the latest order.
    const person = this.persons.get(token.personId)!;
    // 工伤 is read from the bill (SH02/SI12 persontype 1) or from med_type 994101, as our own routing does.
    const personRoute = decideRoute(person.accountattr, { wuqiBill: args.wuqiBill, medType: args.data?.med_type }).route;
    if (personRoute !== args.route) {
      return { ok: false, message: personRoute === 'WUQI' ? '该人员应在五期系统结算' : '该人员应在国家平台结算' };
    }
    if (args.data && args.data.psn_no !== person.psnNo) return { ok: false, message: '人员编号与电子凭证不一致' };
    const medfeeFen = args.medfeeFen ?? toFen(args.data!.medfee_sumamt);
    if (medfeeFen <= 0) return { ok: false, message: '医疗费总额必须大于0' };
    const now = this.now();
    const order: SimOrder = {
      orderNo: args.orderNo,
      route: args.route,
      ecToken: args.ecToken,
      personId: person.id,
      msgid: args.msgid,
      medfeeFen,
      medType: args.data?.med_type ?? '11',
      mdtrtId: args.data?.mdtrt_id ?? `W${randomInt(1e8)}`,
      useAccount: args.data?.acct_used_flag === '1',
      se02Count: 1,
      acceptedAt: now,
      settleAt: now + this.settings.settleDelayMs,
      status: 'PROCESSING',
      insuranceRefunded: false,
      ...(args.noPush ? { noPush: true } : {}),
      ...(args.wuqiBill ? { wuqi: { bill: args.wuqiBill } } : {}),
    };
    token.orderNo = order.orderNo;
    this.orders.set(order.orderNo, order);
    return { ok: true, output: null, order };
  }

  /** Settles the order now if its time has come; idempotent. */
  materialize(order: SimOrder): SimOrder {
    if (order.status !== 'PROCESSING' || this.now() < order.settleAt) return order;
    const person = this.persons.get(order.personId)!;
    const at = Math.max(order.settleAt, order.acceptedAt);
    const gmt = formatDateTime(at);
    if (person.payFails) {
      order.status = 'FAILED';
      order.result = { payResponse: { error: '第三方支付失败' }, gmt, channel: person.channel, cashFen: 0 };
      return order;
    }
    if (order.wuqi) {
      order.status = 'PAID';
      order.result = settleWuqiOrder(order, person, at);
      return order;
    }
    const split = splitBill(person, order.medfeeFen, order.useAccount);
    const setlId = `${this.setlPrefix}${++this.setlSeq}`;
    const channel = split.cash > 0 ? person.channel : 'ybpay';
    order.status = 'PAID';
    order.result = {
      payResponse: build2207Output({ person, split, setlId, mdtrtId: order.mdtrtId, medType: order.medType, msgid: order.msgid, at }),
      gmt,
      channel,
      cashFen: split.cash,
      setlId,
      ...(channel === 'ybpay'
        ? {}
        : // V13 samples: the national 第三方支付订单号 has the hospital orderNo format (it is the SE02 orderNo)
          {
            thirdOrderNo: order.route === 'NATIONAL' ? order.orderNo : `TP${order.orderNo.slice(-20)}`,
            tradeNo: `${channel.toUpperCase()}${randomBytes(8).toString('hex')}`,
            billTime: compactDate(at),
          }),
    };
    return order;
  }

  orderByToken(ecToken: string): SimOrder | undefined {
    const t = this.tokens.get(ecToken);
    const o = t?.orderNo ? this.orders.get(t.orderNo) : undefined;
    return o ? this.materialize(o) : undefined;
  }

  orderByNo(orderNo: string): SimOrder | undefined {
    const o = this.orders.get(orderNo);
    return o ? this.materialize(o) : undefined;
  }

  /** SE03/SE04 output for an order (undefined fields left out, as the platform does for ybpay). */
  payOutput(order: SimOrder, opts: { wrongAmount?: boolean } = {}): Record<string, unknown> {
    if (order.status === 'PROCESSING' || !order.result) return { ecToken: order.ecToken, payStatus: '0' };
    const r = order.result;
    let payResponse = r.payResponse;
    let amount = r.channel === 'ybpay' ? undefined : formatYuan(r.cashFen);
    if (opts.wrongAmount) {
      if (amount) amount = formatYuan(r.cashFen + 100);
      else if ('setlinfo' in payResponse) {
        payResponse = { ...payResponse, setlinfo: { ...payResponse.setlinfo, medfee_sumamt: formatYuan(order.medfeeFen + 100) } };
      } else if ('wuqi' in payResponse) {
        payResponse = { wuqi: { ...payResponse.wuqi, totalexpense: formatYuan(order.medfeeFen + 100) } };
      }
    }
    const out: Record<string, unknown> = {
      ecToken: order.ecToken,
      payStatus: order.status === 'PAID' ? '1' : '-1',
      payResponse: JSON.stringify('wuqi' in payResponse ? payResponse.wuqi : payResponse),
      gmt: r.gmt,
      channel: r.channel,
    };
    if (r.channel !== 'ybpay') Object.assign(out, { orderNo: r.thirdOrderNo, tradeNo: r.tradeNo, amount, billTime: r.billTime });
    return out;
  }

  /**
   * SE04 on either route (V13 §2.3.3, 五期 §4.8.4.3): the table has no payStatus, so a payResponse is
   * answered only for a settled order; an unfinished or failed payment is a refusal whose text says so.
   */
  se04Answer(order: SimOrder): SimResult {
    if (order.status === 'PROCESSING') return { ok: false, message: '订单支付处理中，请稍后查询' };
    if (order.status === 'FAILED') return { ok: false, message: '支付失败：第三方支付未完成，医保未结算' };
    const { payStatus: _drop, ...out } = this.payOutput(order);
    return { ok: true, output: out };
  }

  /** Schedules the SE03 push for an accepted order (after it settles), honouring faults. */
  scheduleSettlementPush(order: SimOrder, opts: { immediate?: boolean } = {}): Promise<void> {
    const person = this.persons.get(order.personId)!;
    const wait = opts.immediate ? 0 : Math.max(0, order.settleAt - this.now());
    if (opts.immediate) order.settleAt = Math.min(order.settleAt, this.now());
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        // timers may fire a millisecond early against Date.now(): the settlement is due now.
        order.settleAt = Math.min(order.settleAt, this.now());
        this.materialize(order);
        resolve(this.firePush('SE03', order, person));
      }, wait);
      this.timers.add(t);
    });
  }

  private async firePush(kind: 'SE03' | 'SE05', order: SimOrder, person: SimPerson): Promise<void> {
    if (this.settings.pushMode === 'off' || order.noPush) return;
    const where = { infno: kind, personId: person.id };
    const output = kind === 'SE03' ? this.payOutput(order, { wrongAmount: !!this.faults.take('wrongAmountPush', where) }) : this.refundOutput(order);
    // The V13 SE03 sample writes the amount as "5000.0"; SE04 as "5000.00".
    if (kind === 'SE03' && order.route === 'NATIONAL' && typeof output.amount === 'string') output.amount = javaDoubleText(toFen(output.amount));
    const job = this.pushJob(kind, order.route, order.ecToken, output);
    const forged = this.faults.take('forgedPush', where);
    if (forged) {
      const fake = { ...output, ecToken: `310000ectFORGED${randomBytes(8).toString('hex')}` };
      void this.pusher.push({ ...this.pushJob(kind, order.route, fake.ecToken as string, fake), injected: true });
    }
    if (this.faults.take('dropPush', where)) {
      this.pusher.drop(job);
      return;
    }
    const delay = this.faults.take('delayPush', where)?.delayMs ?? 0;
    const dup = this.faults.take('duplicatePush', where);
    const deliveries = [this.pusher.push(job, delay)];
    for (let i = 1; i < (dup?.copies ?? 1); i++) deliveries.push(this.pusher.push(job, delay + 20 * i));
    await deliveries[0];
  }

  private pushJob(kind: 'SE03' | 'SE05', route: Route, ecToken: string, output: Record<string, unknown>): PushJob {
    const base = this.settings.callbackBaseUrl.replace(/\/$/, '');
    const path = kind === 'SE03' ? '/notify' : '/refund';
    if (route === 'NATIONAL') {
      return {
        kind,
        route,
        ecToken,
        url: `${base}${path}/nation`,
        body: nationalPushEnvelope(kind, output, this.now()),
      };
    }
    return {
      kind,
      route,
      ecToken,
      url: `${base}${path}`,
      body: wuqiPushBody(kind, output, this.now()),
    };
  }

  // ---- refunds ----

  /**
   * 2208 (national) / SK01 (五期): the insurance part first. The 2208 output is the reverse settlement (表122):
   * its own setl_id (the original's + "T", as 5203A lists it), setl_time now, medins_setl_id the 2208's msgid.
   */
  refundInsurance(order: SimOrder, msgid?: string): SimResult {
    this.materialize(order);
    if (order.status !== 'PAID' || !order.result || !('setlinfo' in order.result.payResponse))
      return { ok: false, message: '该笔结算不存在或未成功，不能撤销' };
    if (order.insuranceRefunded) return { ok: false, message: '该笔交易已经退款，不能重复退款' };
    order.insuranceRefunded = true;
    const s = order.result.payResponse.setlinfo;
    const refund = { msgid: msgid ?? s.medins_setl_id, at: this.now(), setlId: `${s.setl_id}T` };
    order.insuranceRefund = refund;
    const neg = (v: string) => (v === '0.00' ? v : `-${v}`);
    return {
      ok: true,
      output: {
        setlinfo: {
          ...s,
          medfee_sumamt: neg(s.medfee_sumamt),
          fund_pay_sumamt: neg(s.fund_pay_sumamt),
          acct_pay: neg(s.acct_pay),
          psn_cash_pay: neg(s.psn_cash_pay),
          psn_part_amt: neg(s.psn_part_amt),
          hifp_pay: neg(s.hifp_pay),
          setl_id: refund.setlId,
          medins_setl_id: refund.msgid,
          setl_time: formatDateTime(refund.at),
        },
        setldetail: [],
      },
    };
  }

  /** 五期: the order whose settlement has this 中心流水号 (SK01's translsh). */
  wuqiOrderByLsh(lsh: string): SimOrder | undefined {
    for (const o of this.orders.values()) if (o.wuqi && this.materialize(o).wuqi?.lsh === lsh) return o;
    return undefined;
  }

  findBySetlId(setlId: string): SimOrder | undefined {
    for (const o of this.orders.values()) if (o.result?.setlId === setlId) return this.materialize(o);
    return undefined;
  }

  /**
   * SE07 现金改账 (五期 §4.8.7 "调用前提：医保已退，现金未退"): accepted only when the insurance part is
   * refunded and the cash part is not: no automatic cash refund was made, or it failed (-1).
   */
  se07(ecToken: string, thirdOrderNo: string): SimResult<null> {
    const order = this.orderByToken(ecToken);
    if (order) order.se07Calls = (order.se07Calls ?? 0) + 1;
    if (!order || order.status !== 'PAID' || !order.result) return { ok: false, message: '未找到该令牌的支付订单' };
    if (order.result.channel === 'ybpay' || order.result.cashFen === 0) return { ok: false, message: '该笔订单无现金支付部分' };
    if (order.result.thirdOrderNo !== thirdOrderNo) return { ok: false, message: '第三方支付订单号不一致' };
    if (!order.insuranceRefunded) return { ok: false, message: '医保未退，不能发起现金退款' };
    const c = order.cashRefund;
    if (c && this.now() < c.finishAt) return { ok: false, message: '现金退款处理中，不能重复退款' };
    if (c && c.status === '1') return { ok: false, message: '该笔交易现金已经退款，不能重复退款' };
    const failed = !!this.faults.take('refundFailure', { infno: 'SE07', personId: order.personId });
    this.startCashRefund(order, failed);
    return { ok: true, output: null };
  }

  /**
   * The cash part after a 2208/SK01: the e-voucher centre refunds it by itself (V13 附件一 3, 五期 §2.4)
   * and reports it by SE05 (prod path) or SE06. Faults: cashRefundStuck = no automatic refund at all;
   * refundFailure on infno SE05 = it ends -1.
   */
  autoCashRefund(order: SimOrder): void {
    if (!order.result || order.result.channel === 'ybpay' || order.result.cashFen === 0) return;
    const where = { infno: 'SE05', personId: order.personId };
    if (this.faults.take('cashRefundStuck', where)) return;
    this.startCashRefund(order, !!this.faults.take('refundFailure', where));
  }

  private startCashRefund(order: SimOrder, failed: boolean): void {
    const now = this.now();
    const refund: CashRefund = {
      refundNo: `RF${randomBytes(8).toString('hex')}`,
      amountFen: order.result!.cashFen,
      requestedAt: now,
      finishAt: now + this.settings.refundProcessingMs,
      status: failed ? '-1' : '1',
    };
    order.cashRefund = refund;
    const person = this.persons.get(order.personId)!;
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (order.cashRefund !== refund) return; // reversed (2601) or replaced meanwhile
      refund.finishAt = Math.min(refund.finishAt, this.now());
      void this.firePush('SE05', order, person);
    }, this.settings.refundProcessingMs);
    this.timers.add(t);
  }

  /** 2601 of a 2208: the insurance refund is undone; an unfinished cash refund is cancelled. */
  reverseInsuranceRefund(order: SimOrder): SimResult<null> {
    const c = order.cashRefund;
    if (c && c.status === '1' && this.now() >= c.finishAt) return { ok: false, message: '现金部分已退款，不能冲正' };
    order.insuranceRefunded = false;
    order.insuranceRefund = undefined;
    order.cashRefund = undefined;
    return { ok: true, output: null };
  }

  refundOutput(order: SimOrder): Record<string, unknown> {
    const r = order.cashRefund!;
    if (this.now() < r.finishAt) return { ecToken: order.ecToken, refundStatus: '0' };
    if (r.status === '-1') return { ecToken: order.ecToken, refundStatus: '-1' };
    return {
      ecToken: order.ecToken,
      refundStatus: '1',
      rmt: formatDateTime(r.finishAt),
      orderNo: order.result!.thirdOrderNo,
      refundNo: r.refundNo,
      amount: formatYuan(r.amountFen),
      channel: order.result!.channel,
      billTime: compactDate(r.finishAt),
    };
  }

  // ---- ledger ----

  ledger() {
    const orders = [...this.orders.values()].map((o) => this.materialize(o));
    return {
      se02ByOrderNo: Object.fromEntries(orders.map((o) => [o.orderNo, o.se02Count])),
      settlements: orders.map((o) => ({
        orderNo: o.orderNo,
        route: o.route,
        ecToken: o.ecToken,
        status: o.status,
        medfee: formatYuan(o.medfeeFen),
        cash: o.result ? formatYuan(o.result.cashFen) : null,
        channel: o.result?.channel ?? null,
        setlId: o.result?.setlId ?? null,
        lsh: o.wuqi?.lsh ?? null,
        sk01Count: o.wuqi?.sk01Count ?? 0,
        insuranceRefunded: o.insuranceRefunded,
        se07Calls: o.se07Calls ?? 0,
        cashRefund: o.cashRefund
          ? { status: this.now() < o.cashRefund.finishAt ? '0' : o.cashRefund.status, amount: formatYuan(o.cashRefund.amountFen) }
          : null,
      })),
      pushes: this.pusher.counters,
      /** national transactions received, by infno (2208, 2601, SE07, 9001, ...) */
      nationalCalls: { ...this.national.calls },
    };
  }

  stop(): void {
    this.pusher.stop();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** The V13 samples' SE04/SE06/SE07 requests refer to a settled order for this token. */
  private preloadSampleSettlement(): void {
    const person = this.persons.get('v13-sample')!;
    const at = Date.UTC(2022, 2, 3, 12, 54, 40);
    const split = splitBill(person, 1_000_000, false);
    const order: SimOrder = {
      orderNo: 'H3101100005320220303205350000550346',
      route: 'NATIONAL',
      ecToken: V13_SAMPLE_SETTLED_TOKEN,
      personId: person.id,
      msgid: 'H31011000053202203032053500001',
      medfeeFen: split.medfee,
      medType: '12',
      mdtrtId: '44793',
      useAccount: false,
      se02Count: 1,
      acceptedAt: at,
      settleAt: at,
      status: 'PAID',
      result: {
        payResponse: build2207Output({ person, split, setlId: '44020', mdtrtId: '44793', medType: '12', msgid: 'H31011000053202203032053500001', at }),
        gmt: formatDateTime(at),
        channel: 'alipay',
        thirdOrderNo: V13_SAMPLE_THIRD_PARTY_ORDER,
        tradeNo: '24',
        cashFen: split.cash,
        billTime: compactDate(at),
        setlId: '44020',
      },
      insuranceRefunded: true,
    };
    this.orders.set(order.orderNo, order);
    this.tokens.get(V13_SAMPLE_SETTLED_TOKEN)!.orderNo = order.orderNo;
  }
}

/** The national output-header shape of V13's SE03/SE05 samples. */
function nationalPushEnvelope(kind: 'SE03' | 'SE05', output: Record<string, unknown>, now: number): Record<string, unknown> {
  const stamp = formatDateTime(now).replace(/[- :]/g, '');
  return {
    infno: kind,
    msgid: null,
    infver: null,
    opter: null,
    infcode: 0,
    inf_refmsgid: `310000${stamp}${String(randomInt(1e10)).padStart(10, '0')}`,
    refmsg_time: `${stamp}000`,
    respond_time: `${stamp}000`,
    err_msg: null,
    warn_msg: null,
    signtype: null,
    cainfo: null,
    output,
    mdtrtarea_admvs: null,
    insuplc_admdvs: null,
    recer_sys_code: null,
    dev_no: null,
    dev_safe_info: null,
    opter_type: null,
    opter_name: null,
    inf_time: null,
    fixmedins_code: null,
    fixmedins_name: null,
    sign_no: null,
  };
}
