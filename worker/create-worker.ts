import * as path from 'node:path';
import { temporalConnectionOptions } from '../common/temporal-connection';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createPlatformActivities } from '../activities/platform-activities';
import { createClaimActivities } from '../activities/claim-activities';
import { floorActivities } from '../activities/floor-activities';
import { interimActivities } from '../activities/interim-activities';
import { reportActivities } from '../activities/report-activities';
import type { Config } from '../common/config';
import { dataConverter } from '../common/data-converter';
import type { Logger } from '../common/logger';
import { PlatformClient } from '../platform/client';
import { MsgidGenerator } from '../protocol/msgid';

export const WORKFLOWS_PATH = require.resolve('../workflows');

/** The worker: the platform activities on the shared client, and the workflows. */
export async function createWorker(args: {
  config: Config;
  log: Logger;
  connection?: NativeConnection;
  workflowBundle?: WorkerOptions['workflowBundle'];
  extra?: Partial<WorkerOptions>;
}) {
  const { config, log } = args;
  const msgids = new MsgidGenerator({
    fixmedinsCode: config.FIXMEDINS_CODE,
    instance: config.MSGID_INSTANCE,
    watermarkFile: path.join(config.dataDir, `msgid-${config.FIXMEDINS_CODE}-${config.MSGID_INSTANCE}.watermark`),
  });
  const client = new PlatformClient(config, msgids, log);
  const connection = args.connection ?? (await NativeConnection.connect(temporalConnectionOptions(config)));
  const claims = createClaimActivities(config);
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    // A prebuilt bundle (scripts/build-workflow-bundle.ts) skips webpack at start: production and chaos restarts.
    ...(args.workflowBundle
      ? { workflowBundle: args.workflowBundle }
      : process.env.WORKFLOW_BUNDLE_PATH
        ? { workflowBundle: { codePath: path.resolve(process.env.WORKFLOW_BUNDLE_PATH) } }
        : { workflowsPath: WORKFLOWS_PATH }),
    // interim stand-ins first: the platform's real implementations replace them (see interim-activities.ts)
    activities: { ...interimActivities, ...createPlatformActivities({ client, config, log }), ...claims.activities, ...reportActivities, ...floorActivities },
    dataConverter: dataConverter(config),
    shutdownGraceTime: '10s',
    ...args.extra,
  });
  // the claim activity's client connection lives as long as the worker runs
  const run = worker.run.bind(worker);
  worker.run = () => run().finally(claims.close);
  return { worker, connection, ownsConnection: !args.connection };
}
