import * as path from 'node:path';
import { temporalConnectionOptions } from '../common/temporal-connection';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createPlatformActivities } from '../activities/platform-activities';
import { createClaimActivities, requireClaimNamespace } from '../activities/claim-activities';
import { reportActivities } from '../activities/report-activities';
import { createWebhookActivities } from '../activities/webhook-activities';
import { createCentreReviewActivities } from '../activities/centre-review';
import { createCentreCheckActivities } from '../activities/centre-check';
import { createCentreReconciliationActivities } from '../activities/centre-reconciliation';
import { Client } from '@temporalio/client';
import { ensureCentreCheckSchedule } from './centre-check-schedule';
import type { Config } from '../common/config';
import { dataConverter } from '../common/data-converter';
import type { Logger } from '../common/logger';
import { requestIdActivityInterceptor } from '../common/request-id';
import { EcTokenIndex } from '../api/service/ectoken-index';
import { SettlementQueries } from '../api/service/queries';
import { sharedPlatformClient } from '../platform/shared';
import { createRouteActivities, dayCloseActivitiesOf } from '../routes/activities';

export const WORKFLOWS_PATH = require.resolve('../workflows');
/** Bundled with the workflows (every bundleWorkflowCode call passes it): carries X-Request-Id on. */
export const WORKFLOW_INTERCEPTOR_MODULES = [require.resolve('./workflow-interceptors')];

/** The worker: the platform activities on the shared client, and the workflows. */
export async function createWorker(args: {
  config: Config;
  log: Logger;
  connection?: NativeConnection;
  workflowBundle?: WorkerOptions['workflowBundle'];
  extra?: Partial<WorkerOptions>;
  /** Activities only some workers add (the bench's floor, test/system/bench-floor/). */
  extraActivities?: object;
}) {
  const { config, log } = args;
  const client = sharedPlatformClient(config, log);
  const connection = args.connection ?? (await NativeConnection.connect(temporalConnectionOptions(config)));
  await requireClaimNamespace(connection.workflowService, config).catch(async (err: unknown) => {
    if (!args.connection) await connection.close();
    throw err;
  });
  const claims = createClaimActivities(config);
  // the centre check reads orders through Temporal and keeps its Schedule: a client on the worker's own connection
  const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: dataConverter(config) });
  // the day's orders as the API lists them, for the centre check and the day close
  const routes = createRouteActivities({ client, config, log });
  const dayReader = new SettlementQueries(temporal, config, new EcTokenIndex(temporal, config.TEMPORAL_TASK_QUEUE));
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
    // the claim activity (a Temporal workflow-ID claim) comes from claim-activities.ts only
    activities: {
      ...createPlatformActivities({ client, config, log, routes }),
      ...claims.activities,
      ...reportActivities,
      ...createWebhookActivities({ config, log }),
      ...createCentreReviewActivities({ client }),
      ...createCentreCheckActivities({ platform: client, queries: dayReader }),
      ...createCentreReconciliationActivities({ queries: dayReader }),
      ...dayCloseActivitiesOf(routes),
      ...args.extraActivities,
    },
    dataConverter: dataConverter(config),
    // a prebuilt bundle has the workflow interceptors baked in (bundleWorkflowCode above)
    interceptors: {
      ...(args.workflowBundle || process.env.WORKFLOW_BUNDLE_PATH ? {} : { workflowModules: WORKFLOW_INTERCEPTOR_MODULES }),
      activity: [requestIdActivityInterceptor],
    },
    shutdownGraceTime: '10s',
    ...args.extra,
  });
  // the daily centre check's Schedule, created or updated at every start (CENTRE_CHECK_ENABLED); a failure is
  // logged, not fatal: the worker's first duty is the orders
  if (config.CENTRE_CHECK_ENABLED)
    await ensureCentreCheckSchedule(temporal, config, log).catch((err: unknown) => log.error({ err }, 'centre-check schedule not created or updated'));
  // the claim activity's client connection lives as long as the worker runs
  const run = worker.run.bind(worker);
  worker.run = () => run().finally(claims.close);
  return { worker, connection, ownsConnection: !args.connection };
}
