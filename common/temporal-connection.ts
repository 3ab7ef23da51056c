import * as fs from 'node:fs';
import type { Config } from './config';

/** Connection options shared by the client and the worker: plain, mTLS, or an API key (Temporal Cloud). */
export function temporalConnectionOptions(config: Config) {
  const mtls =
    config.TEMPORAL_TLS_CERT && config.TEMPORAL_TLS_KEY
      ? { clientCertPair: { crt: fs.readFileSync(config.TEMPORAL_TLS_CERT), key: fs.readFileSync(config.TEMPORAL_TLS_KEY) } }
      : undefined;
  return {
    address: config.TEMPORAL_ADDRESS,
    ...(mtls ? { tls: mtls } : config.TEMPORAL_API_KEY ? { tls: true } : {}),
    ...(config.TEMPORAL_API_KEY ? { apiKey: config.TEMPORAL_API_KEY } : {}),
  };
}
