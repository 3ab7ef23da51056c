import { z } from 'zod';
import { isOutOfTown, OUT_OF_TOWN } from './routing';
import { nonEmpty, str } from './zod-helpers';

// 【1101】人员基本信息获取 (national §5.1.1.1). Shanghai guide §4.3.2 / §5.1: with an e-voucher,
// mdtrt_cert_type "01", mdtrt_cert_no = the ecToken, card_sn empty, and 姓名、证件类型、证件号码
// must not be empty (filled from SE01).

export const personInfoData = z.object({
  mdtrt_cert_type: z.literal('01', { errorMap: () => ({ message: 'mdtrt_cert_type must be 01 (医保电子凭证)' }) }),
  mdtrt_cert_no: nonEmpty(50),
  card_sn: str(32).optional(),
  begntime: str(19).optional(),
  psn_cert_type: nonEmpty(6),
  certno: nonEmpty(50),
  psn_name: nonEmpty(50),
});
export const personInfoInput = z.object({ data: personInfoData });
export type PersonInfoInput = z.infer<typeof personInfoInput>;

/** insuinfo row (表8). The B.2 sample spells insuplc_admdvs as insu_admdvs: both are read. */
const insuinfoRow = z
  .object({
    insutype: z.string().nullish(),
    psn_type: z.string().nullish(),
    psn_insu_stas: z.string().nullish(),
    insuplc_admdvs: z.string().nullish(),
    insu_admdvs: z.string().nullish(),
  })
  .passthrough();

/** 1101 output: baseinfo (表7), insuinfo (表8, 多行; the B.2 sample prints one object), idetinfo (表9). */
export const personInfoOutput = z
  .object({
    baseinfo: z.object({ psn_no: nonEmpty(30) }).passthrough(),
    insuinfo: z.union([z.array(insuinfoRow), insuinfoRow]).transform((v) => (Array.isArray(v) ? v : [v])),
    idetinfo: z.unknown().optional(),
  })
  .passthrough();
export type PersonInfoOutput = z.infer<typeof personInfoOutput>;

/**
 * The 参保地区划 for the next headers: the row in 正常参保 (psn_insu_stas 1, Shanghai guide §6.7) if there
 * is one, else the first row with a 6-digit area. Undefined when no row carries one.
 */
export function insuplcAdmdvsOf(out: PersonInfoOutput): string | undefined {
  const area = (r: z.infer<typeof insuinfoRow>) => [r.insuplc_admdvs, r.insu_admdvs].find((v) => typeof v === 'string' && /^\d{6}$/.test(v)) ?? undefined;
  const rows = out.insuinfo.filter((r) => area(r));
  const chosen = rows.find((r) => r.psn_insu_stas === '1') ?? rows[0];
  return chosen ? area(chosen) : undefined;
}

/** Where a national order's insuplc_admdvs came from (the view's insuplcAdmdvsSource). */
export type InsuplcAdmdvsSource = 'his' | '1101' | 'default';

/**
 * How a national person's 参保地区划 is found (national 表3 #4, Shanghai guide §4.3.2):
 *  - `his`: the HIS gave it (e.g. from POST /api/identities);
 *  - `required`: a 异地 person without one: 1101 is not called for them, and the Shanghai default would be
 *    wrong, so the order cannot go on (`refusal` says why);
 *  - `1101`: ask 1101 (with SE01's identity when the order decoded the QR code).
 */
export function insuplcAdmdvsPlan(accountattr: string, his?: string): { kind: 'his' | '1101' } | { kind: 'required'; refusal: string } {
  if (!isOutOfTown(accountattr)) return { kind: his ? 'his' : '1101' };
  // someone insured elsewhere never gets a Shanghai area (31xxxx)
  if (his && !his.startsWith('31')) return { kind: 'his' };
  const given = his ? `; ${his} is a Shanghai area` : '';
  return {
    kind: 'required',
    refusal: `INSUPLC_ADMDVS_REQUIRED: a 异地 person (accountattr[${OUT_OF_TOWN.position}]=${OUT_OF_TOWN.value}) needs the HIS to give insuplcAdmdvs, their 参保地医保区划 (Shanghai guide §4.3.2: no 1101 for 异地人员)${given}`,
  };
}
