import { Client, Connection } from '@temporalio/client';
import { temporalConnectionOptions } from '../common/temporal-connection';
import { createSettlementService } from '../api/service';
import { loadConfigOrExit } from '../common/config';
import { dataConverter } from '../common/data-converter';
import { createLogger } from '../common/logger';

/** For the finance CLIs: the same service the API uses, straight on Temporal. */
export async function cliService() {
  const config = loadConfigOrExit();
  const connection = await Connection.connect({ ...temporalConnectionOptions(config), connectTimeout: '5s' });
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: dataConverter(config) });
  return { service: createSettlementService(client, config, createLogger('cli', 'warn')), close: () => connection.close() };
}
