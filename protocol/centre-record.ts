import { toFen } from './money';
import { build5203AInput, build5203Input, buildSi91Input, type Setlinfo5203, type Setlinfo5203A, type Si91Output } from './centre-query';

// The centre's record of one settlement, route-neutral and in integer fen, and its comparison with ours.
// Pure: the API and (later) workflows may use it. The readings are documented in docs/spec-readings
// ("The centre's record"): refunded from refd_setl_flag (national dictionary), nothing from SI91.

/** One settlement as a book holds it. null: this book does not say. */
export interface CentreRecord {
  /** national setl_id; 五期 中心流水号 lsh */
  setlId: string;
  /** national mdtrt_id; 五期 就诊单元号 jzdyh */
  mdtrtId: string | null;
  /** national setl_time (yyyy-MM-dd HH:mm:ss); SI91 has no time */
  setlTime: string | null;
  medfee: number;
  fund: number;
  account: number;
  /** the patient's cash; 五期 centre: the most its figures allow (see cashMin) */
  cash: number;
  /** 五期 centre only: the least cash its figures allow (in-scope cash); ours agrees within [cashMin, cash] */
  cashMin?: number;
  refunded: boolean | null;
  /** the settlement stands as paid: 5203 a record; 5203A vali_flag ≠ 0; SI91 paystatus 1; ours PAID or later */
  paid: boolean | null;
}

export type CentreField = Exclude<keyof CentreRecord, 'cashMin'> | 'found';
export interface Difference {
  field: CentreField;
  ours: string | number | boolean | null;
  centre: string | number | boolean | null;
}

const fen = (v: string | number | null | undefined) => (v === null || v === undefined || v === '' ? 0 : toFen(v));

/** refd_setl_flag (字典 refd_setl_flag: 0 否, 1 是); any other value is not read. */
export function readRefdSetlFlag(flag: string | null | undefined): boolean | null {
  if (flag === '1') return true;
  if (flag === '0') return false;
  return null;
}

/** 5203 表381: the settlement asked for by its setl_id. refunded = its refd_setl_flag. */
export function recordFrom5203(s: Setlinfo5203): CentreRecord {
  return {
    setlId: s.setl_id,
    mdtrtId: s.mdtrt_id,
    setlTime: s.setl_time,
    medfee: fen(s.medfee_sumamt),
    fund: fen(s.fund_pay_sumamt),
    account: fen(s.acct_pay),
    cash: fen(s.cash_payamt),
    refunded: readRefdSetlFlag(s.refd_setl_flag),
    paid: true,
  };
}

/**
 * 5203A 表384: every record the centre holds under the medins_setl_id. The settlement is the row with our
 * setl_id when we know it, else the first row that is not a 退费 record (refd_setl_flag 0), else the first.
 * refunded: some row is a 退费 record (refd_setl_flag 1). paid: that row's vali_flag is not 0.
 */
export function recordFrom5203A(rows: Setlinfo5203A[], setlId?: string): CentreRecord | undefined {
  const row = rows.find((r) => setlId && r.setl_id === setlId) ?? rows.find((r) => r.refd_setl_flag === '0') ?? rows[0];
  if (!row) return undefined;
  const flags = rows.map((r) => readRefdSetlFlag(r.refd_setl_flag));
  return {
    setlId: row.setl_id,
    mdtrtId: row.mdtrt_id,
    setlTime: row.setl_time,
    medfee: fen(row.medfee_sumamt),
    fund: fen(row.fund_pay_sumamt),
    account: fen(row.acct_pay),
    cash: fen(row.cash_payamt),
    refunded: flags.includes(true) ? true : flags.every((f) => f === false) ? false : null,
    paid: row.vali_flag !== '0',
  };
}

/** SI91 in-scope cash: 自负段, 起付段, 统筹段 and 附加段 现金支付数. */
const SI91_CASH = ['zfdxjzfs', 'qfdxjzfs', 'tcdxjzfs', 'fjdxjzfs'] as const;
/** A.5: what the 自费 accounts paid of the 非医保结算范围 part (named 退回数 there, as printed). */
const SI91_SELF_PAY_ACCOUNTS = ['zflnzhzfs', 'zfgjzhzfs'] as const;

/**
 * SI91 §4.6.3.3: medfee = totalexpense (医保结算范围) + fybjsfwfyze; fund = tczfs + fjzfs; account = the rest of
 * totalexpense after fund and in-scope cash, plus the 自费 accounts; cash between the in-scope cash and that plus
 * the self-pay part not paid by the 自费 accounts (the table cannot say how a 减免 split it). refunded: null,
 * SI91 has paystatus (1 成功 / 0 失败) only.
 */
export function recordFromSi91(x: Si91Output): CentreRecord {
  const total = fen(x.totalexpense);
  const fund = fen(x.tczfs) + fen(x.fjzfs);
  const inScopeCash = SI91_CASH.reduce((s, k) => s + fen(x[k]), 0);
  const selfPay = fen(x.fybjsfwfyze);
  const selfPayAccount = SI91_SELF_PAY_ACCOUNTS.reduce((s, k) => s + fen(x[k]), 0);
  return {
    setlId: x.lsh,
    mdtrtId: x.jzdyh,
    setlTime: null,
    medfee: total + selfPay,
    fund,
    account: total - fund - inScopeCash + selfPayAccount,
    cash: inScopeCash + Math.max(0, selfPay - selfPayAccount),
    cashMin: inScopeCash,
    refunded: null,
    paid: x.paystatus === '1',
  };
}

// ---- ours ----

