import { z } from 'zod';
import type { Operator } from './national-header';
import { formatDateTime } from './shanghai-time';
import { dateTime, nonEmpty, str } from './zod-helpers';

/** msgid (§3.2.1): 医疗机构代码(11) + 日期 yyyyMMdd (8) + 流水号 (9) = 28 characters. */
export const WUQI_MSGID_RE = /^[0-9A-Z]{11}\d{8}\d{9}$/;

/**
 * 五期 envelope (五期接口 §3.2.1). §3.2: "可空字段如果没有内容，需保证数据节点存在，并用双引号填充" —
 * every node is required to be present; 可空 nodes may be "". Requests carry xxfhm/fhxx as "" too.
 */
export const wuqiRequestEnvelope = z
  .object({
    jysj: dateTime,
    xxlxm: nonEmpty(7),
    xxfhm: str(4),
    fhxx: str(200),
    bbh: str(4),
    msgid: z.string().regex(WUQI_MSGID_RE, 'must be 医疗机构代码(11) + yyyyMMdd + 9-digit 流水号'),
    xzqhdm: str(6),
    jgdm: nonEmpty(20),
    czybm: nonEmpty(20),
    czyxm: nonEmpty(100).refine((v) => utf8Length(v) <= 100, 'at most 100 bytes (§3.2.1 "最大长度为100字节")'),
    xxnr: z.record(z.unknown()),
    jyqd: z.enum(['10', '20'], { errorMap: () => ({ message: 'jyqd must be 10 (线下) or 20 (线上)' }) }),
    jyyzm: str(100),
    zdjbhs: str(20),
  })
  .strict();
export type WuqiRequestEnvelope = z.infer<typeof wuqiRequestEnvelope>;

const utf8Length = (v: string) => Buffer.byteLength(v, 'utf8');

/** The longest prefix of `text` within `maxBytes` UTF-8 bytes (never splitting a character). */
export function truncateUtf8(text: string, maxBytes: number): string {
  let out = '';
  for (const ch of text) {
    if (utf8Length(out + ch) > maxBytes) break;
    out += ch;
  }
  return out;
}

/** The node order of §3.2.1, used to build and to check envelopes. */
export const WUQI_ENVELOPE_NODES = [
  'jysj',
  'xxlxm',
  'xxfhm',
  'fhxx',
  'bbh',
  'msgid',
  'xzqhdm',
  'jgdm',
  'czybm',
  'czyxm',
  'xxnr',
  'jyqd',
  'jyyzm',
  'zdjbhs',
] as const;

/** A reply: xxfhm decides; the other nodes are read leniently (a reply is never refused for its decoration). */
export const wuqiResponseEnvelope = z
  .object({
    xxfhm: nonEmpty(4),
    fhxx: z.string().nullish(),
    xxnr: z.unknown().optional(),
    msgid: z.string().nullish(),
    xxlxm: z.string().nullish(),
  })
  .passthrough();
export type WuqiResponseEnvelope = z.infer<typeof wuqiResponseEnvelope>;

/** SE01 电子凭证解码 input (§4.8.1). */
export const se01Input = z.object({
  orgId: nonEmpty(16),
  ecQrCode: nonEmpty(512),
  ecQrChannel: z.enum(['1', '2', '3'], { errorMap: () => ({ message: 'ecQrChannel must be 1 (支付宝), 2 (微信) or 3 (随申办)' }) }),
  businessType: nonEmpty(10),
  termId: nonEmpty(64),
  termIp: nonEmpty(20),
  operatorId: nonEmpty(10),
  operatorName: nonEmpty(50),
  officeId: nonEmpty(50),
  officeName: nonEmpty(50),
});
export type Se01Input = z.infer<typeof se01Input>;

export const se01Output = z.object({ username: str(50), idno: str(20), idtype: str(15), ecToken: nonEmpty(63) }).passthrough();
export type Se01Output = z.infer<typeof se01Output>;

/** SM01 帐户查询: cardtype 3 = 电子凭证 with carddata = ecToken. */
export const sm01Input = z.object({
  cardtype: z.enum(['0', '1', '2', '3'], { errorMap: () => ({ message: 'cardtype must be 0, 1, 2 or 3' }) }),
  carddata: str(63),
});
export const sm01Output = z
  .object({
    cardtype: z.string().optional(),
    cardid: z.string().optional(),
    personname: z.string().optional(),
    accountattr: z.string().length(16, 'accountattr must be 16 characters'),
    curaccountamt: z.string().optional(),
    hisaccountamt: z.string().optional(),
  })
  .passthrough();
export type Sm01Output = z.infer<typeof sm01Output>;

/** 五期 SE02 input: payRequest is the 五期 bill (xxnr of SH02/SI12; outpatient only, V13 §1.1) prepared by the HIS. */
export const wuqiSe02Input = z.object({
  orderNo: z.string().regex(/^[0-9A-Z]{11}\d{23}$/, 'must be 医疗机构代码(11) + yyyyMMddHHmmssSSS + 6 digits'),
  ecToken: nonEmpty(63),
  /** The xxnr of SH02/SI12 (§4.8.2: "仅xxnr部分"); its own schema depends on the bill type. */
  payRequest: z.union([z.string().min(1), z.record(z.unknown())]),
  pName: str(50).optional(),
  pIdNo: str(20).optional(),
});

export interface WuqiDefaults {
  orgCode: string;
  xzqhdm: string;
  bbh: string;
}

export function buildWuqiEnvelope(args: {
  xxlxm: string;
  msgid: string;
  xxnr: Record<string, unknown>;
  operator: { id: string; name: string };
  defaults: WuqiDefaults;
  now?: number;
  /** 10 线下 / 20 线上; our calls are all 线上支付. */
  jyqd?: '10' | '20';
}): WuqiRequestEnvelope {
  return {
    jysj: formatDateTime(args.now ?? Date.now()),
    xxlxm: args.xxlxm,
    xxfhm: '',
    fhxx: '',
    bbh: args.defaults.bbh,
    msgid: args.msgid,
    xzqhdm: args.defaults.xzqhdm,
    jgdm: args.defaults.orgCode,
    czybm: args.operator.id,
    czyxm: truncateUtf8(args.operator.name, 100),
    xxnr: args.xxnr,
    jyqd: args.jyqd ?? '20',
    jyyzm: '',
    zdjbhs: '',
  };
}

/** A reply or push envelope with every §3.2.1 node present (the simulator's answers, our push acks). */
export function buildWuqiReply(args: {
  xxlxm: string;
  msgid: string;
  xxfhm: string;
  fhxx: string;
  xxnr?: Record<string, unknown>;
  now?: number;
  jgdm?: string;
}): Record<string, unknown> {
  return {
    jysj: formatDateTime(args.now ?? Date.now()),
    xxlxm: args.xxlxm,
    xxfhm: args.xxfhm,
    fhxx: args.fhxx.slice(0, 200),
    bbh: '',
    msgid: args.msgid,
    xzqhdm: '',
    jgdm: args.jgdm ?? '',
    czybm: '',
    czyxm: '',
    xxnr: args.xxnr ?? {},
    jyqd: '20',
    jyyzm: '',
    zdjbhs: '',
  };
}

/** The 五期 envelope's operator, from the terminal's signed-in one: its id and name cut to the envelope's lengths. */
export const wuqiOperator = (o: Operator) => ({ id: o.opter.slice(0, 20), name: o.opter_name.slice(0, 100) });
