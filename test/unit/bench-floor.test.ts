import { WORKFLOWS_PATH } from '../../worker/create-worker';
import * as benchEntry from '../system/bench-floor/workflows';

// Issue 21: the bench's floor workflow is registered by the bench only. The production bundle is
// built from WORKFLOWS_PATH (the worker's default, scripts/build-workflow-bundle.ts's default); the
// bench builds its own from test/system/bench-floor/workflows.ts.
test('the production workflow entry has no floor; the bench entry has the floor and every production workflow', () => {
  const production = Object.keys(require(WORKFLOWS_PATH) as object);
  expect(production).toContain('settlement');
  expect(production).not.toContain('floor');
  expect(Object.keys(benchEntry).sort()).toEqual([...production, 'floor'].sort());
});
