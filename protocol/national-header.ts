import { z } from 'zod';
import { NATIONAL_MSGID_RE } from './msgid';
import { formatDateTime } from './shanghai-time';
import { dateTime, nonEmpty, str } from './zod-helpers';

/** National input header (国家接口 表3). `input` is validated per infno elsewhere. */
export const nationalInputHeader = z.object({
  infno: nonEmpty(5),
  msgid: z.string().regex(NATIONAL_MSGID_RE, 'must be fixmedins_code(12) + yyyyMMddHHmmss + 4-digit sequence'),
  mdtrtarea_admvs: nonEmpty(6),
  insuplc_admdvs: str(6).optional(),
  recer_sys_code: nonEmpty(10),
  dev_no: str(100).optional(),
  dev_safe_info: str(2000).optional(),
  cainfo: str(1024).optional(),
  signtype: str(10).optional(),
  infver: nonEmpty(6),
  opter_type: z.string().regex(/^\d{1,3}$/, 'must be a 经办人类别 code'),
  opter: nonEmpty(30),
  opter_name: nonEmpty(50),
  inf_time: dateTime,
  fixmedins_code: nonEmpty(14),
  fixmedins_name: nonEmpty(200),
  sign_no: str(30).optional(),
  app_id: str(32).optional(),
  enc_type: str(6).optional(),
  pw_ecToken: str(50).optional(),
  input: z.record(z.unknown()),
});
export type NationalInputHeader = z.infer<typeof nationalInputHeader>;

/** infcode is a JSON number in Shanghai, a string elsewhere: accept both, keep a number. */
export const infcode = z.union([z.number().int(), z.string().regex(/^-?\d+$/)]).transform((v) => (typeof v === 'number' ? v : Number(v)));

/** National output header (表4), as the route answers a request. */
export const nationalOutputHeader = z
  .object({
    infcode,
    inf_refmsgid: z.string().max(30).nullish(),
    refmsg_time: z.string().max(17).nullish(),
    respond_time: z.string().max(17).nullish(),
    err_msg: z.string().nullish(),
    warn_msg: z.string().nullish(),
    signtype: z.string().nullish(),
    cainfo: z.string().nullish(),
    app_id: z.string().nullish(),
    enc_type: z.string().nullish(),
    output: z.unknown().optional(),
  })
  .passthrough();
export type NationalOutputHeader = z.infer<typeof nationalOutputHeader>;

/** Opter types allowed for online calls (V13 §1.1): 4 线上支付终端, 5 互联网医院. */
export const ONLINE_OPTER_TYPES = ['4', '5'] as const;
export const onlineOpterType = z.enum(ONLINE_OPTER_TYPES, { errorMap: () => ({ message: 'opter_type must be 4 or 5 for online calls' }) });

export interface Operator {
  opter: string;
  opter_name: string;
  opter_type: '4' | '5';
}

export interface HeaderDefaults {
  fixmedinsCode: string;
  fixmedinsName: string;
  mdtrtareaAdmvs: string;
  recerSysCode: string;
  infver: string;
}

/** The envelope builder: a complete national input header around `input`. */
export function buildNationalEnvelope(args: {
  infno: string;
  msgid: string;
  input: Record<string, unknown>;
  operator: Operator;
  defaults: HeaderDefaults;
  /** 参保地区划 (表3 #4): required when the input carries a psn_no; the 就医地 default otherwise. */
  insuplcAdmdvs?: string;
  /** 9001 签到流水号 (表3 #17); "" when not signed in, as the V13 SE02 sample sends. */
  signNo?: string;
  now?: number;
}): NationalInputHeader {
  const { defaults, operator } = args;
  return {
    infno: args.infno,
    msgid: args.msgid,
    mdtrtarea_admvs: defaults.mdtrtareaAdmvs,
    insuplc_admdvs: args.insuplcAdmdvs ?? defaults.mdtrtareaAdmvs,
    recer_sys_code: defaults.recerSysCode,
    dev_no: '',
    dev_safe_info: '',
    cainfo: '',
    signtype: '',
    infver: defaults.infver,
    opter_type: operator.opter_type,
    opter: operator.opter,
    opter_name: operator.opter_name,
    inf_time: formatDateTime(args.now ?? Date.now()),
    fixmedins_code: defaults.fixmedinsCode,
    fixmedins_name: defaults.fixmedinsName,
    sign_no: args.signNo ?? '',
    input: args.input,
  };
}

/** A national output header as the platform (or our simulator) answers. */
export function buildNationalReply(args: {
  infcode: number;
  output?: unknown;
  errMsg?: string | null;
  refmsgid: string;
  receivedAt: string;
  respondedAt: string;
}): Record<string, unknown> {
  return {
    infcode: args.infcode,
    inf_refmsgid: args.refmsgid,
    refmsg_time: args.receivedAt,
    respond_time: args.respondedAt,
    err_msg: args.errMsg ?? null,
    warn_msg: null,
    cainfo: '',
    signtype: '',
    output: args.output ?? null,
  };
}
