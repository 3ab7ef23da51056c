import got from 'got';
import { formatDate } from '../../protocol/shanghai-time';
import { apiClient } from '../helpers/api-client';
import { startStack, type Stack } from '../helpers/stack';
import { launch, text, type TestBrowser } from './browser';

// The daily centre check in the finance console's review queue, in a real browser: a day whose check found an
// amount that differs shows the order with both sides (ours, the centre's), Chinese first, English beside.
let stack: Stack;
let b: TestBrowser;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startStack();
  api = apiClient(stack.api.url);
  b = await launch();
}, 180_000);

afterAll(async () => {
  await b?.close();
  await stack?.close();
});

test("the review queue lists the day's centre-check difference with both sides", async () => {
  const orderNo = await api.settle(stack.sim.platform.issueToken('employee'), '801874939', '123.45');
  await api.until(orderNo, (v) => v.status === 'PAID');
  await got.post(`${stack.sim.url}/__sim/centre/differences`, { json: { orderNo, kind: 'amount', deltaFen: 100 } });
  const date = formatDate(Date.now());
  let r = await api.call('post', '/api/centre-checks', { date });
  for (let i = 0; i < 60 && r.body.status === 'running'; i++) {
    await new Promise((res) => setTimeout(res, 500));
    r = await api.call('get', `/api/centre-checks?date=${date}`);
  }
  expect(r.body.status).toBe('finished');

  const { page } = b;
  await page.goto(`${stack.api.url}/console`, { waitUntil: 'domcontentloaded' });
  const row = `#centre-checks tr[data-order-no="${orderNo}"][data-field="medfee"]`;
  await page.waitForSelector(row);
  expect(await text(page, row)).toBe(
    `${orderNo}NATIONAL金额不一致 an amount differs医疗费总额 medfee ¥123.45124.45` + (await text(page, `${row} td:last-child`)),
  );
  expect(await text(page, `#centre-checks .centre-check[data-date="${date}"] h3`)).toMatch(/^已完成 finished .* 1 差异 differences$/);
  expect(b.errors).toEqual([]);
  await b.screenshot('console-centre-check.png');
});
