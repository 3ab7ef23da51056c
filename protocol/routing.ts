// The routing rule table: which payments still settle in the old 五期 system (老系统) and which go to
// the national platform (新系统). Shanghai guide ch. 2 and §4.14: "互助帮困、民政帮困、工伤和干部保健对象"
// settle in 五期, "包括以上人员的线上支付及互联网医院交易"; everyone else settles nationally.
// The persons are read from SM01's accountattr (五期 §7.1.4, A.6); 工伤 is a property of the visit,
// read from the bill (SH02/SI12 persontype 1) or the national payRequest (med_type 994101, guide §6.2).
// Pure, so the workflow can call it directly; every decision carries the rule that made it.

export type Route = 'NATIONAL' | 'WUQI';

export interface AccountattrRule {
  kind: 'accountattr';
  /** 1-based position in accountattr (§7.1.4 位数) */
  position: number;
  value: string;
  reason: string;
}

export interface BillRule {
  kind: 'bill';
  id: 'WORK_INJURY_BILL' | 'WORK_INJURY_MED_TYPE';
  reason: string;
}

export type RouteRule = AccountattrRule | BillRule;

/** The one table. Order matters only for which reason is reported when several rules match. */
export const WUQI_RULES: readonly RouteRule[] = [
  { kind: 'accountattr', position: 2, value: '1', reason: '干部保健对象 (§7.1.4 第2位 保健对象 = 1)' },
  { kind: 'accountattr', position: 12, value: 'G', reason: '医疗互助帮困对象 (§7.1.4 第12位 适用医保办法 = G)' },
  { kind: 'accountattr', position: 12, value: 'A', reason: '民政医疗帮困 (§7.1.4 第12位 适用医保办法 = A)' },
  { kind: 'accountattr', position: 16, value: 'A', reason: '民政帮困兼居民保险 (§7.1.4 第16位 特殊结算标志 = A)' },
  { kind: 'bill', id: 'WORK_INJURY_BILL', reason: '工伤: SH02/SI12 bill with persontype 1 (§4.3.2.2/§4.3.4.2 病人类型 1：工伤)' },
  { kind: 'bill', id: 'WORK_INJURY_MED_TYPE', reason: '工伤: national payRequest med_type 994101 工伤门诊 (Shanghai guide §6.2)' },
];

/**
 * 异地人员 (§7.1.4 第12位 适用医保办法 = Y：异地): insured outside Shanghai. They settle nationally, but
 * Shanghai guide §4.3.2 calls 1101 only for "非干保、工伤、互助帮困、民政帮困和异地人员", so their 参保地区划
 * must come from the HIS (settlement-steps.ts personInfo).
 */
export const OUT_OF_TOWN: Omit<AccountattrRule, 'kind'> = { position: 12, value: 'Y', reason: '异地人员 (§7.1.4 第12位 适用医保办法 = Y)' };

export function isOutOfTown(accountattr: string): boolean {
  return accountattr[OUT_OF_TOWN.position - 1] === OUT_OF_TOWN.value;
}

/** The med_type of 工伤门诊 (Shanghai guide §6.2). */
export const WORK_INJURY_MED_TYPE = '994101';

/**
 * The med_types of an inpatient kind (Shanghai guide §6.2), refused with V13 §1.1 "国家平台、五期移动支付均只支持
 * 门诊交易": 21 普通住院, 994102 工伤住院, and 24 急诊观察. 24 is a stay in the emergency observation room:
 * 五期 files it as its own 医疗类别 S24 next to S21 住院 (§7.1.1), not with S11/S12/S13 门诊/急诊, and in the
 * national dictionary the 2x codes are 住院. Refusing it costs an online payment the counter can still take;
 * accepting it could settle a stay on a channel that takes outpatient bills only. (41 药店购药 is not a
 * hospital visit and 71 家庭病床 settles as 门诊类 in 五期, SI12's 家床 fields; neither is refused here.)
 */
export const INPATIENT_MED_TYPES: readonly string[] = ['21', '24', '994102'];

/** What the HIS told us about the visit, beyond the person. */
export interface RouteFacts {
  /** the 五期 bill, when the HIS sent one */
  wuqiBill?: { type: string; xxnr: { persontype?: unknown } };
  /** the national payRequest's med_type, when the HIS sent one */
  medType?: string;
}

export interface RouteDecision {
  route: Route;
  /** the rule that decided, in words, with its accountattr position or bill field */
  reason: string;
  /** the matching rule; absent for NATIONAL */
  rule?: RouteRule;
}

export const ACCOUNTATTR_RE = /^[0-9A-Z]{16}$/;

function matches(rule: RouteRule, accountattr: string, facts: RouteFacts): boolean {
  if (rule.kind === 'accountattr') return accountattr[rule.position - 1] === rule.value;
  if (rule.id === 'WORK_INJURY_BILL') {
    const b = facts.wuqiBill;
    // only the outpatient bills are taken (V13 §1.1): SH02/SI12
    return !!b && (b.type === 'SH02' || b.type === 'SI12') && b.xxnr.persontype === '1';
  }
  return facts.medType === WORK_INJURY_MED_TYPE;
}

/** (accountattr, what the bill says) → route, with the reason. Throws on a malformed accountattr. */
export function decideRoute(accountattr: string, facts: RouteFacts = {}): RouteDecision {
  if (!ACCOUNTATTR_RE.test(accountattr)) {
    throw new Error('accountattr must be 16 characters of 0-9/A-Z');
  }
  for (const rule of WUQI_RULES) {
    if (matches(rule, accountattr, facts)) {
      const where = rule.kind === 'accountattr' ? `accountattr[${rule.position}]=${rule.value}` : rule.id;
      return { route: 'WUQI', reason: `${where} ${rule.reason}`, rule };
    }
  }
  return { route: 'NATIONAL', reason: 'no 五期 rule matched (not 干保, 互助帮困, 民政帮困 or 工伤): national platform' };
}
