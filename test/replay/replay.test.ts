import * as fs from 'node:fs';
import * as path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { quietRuntime, workflowBundle } from '../helpers/stack';

// Recorded histories of every workflow path replay against today's workflow code: a
// non-deterministic change fails here. Re-record deliberately with `npm run record-histories`.
const dir = path.join(__dirname, 'histories');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));

beforeAll(() => quietRuntime());

test('there are recorded histories to replay', () => {
  expect(files.length).toBeGreaterThanOrEqual(5);
});

test.each(files)('%s replays deterministically', async (file) => {
  const history = historyFromJSON(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')));
  await expect(Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, file)).resolves.toBeUndefined();
});

test("the workflow bundle holds no activity or simulator code (routes/activities.ts finds the routes' parts by name: never from here)", async () => {
  const { code } = await workflowBundle();
  expect(code).toContain('routes/index.ts');
  expect(code).toContain('routes/wuqi/day-close-rules.ts');
  const modules = [...code.matchAll(/\.\/((?:routes|activities|simulator)\/[\w/-]+\.ts)/g)].map((m) => m[1]!);
  expect(new Set(modules).size).toBeGreaterThanOrEqual(8); // the routes' workflow-safe parts
  expect(modules.filter((m) => /^routes\/activities\.ts$|^routes\/[\w-]+\/(activities|day-close|centre)\.ts$|\/simulator\//.test(m))).toEqual([]);
  expect(code).not.toMatch(/node_modules\/@temporalio\/activity\//);
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
    await expect(Worker.runReplayHistory({ workflowBundle: skewed }, history, file)).resolves.toBeUndefined();
  });
});
