// The routing rule table (上海定点医药机构接口开发说明 §4.2, 五期接口 §7.1.4): which persons still
// settle in the old 五期 system. Everyone else goes to the national platform. Pure, so the
// workflow can call it directly.

export type Route = 'NATIONAL' | 'WUQI';

export interface RouteRule {
  /** 1-based position in accountattr */
  position: number;
  value: string;
  reason: string;
}

export const WUQI_RULES: readonly RouteRule[] = [
  { position: 2, value: '1', reason: '干部保健对象' },
  { position: 12, value: 'G', reason: '医疗互助帮困对象' },
  { position: 12, value: 'A', reason: '民政医疗帮困' },
  { position: 16, value: 'A', reason: '民政帮困兼居民保险' },
];

export interface RouteDecision {
  route: Route;
  reason: string;
}

export function decideRoute(accountattr: string): RouteDecision {
  if (!/^[0-9A-Z]{16}$/.test(accountattr)) {
    throw new Error('accountattr must be 16 characters of 0-9/A-Z');
  }
  for (const rule of WUQI_RULES) {
    if (accountattr[rule.position - 1] === rule.value) {
      return { route: 'WUQI', reason: `accountattr[${rule.position}]=${rule.value} ${rule.reason}` };
    }
  }
  return { route: 'NATIONAL', reason: 'not a 五期 person type' };
}
