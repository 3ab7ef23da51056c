import type { Config } from '../common/config';
import type { Operator } from '../protocol/national-header';

/** SE01 电子凭证解码 input (五期 §4.8.1.2) for an online checkout. */
export function se01Request(config: Config, a: { ecQrCode: string; ecQrChannel: '1' | '2' | '3'; operator: Operator }) {
  return {
    orgId: config.wuqiOrgCode,
    ecQrCode: a.ecQrCode,
    ecQrChannel: a.ecQrChannel,
    businessType: '01301',
    termId: config.FIXMEDINS_CODE,
    termIp: '127.0.0.1',
    operatorId: a.operator.opter.slice(0, 10),
    operatorName: a.operator.opter_name,
    officeId: 'ONLINE',
    officeName: '互联网医院',
  };
}

/** Case- and space-insensitive comparison; null when either side is absent. */
export function sameText(a?: string, b?: string): boolean | null {
  if (!a || !b) return null;
  return a.trim().toUpperCase() === b.trim().toUpperCase();
}
