import { startStack, type Stack } from '../helpers/stack';
import { launch, type TestBrowser } from './browser';

// The API docs page (Swagger UI from swagger-ui-express) under helmet's CSP, over plain http:
// it must render the operations with no blocked script, style or request.
let stack: Stack;
let b: TestBrowser;

beforeAll(async () => {
  stack = await startStack();
  b = await launch();
}, 180_000);

afterAll(async () => {
  await b?.close();
  await stack?.close();
});

test('/api/docs renders the documented operations under the CSP', async () => {
  const { page } = b;
  await page.goto(`${stack.api.url}/api/docs/`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('#operations-settlements-createSettlement', { timeout: 30_000 });
  expect(await page.$$eval('.opblock', (els: any[]) => els.length)).toBeGreaterThan(10);
  expect(b.errors).toEqual([]);
});
