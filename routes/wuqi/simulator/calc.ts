import { formatYuan } from '../../../protocol/money';
import { billInsuredFen, billPartsProblem, billSelfPayFen, INPATIENT_YLLB, OUTPATIENT_ONLY, type WuqiBill } from '../../../protocol/wuqi-bills';
import type { SimPerson } from '../../../simulator/sim-person';

// How the simulated 五期 settles a bill, as we read the tables (docs/spec-readings.md "五期 route", 五期 cash part): the fund pays its ratio
// of the 医保结算范围 part, a 共济 account (SI12) what the person's balance covers of the rest, the patient the
// rest in 统筹段现金. The 非医保结算范围 items (fybjsfwfyze) stay outside totalexpense: the 自费共济账户 (SI12,
// V1.0.6 A.1 zfgjzhzfs) pays what balance is left, the patient the rest in cash. Integer fen; every output
// holds its table's sum rule (§4.3.2.3/§4.3.4.3 说明 1, V1.0.6 A.1 ①).

export interface WuqiSplit {
  /** the settled 交易费用总额: the 医保结算范围 part only */
  totalFen: number;
  fundFen: number;
  /** paid from the 共济 account in the 统筹段 (V1.0.6 fields; SI12 only) */
  mutualFen: number;
  /** in-scope cash (统筹段现金) */
  copayCashFen: number;
  /** the 非医保结算范围 part (fybjsfwfyze) */
  selfPayFen: number;
  /** paid of selfPayFen by the 自费共济账户 (zfgjzhzfs; SI12 only) */
  selfPayAccountFen: number;
}

export function splitWuqiBill(person: SimPerson, bill: WuqiBill): WuqiSplit {
  const insuredFen = billInsuredFen(bill);
  const selfPayFen = billSelfPayFen(bill);
  const fundFen = Math.floor(insuredFen * person.fundRatio);
  const scopeRest = insuredFen - fundFen;
  // SH02 has no 共济 / 自费账户 fields in its table: its accounts never pay here.
  const mutualFen = bill.type === 'SH02' ? 0 : Math.min(person.accountBalanceFen, scopeRest);
  const selfPayAccountFen = bill.type === 'SH02' ? 0 : Math.min(person.accountBalanceFen - mutualFen, selfPayFen);
  return { totalFen: insuredFen, fundFen, mutualFen, copayCashFen: scopeRest - mutualFen, selfPayFen, selfPayAccountFen };
}

/** What the patient pays in cash (the SE03/SE04 amount): the in-scope cash and the self-pay part no account paid. */
export const cashOf = (s: WuqiSplit) => s.copayCashFen + s.selfPayFen - s.selfPayAccountFen;

/** The payResponse (xxnr of the bill type's output table) for a settled bill. */
export function buildWuqiOutput(args: {
  person: SimPerson;
  bill: WuqiBill;
  split: WuqiSplit;
  lsh: string;
  jssqxh: string;
  jzdyh: string;
}): Record<string, string> {
  const { bill, split, person } = args;
  const y = formatYuan;
  const zero = '0.00';
  const outpatient = {
    cardtype: '3',
    cardid: person.psnNo,
    lsh: args.lsh,
    jssqxh: args.jssqxh,
    totalexpense: y(split.totalFen),
    curaccountpay: zero,
    hisaccountpay: zero,
    zfdxjzfs: zero,
    zfdlnzhzfs: zero,
    tcdzhzfs: zero,
    tcdxjzfs: y(split.copayCashFen),
    tczfs: y(split.fundFen),
    fjdzhzfs: zero,
    fjdxjzfs: zero,
    fjzfs: zero,
    curaccountamt: y(Math.max(0, person.accountBalanceFen - split.mutualFen - split.selfPayAccountFen)),
    hisaccountamt: zero,
    ybjsfwfyze: y(split.totalFen),
    fybjsfwfyze: y(split.selfPayFen),
    jlc: '',
    jfje: zero,
  };
  if (bill.type === 'SH02') return { ...outpatient, jzdyh: args.jzdyh, jmjsbz: '0' };
  return {
    ...outpatient,
    // V1.0.6 A.1
    gjzhzfs: zero,
    zfdgjzhzfs: zero,
    tcdgjzhzfs: y(split.mutualFen),
    fjdgjzhzfs: zero,
    flzflnzhzfs: zero,
    flzfgjzhzfs: zero,
    zflnzhzfs: zero,
    zfgjzhzfs: y(split.selfPayAccountFen),
  };
}

/** SK01 出参 (§4.4.1.3 + A.3): every part of the settlement handed back. */
export function buildSk01Output(args: { person: SimPerson; split: WuqiSplit; translsh: string }): Record<string, string> {
  const { person, split } = args;
  const y = formatYuan;
  const zero = '0.00';
  return {
    cardtype: '3',
    cardid: person.psnNo,
    personname: person.name,
    accountattr: person.accountattr,
    translsh: args.translsh,
    curaccount: zero,
    hisaccount: zero,
    zfcash: zero,
    tchisaccount: zero,
    tccash: y(split.copayCashFen),
    tc: y(split.fundFen),
    dffjhisaccount: zero,
    dffjcash: zero,
    dffj: zero,
    curaccountamt: y(person.accountBalanceFen),
    hisaccountamt: zero,
    gjaccount: y(split.mutualFen),
    flzflnzhzfs: zero,
    flzfgjzhzfs: zero,
    zflnzhzfs: zero,
    zfgjzhzfs: y(split.selfPayAccountFen),
  };
}

/**
 * The simulated 五期's own check of a bill beyond its input table (P100): a positive total, 交易费用总额 =
 * 医保结算范围 + 非医保结算范围 per bill / 明细账单, and an outpatient 医疗类别 (V13 §1.1).
 */
export function billRefusal(bill: WuqiBill): string | undefined {
  if (billInsuredFen(bill) + billSelfPayFen(bill) <= 0) return '交易费用总额必须大于0';
  if (INPATIENT_YLLB.includes(bill.xxnr.yllb)) return `医疗类别 ${bill.xxnr.yllb} 为住院类: ${OUTPATIENT_ONLY}`;
  return billPartsProblem(bill);
}
