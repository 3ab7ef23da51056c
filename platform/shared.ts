import * as path from 'node:path';
import type { Config } from '../common/config';
import type { Logger } from '../common/logger';
import { MsgidGenerator } from '../protocol/msgid';
import { PlatformClient } from './client';

const clients = new Map<string, PlatformClient>();

/**
 * The platform client of this process for a configuration: one msgid generator per (fixmedins_code,
 * MSGID_INSTANCE, DATA_DIR), so a worker and the API in one process (npm start) never make the same msgid,
 * and one 9001 sign-in for both.
 */
export function sharedPlatformClient(config: Config, log: Logger): PlatformClient {
  const key = `${config.FIXMEDINS_CODE}:${config.MSGID_INSTANCE}:${config.dataDir}:${config.platformUrl}`;
  let client = clients.get(key);
  if (!client) {
    const msgids = new MsgidGenerator({
      fixmedinsCode: config.FIXMEDINS_CODE,
      instance: config.MSGID_INSTANCE,
      watermarkFile: path.join(config.dataDir, `msgid-${config.FIXMEDINS_CODE}-${config.MSGID_INSTANCE}.watermark`),
    });
    client = new PlatformClient(config, msgids, log);
    clients.set(key, client);
  }
  // each caller logs to its own logger (the worker's platform-call lines carry its context)
  return client.withLogger(log);
}
