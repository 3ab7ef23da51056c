import { formatYuan } from '../protocol/money';
import { billInsuredFen, billTotalFen, type WuqiBill } from '../protocol/wuqi-bills';
import type { SimPerson } from './persons';

// How the simulated 五期 settles a bill: the fund pays its ratio of the 医保结算范围 part, the patient pays
// the rest in cash (non-scope fees as 自负段/起付段 cash, the scope remainder as 统筹段 cash), a 共济 account
// pays what the person's account balance covers. Everything in integer fen, and every output is built so
// that its table's sum rule holds (§4.3.2.3/§4.3.4.3/§4.3.6.3 说明 1, V1.0.6 A.1/A.2 ①).

export interface WuqiSplit {
  totalFen: number;
  fundFen: number;
  /** paid from the 共济 account (V1.0.6 fields; SI12/SI52 only) */
  mutualFen: number;
  /** out-of-scope cash (自负段 / 起付段 现金) */
  ownCashFen: number;
  /** in-scope cash (统筹段现金) */
  copayCashFen: number;
}

export function splitWuqiBill(person: SimPerson, bill: WuqiBill): WuqiSplit {
  const totalFen = billTotalFen(bill);
  const insuredFen = Math.min(billInsuredFen(bill), totalFen);
  const fundFen = Math.floor(insuredFen * person.fundRatio);
  const scopeRest = insuredFen - fundFen;
  // SH02 has no 共济 fields in its table: its account never pays here.
  const mutualFen = bill.type === 'SH02' ? 0 : Math.min(person.accountBalanceFen, scopeRest);
  return { totalFen, fundFen, mutualFen, ownCashFen: totalFen - insuredFen, copayCashFen: scopeRest - mutualFen };
}

export const cashOf = (s: WuqiSplit) => s.ownCashFen + s.copayCashFen;

/** The payResponse (xxnr of the bill type's output table) for a settled bill. */
export function buildWuqiOutput(args: { person: SimPerson; bill: WuqiBill; split: WuqiSplit; lsh: string; jssqxh: string; jzdyh: string }): Record<string, string> {
  const { bill, split, person } = args;
  const y = formatYuan;
  const zero = '0.00';
  const balance = y(Math.max(0, person.accountBalanceFen - split.mutualFen));
  const scope = { ybjsfwfyze: y(split.totalFen - split.ownCashFen), fybjsfwfyze: y(split.ownCashFen) };
  if (bill.type === 'SI52') {
    return {
      cardtype: '3',
      cardid: person.psnNo,
      lsh: args.lsh,
      jssqxh: args.jssqxh,
      totalexpense: y(split.totalFen),
      qfdzhzfs: zero,
      tcdzhzfs: zero,
      fjdzhzfs: zero,
      qfdxjzfs: y(split.ownCashFen),
      tcdxjzfs: y(split.copayCashFen),
      fjdxjzfs: zero,
      tczfs: y(split.fundFen),
      fjzfs: zero,
      curaccountamt: balance,
      hisaccountamt: zero,
      ...scope,
      jfje: zero,
      // V1.0.6 A.2
      qfdgjzhzfs: zero,
      tcdgjzhzfs: y(split.mutualFen),
      fjdgjzhzfs: zero,
      flzflnzhzfs: zero,
      flzfgjzhzfs: zero,
      zflnzhzfs: zero,
      zfgjzhzfs: zero,
    };
  }
  const outpatient = {
    cardtype: '3',
    cardid: person.psnNo,
    lsh: args.lsh,
    jssqxh: args.jssqxh,
    totalexpense: y(split.totalFen),
    curaccountpay: zero,
    hisaccountpay: zero,
    zfdxjzfs: y(split.ownCashFen),
    zfdlnzhzfs: zero,
    tcdzhzfs: zero,
    tcdxjzfs: y(split.copayCashFen),
    tczfs: y(split.fundFen),
    fjdzhzfs: zero,
    fjdxjzfs: zero,
    fjzfs: zero,
    curaccountamt: balance,
    hisaccountamt: zero,
    ...scope,
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
    zfgjzhzfs: zero,
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
    zfcash: y(split.ownCashFen),
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
    zfgjzhzfs: zero,
  };
}

/**
 * The simulated 五期's own check of a bill beyond its input table: SH02's 说明 1 says 交易费用总额 =
 * 医保结算范围费用总额, so an SH02 bill with another total is refused (P100) rather than settled inconsistently.
 */
export function billRefusal(bill: WuqiBill): string | undefined {
  if (billTotalFen(bill) <= 0) return '交易费用总额必须大于0';
  if (bill.type === 'SH02' && billTotalFen(bill) !== billInsuredFen(bill)) return 'SH02 交易费用总额须等于医保结算范围费用总额 (§4.3.2.3 说明1)';
  return undefined;
}
