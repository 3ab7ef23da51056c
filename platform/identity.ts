import type { Config } from '../common/config';
import type { Operator } from '../protocol/national-header';

/** Where the QR code was scanned: SE01's termIp (ip信息) and 医保科室 (officeId/officeName), from the request. */
export interface Se01Terminal {
  termIp?: string;
  officeId?: string;
  officeName?: string;
}

/** SE01 电子凭证解码 input (五期 §4.8.1.2) for an online checkout; the terminal's fields default to SE01_TERM_IP / SE01_OFFICE_ID / SE01_OFFICE_NAME. */
export function se01Request(config: Config, a: { ecQrCode: string; ecQrChannel: '1' | '2' | '3'; operator: Operator; terminal?: Se01Terminal }) {
  const t = a.terminal ?? {};
  return {
    orgId: config.wuqiOrgCode,
    ecQrCode: a.ecQrCode,
    ecQrChannel: a.ecQrChannel,
    businessType: '01301',
    termId: config.FIXMEDINS_CODE,
    termIp: t.termIp || config.SE01_TERM_IP,
    operatorId: a.operator.opter.slice(0, 10),
    operatorName: a.operator.opter_name,
    officeId: t.officeId || config.SE01_OFFICE_ID,
    officeName: t.officeName || config.SE01_OFFICE_NAME,
  };
}

/** Case- and space-insensitive comparison; null when either side is absent. */
export function sameText(a?: string, b?: string): boolean | null {
  if (!a || !b) return null;
  return a.trim().toUpperCase() === b.trim().toUpperCase();
}
