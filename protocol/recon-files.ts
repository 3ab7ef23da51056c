import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';

// The files of 3202 (national §5.3.2.2.2 item 3, 9101/9102 §5.8.2.x 重点说明 2): "TXT 文件的 ZIP 压缩包",
// the TXT in UTF-8 (§4.4 "TXT 文件使用字符集为 UTF-8"). fflate writes and reads the zip (node:zlib has no
// zip container). Not for workflow code: it uses Buffer.

/** One TXT file in a zip (deflated), as 9101 uploads it. */
export function zipTxt(filename: string, txt: string): Uint8Array {
  return zipSync({ [filename]: strToU8(txt) }, { level: 6, mtime: new Date('2000-01-01T00:00:00Z') });
}

export class ZipError extends Error {
  override name = 'ZipError';
}

/** The TXT files of a zip (directories skipped), decoded as UTF-8. */
export function unzipTxt(bytes: Uint8Array): Array<{ name: string; text: string }> {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (err) {
    throw new ZipError(`not a zip file: ${(err as Error).message}`);
  }
  return Object.entries(files)
    .filter(([name]) => !name.endsWith('/'))
    .map(([name, data]) => ({ name, text: strFromU8(data) }));
}

/** A zip starts with the local file header signature PK\x03\x04 (or PK\x05\x06 when empty). */
export const looksLikeZip = (b: Uint8Array): boolean =>
  b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && (b[2] === 0x03 || b[2] === 0x05) && (b[3] === 0x04 || b[3] === 0x06);

/**
 * RECON_FILE_ENCODING: how 9101's `in` (表415 "字节数组", no JSON form specified) travels. base64 (default):
 * the text a Java byte[] field is written and read as by Jackson and fastjson, the national platform's
 * stack, and what the implementations seen do (Convert.ToBase64String). array: a JSON array of byte values.
 */
export type FileEncoding = 'base64' | 'array';

export function encodeFileBytes(bytes: Uint8Array, encoding: FileEncoding): string | number[] {
  return encoding === 'array' ? Array.from(bytes) : Buffer.from(bytes).toString('base64');
}

/** The receiving side: either form; an array may hold Java's signed bytes (-128..-1). */
export function decodeFileBytes(v: string | number[]): Uint8Array {
  if (typeof v === 'string') return new Uint8Array(Buffer.from(v, 'base64'));
  return Uint8Array.from(v.map((b) => b & 0xff));
}
