import got from 'got';
import { apiClient } from '../helpers/api-client';
import { startStack, type Stack } from '../helpers/stack';
import { launch, text, type TestBrowser } from './browser';

// 问中心 Ask the centre in the finance console, in a real browser: on a PAID national order found by search, the
// centre's record beside ours, agreeing; then with an amount injected in the simulator, the differing rows marked.
let stack: Stack;
let b: TestBrowser;
let api: ReturnType<typeof apiClient>;
let orderNo: string;

beforeAll(async () => {
  stack = await startStack();
  api = apiClient(stack.api.url);
  orderNo = await api.settle(stack.sim.platform.issueToken('employee'), '801874939', '123.45');
  await api.until(orderNo, (v) => v.status === 'PAID');
  b = await launch();
}, 180_000);

afterAll(async () => {
  await b?.close();
  await stack?.close();
});

async function askFromSearch() {
  const { page } = b;
  await page.goto(`${stack.api.url}/console`, { waitUntil: 'domcontentloaded' });
  await page.select('#search-by', 'orderNo');
  await page.type('#search-text', orderNo);
  await page.click('#search-form button[type=submit]');
  await page.waitForSelector('#order-detail:not([hidden]) button.ask-centre');
  await page.click('#order-detail button.ask-centre');
  await page.waitForSelector('#centre-answer table');
}

test('the order detail asks the centre and shows its record beside ours, agreeing', async () => {
  await askFromSearch();
  const { page } = b;
  expect(await page.$eval('#centre-answer [data-agrees]', (e: any) => e.dataset.agrees)).toBe('true');
  expect(await text(page, '#centre-answer [data-agrees]')).toMatch(/agrees · asked 5203 msgid/);
  expect(await text(page, '#centre-answer tr[data-field="medfee"]')).toBe('medfee ¥123.45123.45');
  // the search result row has the button too
  expect(await page.$(`#search-table tr[data-order-no="${orderNo}"] button.ask-centre`)).not.toBeNull();
  expect(b.errors).toEqual([]);
});

test('an amount the centre holds otherwise is marked in its row', async () => {
  await got.post(`${stack.sim.url}/__sim/centre/differences`, { json: { orderNo, kind: 'amount', deltaFen: 100 } });
  await askFromSearch();
  const { page } = b;
  expect(await page.$eval('#centre-answer [data-agrees]', (e: any) => e.dataset.agrees)).toBe('false');
  const differs = await page.$$eval('#centre-answer tr[data-differs="true"]', (rows: any[]) => rows.map((r) => r.dataset.field));
  expect(differs).toEqual(['medfee', 'cash']);
  expect(await text(page, '#centre-answer tr[data-field="medfee"]')).toBe('medfee ¥123.45124.45');
  await b.screenshot('console-centre.png');
});
