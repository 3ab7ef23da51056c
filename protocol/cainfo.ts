import { sm2 } from 'sm-crypto';

// National §4.4 数字签名 (cainfo): "将报文剔除 cainfo、input 后，按照数据元标识的 ASCII 码递增排序（字母升序排序），
// 将排序后的参数与其对应值，组合成“参数=参数值”的格式，并且把这些参数用&字符连接起来，此时生成的字符串为待签名字符串，
// 将待签名字符串 SM2 运算，即是数字签名信息（cainfo）的值。" The SM2 signature is the GM/T 0003.2 one over
// SM3(Z_A || M), Z_A from the signer's user ID (GM/T 0009 default 1234567812345678), by sm-crypto.
//
// Readings (the section leaves them open):
//  - every other header field takes part, an empty one as "name=" (the section drops only cainfo and input);
//    null and absent values are "", numbers their JSON text;
//  - an answer (表4) is signed the same way without cainfo and output (§4.4 item 1: "INPUT、OUTPUT 节点应按照
//    接口安全相关要求进行签名");
//  - signtype is "SM2" (表3 #9 "建议使用SM2、SM3"; 表4 #6 "SM2") and is signed along;
//  - the signature's form is a setting: r||s (64 bytes) or DER, as hex or base64 (CAINFO_ENCODING).

export type CainfoEncoding = 'hex' | 'base64' | 'der-hex' | 'der-base64';
export interface CainfoOptions {
  userId: string;
  encoding: CainfoEncoding;
}
/** Which body a message carries: a request's `input`, an answer's `output`. Both are left out of the signature. */
export type SignedPart = 'input' | 'output';

export const SIGN_TYPE = 'SM2';

/** The 待签名字符串 of a national message. */
export function signingString(message: Record<string, unknown>, body: SignedPart): string {
  return Object.keys(message)
    .filter((k) => k !== 'cainfo' && k !== body)
    .sort()
    .map((k) => `${k}=${text(message[k])}`)
    .join('&');
}

function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The cainfo for a message (its signtype should already be SM2). */
export function signCainfo(message: Record<string, unknown>, body: SignedPart, privateKeyHex: string, o: CainfoOptions): string {
  const der = o.encoding.startsWith('der');
  const hex = sm2.doSignature(signingString(message, body), privateKeyHex.toLowerCase(), { hash: true, der, userId: o.userId });
  return o.encoding.endsWith('base64') ? Buffer.from(hex, 'hex').toString('base64') : hex;
}

/** True when the message's cainfo is the signer's SM2 signature of its 待签名字符串. */
export function verifyCainfo(message: Record<string, unknown>, body: SignedPart, publicKeyHex: string, o: CainfoOptions): boolean {
  const cainfo = message.cainfo;
  if (typeof cainfo !== 'string' || cainfo === '') return false;
  const der = o.encoding.startsWith('der');
  const hex = o.encoding.endsWith('base64') ? Buffer.from(cainfo, 'base64').toString('hex') : cainfo.toLowerCase();
  if (!/^[0-9a-f]+$/.test(hex)) return false;
  try {
    return sm2.doVerifySignature(signingString(message, body), hex, uncompressed(publicKeyHex), { hash: true, der, userId: o.userId });
  } catch {
    return false; // a malformed signature or key is a signature that does not verify
  }
}

/** The uncompressed public key (04 || x || y, hex) of a private key. */
export function publicKeyOf(privateKeyHex: string): string {
  return (sm2 as unknown as { getPublicKeyFromPrivateKey(k: string): string }).getPublicKeyFromPrivateKey(privateKeyHex.toLowerCase());
}

function uncompressed(publicKeyHex: string): string {
  const k = publicKeyHex.toLowerCase();
  return k.length === 128 ? `04${k}` : k;
}
