import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Payload, PayloadCodec } from '@temporalio/common';

// Every workflow payload (names, ID numbers, 2207 results) is AES-256-GCM encrypted before it
// reaches Temporal's database. The key id travels in the payload metadata, so keys can rotate:
// the first key encrypts, all listed keys decrypt.

const ENCODING = 'binary/encrypted';
const enc = new TextEncoder();
const dec = new TextDecoder();

export interface CodecKey {
  id: string;
  key: Buffer;
}

/** PAYLOAD_KEYS = "id1:base64key[,id2:base64key…]", 32-byte keys; the first encrypts. */
export function parseKeys(spec: string): CodecKey[] {
  const keys = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const [id, b64] = entry.split(':');
      if (!id || !b64 || !/^[\w.-]{1,32}$/.test(id)) throw new Error('PAYLOAD_KEYS entries must be id:base64key');
      const key = Buffer.from(b64, 'base64');
      if (key.length !== 32) throw new Error(`PAYLOAD_KEYS key ${id} must be 32 bytes (base64)`);
      return { id, key };
    });
  if (keys.length === 0) throw new Error('PAYLOAD_KEYS is empty');
  return keys;
}

/** For the embedded default: a key kept in DATA_DIR when PAYLOAD_KEYS is not set. */
export function localKeySpec(dataDir: string): string {
  const file = path.join(dataDir, 'payload-key');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, `local1:${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  }
  return fs.readFileSync(file, 'utf8').trim();
}

export class EncryptionCodec implements PayloadCodec {
  private readonly byId: Map<string, Buffer>;

  constructor(private readonly keys: CodecKey[]) {
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const { id, key } = this.keys[0]!;
    return payloads.map((p) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const clear = Buffer.from(serialize(p));
      const data = Buffer.concat([iv, cipher.update(clear), cipher.final(), cipher.getAuthTag()]);
      return { metadata: { encoding: enc.encode(ENCODING), 'encryption-key-id': enc.encode(id) }, data };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => {
      if (dec.decode(p.metadata?.encoding ?? new Uint8Array()) !== ENCODING) return p;
      const id = dec.decode(p.metadata?.['encryption-key-id'] ?? new Uint8Array());
      const key = this.byId.get(id);
      if (!key) throw new Error(`no payload key with id ${id}`);
      const buf = Buffer.from(p.data ?? new Uint8Array());
      const decipher = createDecipheriv('aes-256-gcm', key, buf.subarray(0, 12));
      decipher.setAuthTag(buf.subarray(buf.length - 16));
      const clear = Buffer.concat([decipher.update(buf.subarray(12, buf.length - 16)), decipher.final()]);
      return deserialize(clear);
    });
  }
}

// The inner payload is kept as JSON with base64 fields: small, and readable after decryption.
function serialize(p: Payload): string {
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(p.metadata ?? {})) metadata[k] = Buffer.from(v).toString('base64');
  return JSON.stringify({ metadata, data: Buffer.from(p.data ?? new Uint8Array()).toString('base64') });
}

function deserialize(buf: Buffer): Payload {
  const o = JSON.parse(buf.toString('utf8')) as { metadata: Record<string, string>; data: string };
  const metadata: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries(o.metadata)) metadata[k] = new Uint8Array(Buffer.from(v, 'base64'));
  return { metadata, data: new Uint8Array(Buffer.from(o.data, 'base64')) };
}

/** The Temporal codec-server JSON form: {payloads: [{metadata: {k: base64}, data: base64}]}. */
export interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

export function fromJsonPayload(p: JsonPayload): Payload {
  const metadata: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries(p.metadata ?? {})) metadata[k] = new Uint8Array(Buffer.from(v, 'base64'));
  return { metadata, data: new Uint8Array(Buffer.from(p.data ?? '', 'base64')) };
}

export function toJsonPayload(p: Payload): JsonPayload {
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(p.metadata ?? {})) metadata[k] = Buffer.from(v).toString('base64');
  return { metadata, data: Buffer.from(p.data ?? new Uint8Array()).toString('base64') };
}
