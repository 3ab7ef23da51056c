import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import { centreCheckOptions, centreCheckScheduleId, scheduleTime } from '../common/centre-check';
import type { Config } from '../common/config';
import type { Logger } from '../common/logger';

// The daily centre check's Temporal Schedule (issue 18, 3), one per task queue: every day at CENTRE_CHECK_AT
// Asia/Shanghai it starts scheduledCentreCheck, which checks the previous Shanghai day. Each worker creates
// it when it starts, or updates it to its own configuration: two workers of one deployment write the same.

export function centreCheckSchedule(config: Config) {
  const taskQueue = config.TEMPORAL_TASK_QUEUE;
  return {
    scheduleId: centreCheckScheduleId(taskQueue),
    spec: { calendars: [scheduleTime(config.CENTRE_CHECK_AT)], timezone: 'Asia/Shanghai' },
    action: {
      type: 'startWorkflow' as const,
      workflowType: 'scheduledCentreCheck',
      // the Schedule appends the scheduled time to this ID; the day's own check is the child it starts
      workflowId: `centre-check-${taskQueue}-scheduled`,
      taskQueue,
      args: [centreCheckOptions(config)],
    },
    policies: {
      // the trigger only starts the day's check and ends: a second one at the same time has nothing to add
      overlap: ScheduleOverlapPolicy.SKIP,
      // Temporal down at CENTRE_CHECK_AT: the run is made up when it is back within a day
      catchupWindow: '1 day',
    },
  } satisfies ScheduleOptions;
}

/** Creates the Schedule, or, when it exists, updates its spec, action and policies (paused stays paused). */
export async function ensureCentreCheckSchedule(client: Client, config: Config, log: Logger): Promise<'created' | 'updated'> {
  const options = centreCheckSchedule(config);
  try {
    await client.schedule.create(options);
    log.info({ scheduleId: options.scheduleId, at: config.CENTRE_CHECK_AT }, 'centre-check schedule created');
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  await client.schedule
    .getHandle(options.scheduleId)
    .update((previous) => ({ ...previous, spec: options.spec, action: options.action, policies: { ...previous.policies, ...options.policies } }));
  log.info({ scheduleId: options.scheduleId, at: config.CENTRE_CHECK_AT }, 'centre-check schedule updated');
  return 'updated';
}
