import type { Client } from '@temporalio/client';
import { claimSpace } from '../../activities/claim-activities';
import type { Config } from '../../common/config';
import type { Logger } from '../../common/logger';
import { SettlementCommands } from './commands';
import { EcTokenIndex } from './ectoken-index';
import { PushRouter } from './push-routing';
import { SettlementQueries } from './queries';

export { Conflict, NotFound } from './errors';
export type { SettlementCommands } from './commands';
export type { SettlementQueries } from './queries';
export type { PushRouter } from './push-routing';

/** Everything the HTTP layer asks of Temporal, in three parts that share the ecToken index. */
export interface SettlementService {
  readonly client: Client;
  readonly commands: SettlementCommands;
  readonly queries: SettlementQueries;
  readonly pushes: PushRouter;
}

export function createSettlementService(client: Client, config: Config, log: Logger, opts: { eagerStart?: boolean } = {}): SettlementService {
  const claims = claimSpace(client, config);
  const tokens = new EcTokenIndex(client, config.TEMPORAL_TASK_QUEUE, claims);
  const queries = new SettlementQueries(client, config, tokens);
  return {
    client,
    queries,
    commands: new SettlementCommands(client, claims, config, log, queries, tokens, opts.eagerStart ?? false),
    pushes: new PushRouter(client, config, log, tokens),
  };
}
