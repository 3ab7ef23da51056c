import type { DataConverter } from '@temporalio/common';
import type { Config } from './config';
import { EncryptionCodec, localKeySpec, parseKeys } from './payload-codec';

let cached: { spec: string; codec: EncryptionCodec } | undefined;

/** The payload codec shared by the client, the worker and the codec server. */
export function payloadCodec(config: Config): EncryptionCodec | undefined {
  if (config.PAYLOAD_ENCRYPTION === 'off') return undefined;
  const spec = config.PAYLOAD_KEYS ?? localKeySpec(config.dataDir);
  if (cached?.spec !== spec) cached = { spec, codec: new EncryptionCodec(parseKeys(spec)) };
  return cached.codec;
}

export function dataConverter(config: Config): DataConverter {
  const codec = payloadCodec(config);
  return codec ? { payloadCodecs: [codec] } : {};
}