/** What of an order's status view the comparison reads (workflows/messages.ts SettlementView). */
export interface OrderFacts {
  status: string;
  route?: 'NATIONAL' | 'WUQI';
  ecToken?: string;
  psnNo?: string;
  insuplcAdmdvs?: string;
  setlinfo?: {
    setl_id?: string;
    mdtrt_id?: string;
    psn_no?: string;
    med_type?: string;
    setl_time?: string;
    medins_setl_id?: string | null;
    medfee_sumamt: string | number;
    fund_pay_sumamt: string | number;
    acct_pay: string | number;
    psn_cash_pay: string | number;
  };
  wuqi?: { lsh: string; jssqxh: string; totalexpense: string; cash: string; fund: string; account: string; selfPay?: string; selfPayAccount?: string };
  refund?: { status: string; insuranceRefundedAt?: string };
}

const MONEY_MOVED = ['PAID', 'REFUNDING', 'REFUNDED', 'REFUND_FAILED'];

/** Our insurance part is refunded once 2208/SK01 succeeded (insuranceRefundedAt) or the refund ended REFUNDED. */
const oursRefunded = (v: OrderFacts) => !!(v.refund && (v.refund.insuranceRefundedAt || v.refund.status === 'REFUNDED'));
/** PAID or later: true; FAILED: false; PROCESSING / NEEDS_REVIEW: not decided (null). */
const oursPaid = (v: OrderFacts) => (MONEY_MOVED.includes(v.status) ? true : v.status === 'FAILED' ? false : null);

/** Our verified result as a record; undefined when we hold none (no setlinfo / 五期 settlement). */
export function ourRecord(v: OrderFacts): CentreRecord | undefined {
  if (v.route === 'WUQI') {
    const w = v.wuqi;
    if (!w) return undefined;
    return {
      setlId: w.lsh,
      mdtrtId: null, // the view keeps no 就诊单元号
      setlTime: null,
      medfee: fen(w.totalexpense) + fen(w.selfPay),
      fund: fen(w.fund),
      account: fen(w.account) + fen(w.selfPayAccount),
      cash: fen(w.cash),
      refunded: oursRefunded(v),
      paid: oursPaid(v),
    };
  }
  const s = v.setlinfo;
  if (!s?.setl_id) return undefined;
  return {
    setlId: s.setl_id,
    mdtrtId: s.mdtrt_id ?? null,
    setlTime: s.setl_time ?? null,
    medfee: fen(s.medfee_sumamt),
    fund: fen(s.fund_pay_sumamt),
    account: fen(s.acct_pay),
    cash: fen(s.psn_cash_pay),
    refunded: oursRefunded(v),
    paid: oursPaid(v),
  };
}

// ---- what to ask ----

export type CentreQuery =
  | { infno: '5203'; input: ReturnType<typeof build5203Input>; insuplcAdmdvs?: string; setlId: string }
  | { infno: '5203A'; input: ReturnType<typeof build5203AInput>; insuplcAdmdvs?: string }
  | { xxlxm: 'SI91'; input: ReturnType<typeof buildSi91Input> }
  | { none: string };

/**
 * National: 5203 by setl_id; 5203A by the payResponse's medins_setl_id when there is no setl_id (the id is the
 * centre's: it sent the 2207 on the SE02 route). 五期: SI91 with the stored 令牌, jssqxh and totalexpense.
 * Without them there is nothing to ask: an unknown SE02 outcome is decided by SE04 (V13).
 */
export function centreQueryFor(v: OrderFacts): CentreQuery {
  if (v.route === 'WUQI') {
    if (!v.wuqi || !v.ecToken)
      return { none: 'no 五期 settlement (jssqxh, totalexpense) is known for this order: its outcome is decided by SE04 (V13), not SI91' };
    return { xxlxm: 'SI91', input: buildSi91Input({ ecToken: v.ecToken, jssqxh: v.wuqi.jssqxh, totalexpense: v.wuqi.totalexpense }) };
  }
  const s = v.setlinfo;
  const psnNo = s?.psn_no ?? v.psnNo;
  if (s?.setl_id && s.mdtrt_id && psnNo) {
    return {
      infno: '5203',
      input: build5203Input({ psn_no: psnNo, setl_id: s.setl_id, mdtrt_id: s.mdtrt_id }),
      insuplcAdmdvs: v.insuplcAdmdvs,
      setlId: s.setl_id,
    };
  }
  if (s?.medins_setl_id && s.mdtrt_id && s.med_type && psnNo) {
    return {
      infno: '5203A',
      input: build5203AInput({ psn_no: psnNo, medins_setl_id: s.medins_setl_id, mdtrt_id: s.mdtrt_id, med_type: s.med_type }),
      insuplcAdmdvs: v.insuplcAdmdvs,
    };
  }
  return { none: 'no setl_id or medins_setl_id is known for this order: its outcome is decided by SE04 (V13), not 5203' };
}

// ---- comparison ----

const COMPARED: Array<Exclude<CentreField, 'found' | 'cash'>> = ['setlId', 'mdtrtId', 'setlTime', 'medfee', 'fund', 'account', 'refunded', 'paid'];

/**
 * Field by field; a field either side leaves null (does not say) is not compared. The centre's cash, when it
 * gives bounds (五期), agrees with ours anywhere within them. A record the centre does not have is one
 * difference: found.
 */
export function compareRecords(ours: CentreRecord, centre: CentreRecord | undefined): Difference[] {
  if (!centre) return [{ field: 'found', ours: true, centre: false }];
  const out: Difference[] = [];
  for (const f of COMPARED) {
    const a = ours[f];
    const b = centre[f];
    if (a === null || b === null) continue;
    if (a !== b) out.push({ field: f, ours: a, centre: b });
  }
  const min = centre.cashMin ?? centre.cash;
  if (ours.cash < min || ours.cash > centre.cash) out.push({ field: 'cash', ours: ours.cash, centre: centre.cash });
  return out;
}
