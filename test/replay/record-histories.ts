import * as fs from 'node:fs';
import * as path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { freePort, startDevServer } from '../../scripts/dev-server';
import { CentreReconciliations } from '../../api/centre-reconciliation';
import { formatDate } from '../../protocol/shanghai-time';
import { sampleWuqiBill } from '../../routes/wuqi/simulator/samples';
import { apiClient } from '../helpers/api-client';
import { startStack } from '../helpers/stack';

// Records one history per workflow path into test/replay/histories/, for the replay test.
// Run after a deliberate workflow change: `npm run record-histories` (or `RECORD_ONLY=<name>,… npm run record-histories`).
// Kept as recorded, never re-recorded (today's code cannot make them): refund-cash.json, refund-wuqi.json,
// settlement-paid-refunded.json and settlement-wuqi-refunded.json, refunds by the refund child before patch
// one-refund-model; they prove that orders started before it still replay. centre-reconciliation-day.json was
// recorded by the day close before it was route-neutral (bcf108b, which named 3201 and SL01 itself): the
// route-neutral one must schedule the same activities in the same order.
async function main() {
  const server = await startDevServer({ port: await freePort(), headless: true });
  process.env.TEMPORAL_TEST_ADDRESS = server.address;
  // plain payloads: the committed fixtures must replay without a key
  const stack = await startStack({ PAYLOAD_ENCRYPTION: 'off', CENTRE_RECONCILIATION: 'send' });
  const api = apiClient(stack.api.url);
  const out = path.join(__dirname, 'histories');
  // RECORD_ONLY=a,b: record just these (the others stay as recorded, to prove older histories still replay)
  const only = process.env.RECORD_ONLY?.split(',');
  const save = async (name: string, workflowId: string) => {
    if (only && !only.includes(name)) return;
    const history = await stack.api.service.client.workflow.getHandle(workflowId).fetchHistory();
    fs.writeFileSync(path.join(out, `${name}.json`), historyToJSON(history));
    process.stdout.write(`recorded ${name}\n`);
  };
  try {
    const p = stack.sim.platform;
    const paid = await api.settle(p.issueToken('employee'), '801874939', '200.00');
    await api.until(paid, (v) => v.status === 'PAID');
    await api.refund(paid);
    await api.until(paid, (v) => v.status === 'REFUNDED');
    // patch one-refund-model: the refund runs in the order's workflow (no refund child to record)
    await save('settlement-paid-refunded-one-model', paid);

    // SE04 never answers and no push: NEEDS_REVIEW at the (shortened) deadline, then resolved
    p.settings.pushMode = 'off';
    p.faults.add({ kind: 'http5xx', infno: 'SE04' });
    const review = await api.settle(p.issueToken('employee'), '801874939');
    await api.until(review, (v) => v.status === 'NEEDS_REVIEW', 30_000);
    p.faults.clear();
    p.settings.pushMode = 'on';
    await api.resolve(review, { decision: 'FAILED', operator: 'recorder', note: 'replay fixture' });
    await save('settlement-review-resolved', review);

    p.faults.add({ kind: 'http5xx', infno: 'SE02', times: 1 });
    p.settings.pushMode = 'off';
    const resubmit = await api.settle(p.issueToken('employee'), '801874939');
    await api.until(resubmit, (v) => v.status === 'PAID');
    await save('settlement-resubmit-polling', resubmit);

    // a -1 push that SE04 cannot confirm (V13 SE04 has no payStatus): NEEDS_REVIEW at the deadline, resolved FAILED
    p.settings.pushMode = 'on';
    const failed = await api.settle(p.issueToken('pay-fails'), '801874944');
    await api.until(failed, (v) => v.status === 'NEEDS_REVIEW', 30_000);
    await api.resolve(failed, { decision: 'FAILED', operator: 'recorder', note: 'replay fixture' });
    await api.until(failed, (v) => v.status === 'FAILED');
    await save('settlement-pay-failed', failed);

    // 五期 (互助帮困, SI12): PAID by push confirmed by SE04, then SK01 and the platform's own cash refund
    const wuqi = await api.settle(p.issueToken('mutual-aid'), '801874940', '100.00', { wuqiPayRequest: sampleWuqiBill('SI12', '100.00') });
    await api.until(wuqi, (v) => v.status === 'PAID');
    await api.refund(wuqi);
    await api.until(wuqi, (v) => v.status === 'REFUNDED');
    await save('settlement-wuqi-refunded-one-model', wuqi);

    // the day close (send mode) of a day with both routes' settlements and refunds: 3201/3202, then SL01
    const day = await new CentreReconciliations(stack.api.service.client, stack.config).start(formatDate(Date.now()), 90_000);
    if (!day.done) throw new Error('the day close did not finish');
    await save('centre-reconciliation-day', day.view.workflowId);
  } finally {
    await stack.close();
    await server.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
