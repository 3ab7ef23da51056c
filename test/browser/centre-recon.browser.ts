import { CentreReconciliations } from '../../api/centre-reconciliation';
import { formatDate } from '../../protocol/shanghai-time';
import { sampleWuqiBill } from '../../routes/wuqi/simulator/samples';
import { apiClient } from '../helpers/api-client';
import { startStack, type Stack } from '../helpers/stack';
import { launch, text, type TestBrowser } from './browser';

// 中心日终对账 in the finance console's 对账 view, in a real browser (CENTRE_RECONCILIATION=send): after the day is
// sent, each 3201 group shows ours beside the centre's stmt_rslt, SL01 its resultcollate, and no discrepancy.
let stack: Stack;
let b: TestBrowser;

beforeAll(async () => {
  stack = await startStack({ CENTRE_RECONCILIATION: 'send' });
  const api = apiClient(stack.api.url);
  const n = await api.settle(stack.sim.platform.issueToken('employee'), '801874939', '123.45');
  const w = await api.settle(stack.sim.platform.issueToken('mutual-aid'), '801874940', '100.00', { wuqiPayRequest: sampleWuqiBill('SI12', '88.80') });
  await api.until(n, (v) => v.status === 'PAID');
  await api.until(w, (v) => v.status === 'PAID');
  await new CentreReconciliations(stack.api.service.client, stack.config).start(formatDate(Date.now()), 60_000);
  b = await launch();
}, 180_000);

afterAll(async () => {
  await b?.close();
  await stack?.close();
});

test("the day close shows ours beside the centre's answer per group, SL01 passed, no discrepancy", async () => {
  const { page } = b;
  await page.goto(`${stack.api.url}/console#recon`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('#centre-recon tr[data-group]');
  expect(await page.$eval('#centre-recon tr[data-group]', (e: any) => e.dataset.stmtRslt)).toBe('0');
  expect(await text(page, '#centre-recon tr[data-group]')).toContain('123.45');
  expect(await page.$eval('#centre-recon .sl01', (e: any) => e.dataset.resultcollate)).toBe('2');
  expect(await text(page, '#centre-recon')).toContain('无差异 · No discrepancy.');
  expect(b.errors).toEqual([]);
});
