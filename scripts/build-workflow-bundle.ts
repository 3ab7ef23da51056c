import * as fs from 'node:fs';
import * as path from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { WORKFLOW_INTERCEPTOR_MODULES, WORKFLOWS_PATH } from '../worker/create-worker';

// Prebuilds the workflow bundle; the worker uses it when WORKFLOW_BUNDLE_PATH points at it.
// Usage: build-workflow-bundle.ts [out] [entry]; the entry defaults to the production workflows (the
// bench passes test/system/bench-floor/workflows.ts, which adds its floor).
async function main() {
  const out = path.resolve(process.argv[2] ?? 'dist/workflow-bundle.js');
  const entry = process.argv[3] ? path.resolve(process.argv[3]) : WORKFLOWS_PATH;
  const { code } = await bundleWorkflowCode({
    workflowsPath: entry,
    workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
    logger: new DefaultLogger('WARN'),
  });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, code);
  process.stdout.write(`workflow bundle: ${out} (${(code.length / 1024).toFixed(0)} KiB)\n`);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
