import * as fs from 'node:fs';
import * as path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker, type InjectedSinks } from '@temporalio/worker';
import type { Outcome, OutcomeSinks } from '../../activities/report-activities';
import { quietRuntime, workflowBundle } from '../helpers/stack';

// Recorded histories of every workflow path replay against today's workflow code: a
// non-deterministic change fails here. Re-record deliberately with `npm run record-histories`;
// the set recorded before a patched change moves to a folder of its own and keeps replaying, as
// orders started on the old code would.
const dir = path.join(__dirname, 'histories');
const BEFORE_SINK = 'before-outcome-sink';
const files = [...fs.readdirSync(dir), ...fs.readdirSync(path.join(dir, BEFORE_SINK)).map((f) => path.join(BEFORE_SINK, f))].filter((f) => f.endsWith('.json'));

beforeAll(() => quietRuntime());

test('there are recorded histories to replay', () => {
  expect(files.length).toBeGreaterThanOrEqual(10);
});

/** An outcome sink that records every call, with whether its task was replaying (a replay worker drops the worker's real sink). */
function recordingSinks(): { sinks: InjectedSinks<OutcomeSinks>; reported: Array<Outcome & { replaying: boolean }> } {
  const reported: Array<Outcome & { replaying: boolean }> = [];
  const fn = (info: { unsafe: { isReplayingHistoryEvents: boolean } }, a: Outcome) => void reported.push({ ...a, replaying: info.unsafe.isReplayingHistoryEvents });
  return { reported, sinks: { outcome: { report: { fn, callDuringReplay: true } } } };
}

test.each(files)('%s replays deterministically', async (file) => {
  const history = historyFromJSON(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')));
  await expect(Worker.runReplayHistory({ workflowBundle: await workflowBundle(), sinks: recordingSinks().sinks }, history, file)).resolves.toBeUndefined();
});

test('an order recorded before the outcome sink (patch outcome-sink) replays its local-activity reports, and reports through the sink from its first new task', async () => {
  // this history ends with a task not yet completed: the refund's result, which the order then reports
  const history = historyFromJSON(JSON.parse(fs.readFileSync(path.join(dir, BEFORE_SINK, 'settlement-paid-refunded.json'), 'utf8')));
  const { sinks, reported } = recordingSinks();
  await Worker.runReplayHistory({ workflowBundle: await workflowBundle(), sinks }, history, 'pre-sink');
  // PAID was reported by the recorded local activity (its marker replays); the refund's report is new work
  expect(reported.map((r) => [r.status, r.replaying])).toEqual([['REFUNDED', false]]);
});

test('a non-deterministic change is caught', async () => {
  const { bundleWorkflowCode, DefaultLogger } = await import('@temporalio/worker');
  const mutated = await bundleWorkflowCode({ workflowsPath: require.resolve('./fixtures/mutated-workflows'), logger: new DefaultLogger('ERROR') });
  const history = historyFromJSON(JSON.parse(fs.readFileSync(path.join(dir, 'settlement-pay-failed.json'), 'utf8')));
  await expect(Worker.runReplayHistory({ workflowBundle: mutated }, history, 'mutated')).rejects.toThrow(/[Nn]ondetermin|DeterminismViolation/);
});

describe('decisions read the history, never the task clock', () => {
  // SDK 1.24.0 can give a task another Date.now() on replay than on its first run (workflows/clock.ts);
  // so every recorded path must replay the same when each Date.now() in workflows/ jumps by hours.
  let skewed: Awaited<ReturnType<typeof workflowBundle>>;
  beforeAll(async () => {
    const { bundleWorkflowCode, DefaultLogger } = await import('@temporalio/worker');
    const workflowsDir = path.resolve(__dirname, '../../workflows');
    skewed = await bundleWorkflowCode({
      workflowsPath: require.resolve('../../workflows'),
      logger: new DefaultLogger('ERROR'),
      webpackConfigHook: (config) => {
        config.module?.rules?.push({ test: (f: string) => f.startsWith(workflowsDir), enforce: 'post', use: [require.resolve('./fixtures/skew-date-loader')] });
        return config;
      },
    });
  });

  test('the skewed Date is bundled into the workflows', async () => {
    expect(skewed.code).toContain('SkewedDate');
  });

  test.each(files)('%s replays with a skewed Date.now()', async (file) => {
    const history = historyFromJSON(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')));
    await expect(Worker.runReplayHistory({ workflowBundle: skewed, sinks: recordingSinks().sinks }, history, file)).resolves.toBeUndefined();
  });
});
