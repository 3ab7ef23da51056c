import * as fs from 'node:fs';
import { apiClient } from '../helpers/api-client';
import { startStack, type Stack } from '../helpers/stack';
import { launch, text, type TestBrowser } from './browser';

// The checkout demo in a real browser: person -> e-voucher QR -> PAID -> REFUNDED, through the public API.
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

test('the demo page walks a patient from the e-voucher to PAID and then REFUNDED', async () => {
  const { page } = b;
  const calls: string[] = [];
  page.on('request', (r: any) => calls.push(`${r.method()} ${new URL(r.url()).pathname}`));
  await page.goto(`${stack.api.url}/demo`, { waitUntil: 'domcontentloaded' });
  // Test persons from the simulator; 五期 persons cannot pay with the national bill here.
  await page.waitForSelector('#persons button[data-person="employee"]');
  expect(await page.$eval('#persons button[data-person="cadre"]', (e: any) => e.disabled as boolean)).toBe(true);

  await page.$eval('#medfee', (e: any) => void (e.value = ''));
  await page.type('#medfee', '120.00');
  await page.click('#persons button[data-person="employee"]');
  // The e-voucher QR code, drawn by the qrcode library as SVG, for the code the simulator issued.
  await page.waitForSelector('#qr svg path');
  const qrText = await text(page, '#qr-text');
  expect(qrText.length).toBeGreaterThan(10);
  expect(await text(page, '#pay')).toContain('120.00');

  await page.click('#pay');
  await page.waitForSelector('#status[data-status="PAID"]', { timeout: 30_000 });
  const orderNo = await text(page, '#order-no');
  expect(orderNo).toMatch(/^H31011000053\d{23}$/);
  expect(await text(page, '#amt-medfee')).toBe('¥120.00');
  expect(await text(page, '#amt-fund')).toBe('¥84.00'); // employee: the fund pays 70 %
  expect(await text(page, '#amt-cash')).toBe('¥36.00');
  expect(await text(page, '#timeline')).toContain('SE01_DECODED');
  expect(await text(page, '#message')).toContain('Paid');
  await b.screenshot('demo-paid.png');

  // The page paid through the public API: the same order, PAID, as any checkout would see it.
  const api = apiClient(stack.api.url);
  const paid = (await api.get(orderNo)).body;
  expect(paid).toMatchObject({ status: 'PAID', medfeeSumamt: '120.00' });
  expect(paid.events.map((e: any) => e.type)).toContain('SE01_DECODED'); // it started from the QR code

  await page.waitForSelector('#refund:not([hidden])');
  await page.click('#refund');
  await page.waitForSelector('#status[data-status="REFUNDED"]', { timeout: 30_000 });
  expect(await text(page, '#message')).toContain('Refunded');
  expect(await page.$eval('#refund', (e: any) => e.hidden as boolean)).toBe(true);
  expect(await text(page, '#timeline')).toContain('REFUND_REQUESTED');
  const file = await b.screenshot('demo-refunded.png');
  expect(fs.statSync(file).size).toBeGreaterThan(10_000);

  const ledger = stack.sim.platform.ledger().settlements.find((s: any) => s.orderNo === orderNo);
  expect(ledger).toMatchObject({ status: 'PAID', insuranceRefunded: true, medfee: '120.00' });
  expect((await api.get(orderNo)).body.status).toBe('REFUNDED');
  // The page loaded the typed client's runtime as a module and made its /api calls through it.
  expect(calls).toContain('GET /demo/assets/openapi-fetch.mjs');
  expect(calls).toEqual(expect.arrayContaining(['POST /api/settlements', `GET /api/settlements/${orderNo}`, `POST /api/settlements/${orderNo}/refund`]));
  expect(b.errors).toEqual([]);
});
