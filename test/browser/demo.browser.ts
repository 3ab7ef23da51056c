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
  // Test persons from the simulator, national and 五期 alike.
  await page.waitForSelector('#persons button[data-person="employee"]');
  expect(await page.$eval('#persons button[data-person="cadre"]', (e: any) => [e.disabled, e.dataset.route])).toEqual([false, 'WUQI']);

  await page.$eval('#medfee', (e: any) => void (e.value = ''));
  await page.type('#medfee', '120.00');
  await page.click('#persons button[data-person="employee"]');
  // The e-voucher QR code, drawn by the qrcode library as SVG, for the code the simulator issued.
  await page.waitForSelector('#qr svg path');
  const qrText = await text(page, '#qr-text');
  expect(qrText.length).toBeGreaterThan(10);
  expect(await text(page, '#pay')).toContain('120.00');
  expect(await page.$eval('#wuqi-bill-label', (e: any) => e.hidden as boolean)).toBe(true); // no 五期 bill for a national person

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

const FINAL = ['REFUNDED', 'REFUND_FAILED', 'NEEDS_REVIEW'].map((x) => `#status[data-status="${x}"]`).join(', ');

test.each([
  ['cadre', 'SH02', 'scanned'],
  ['mutual-aid', 'SI12', 'typed in'],
])(
  'a 五期 person (%s, %s bill) pays; the refund is refused for the old token (ECTOKEN_REFUSED), and a fresh e-voucher (%s) refunds',
  async (personId, billType, entry) => {
    const { page } = b;
    const calls: Array<{ url: string; body: any }> = [];
    const onRequest = (r: any) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname.startsWith('/api/settlements'))
        calls.push({ url: new URL(r.url()).pathname, body: JSON.parse(r.postData() ?? 'null') });
    };
    page.on('request', onRequest);
    const settings = stack.sim.platform.settings;
    try {
      await page.goto(`${stack.api.url}/demo`, { waitUntil: 'domcontentloaded' });
      await page.waitForSelector(`#persons button[data-person="${personId}"]`);
      await page.$eval('#medfee', (e: any) => void (e.value = ''));
      await page.type('#medfee', '80');
      await page.click(`#persons button[data-person="${personId}"]`);
      await page.waitForSelector('#qr svg path');
      expect(await page.$eval('#wuqi-bill-label', (e: any) => e.hidden as boolean)).toBe(false);
      await page.select('#wuqi-bill', billType);
      await page.click('#pay');
      await page.waitForSelector('#status[data-status="PAID"], #status[data-status="FAILED"], #status[data-status="NEEDS_REVIEW"]', { timeout: 30_000 });
      expect(await text(page, '#status')).toBe('PAID');
      const orderNo = await text(page, '#order-no');
      // the page sent the 五期 bill of the chosen type for the whole fee, in 数字格式A
      const start = calls.find((c) => c.url === '/api/settlements')!.body;
      expect(start.wuqiPayRequest.type).toBe(billType);
      expect(start.payRequest.medfee_sumamt).toBe('80.00');
      const api = apiClient(stack.api.url);
      const paid = (await api.get(orderNo)).body;
      expect(paid).toMatchObject({ status: 'PAID', route: 'WUQI', wuqi: { type: billType } });
      expect(await text(page, '#amt-fund')).toBe(`¥${paid.wuqi.fund}`);
      expect(await text(page, '#amt-cash')).toBe(`¥${paid.wuqi.cash}`);

      // days later: the payment's token has expired, and this centre refuses old tokens for SK01
      settings.sk01RefusesExpiredTokens = true;
      expect(stack.sim.platform.expireTokens()).toBeGreaterThan(0);
      await page.waitForSelector('#refund:not([hidden])');
      await page.click('#refund');
      await page.waitForSelector(FINAL, { timeout: 30_000 });
      expect(await text(page, '#status')).toBe('REFUND_FAILED');
      expect(await text(page, '#status-reason')).toMatch(/^ECTOKEN_REFUSED: .*fresh e-voucher/);
      await page.waitForSelector('#fresh:not([hidden])');
      expect(await page.$eval('#refund-fresh', (e: any) => e.disabled as boolean)).toBe(true); // nothing scanned yet
      const wuqiOrderNo = `${stack.config.wuqiOrgCode}${orderNo.slice(-23)}`;
      const row = () => stack.sim.platform.ledger().settlements.find((x: any) => x.orderNo === wuqiOrderNo);
      expect(row()).toMatchObject({ sk01Count: 1, insuranceRefunded: false });

      // the patient shows a fresh e-voucher; the checkout scans it (or its code is typed in) and asks for the refund again with it
      let fresh: string;
      if (entry === 'scanned') {
        await page.click('#fresh-scan');
        await page.waitForSelector('#fresh-qr svg path');
        fresh = await page.$eval('#fresh-code', (e: any) => e.value as string);
      } else {
        fresh = stack.sim.platform.issueQrCode(personId)!.ecQrCode;
        await page.type('#fresh-code', fresh);
      }
      expect(fresh.length).toBeGreaterThan(10);
      expect(fresh).not.toBe(start.ecQrCode);
      await page.waitForSelector('#refund-fresh:not([disabled])');
      await b.screenshot(`demo-wuqi-fresh-voucher-${billType}.png`);
      await page.click('#refund-fresh');
      await page.waitForSelector('#status[data-status="REFUNDED"], #status[data-status="NEEDS_REVIEW"]', { timeout: 30_000 });
      expect(await text(page, '#status')).toBe('REFUNDED');
      expect(await page.$eval('#fresh', (e: any) => e.hidden as boolean)).toBe(true);
      expect(await text(page, '#message')).toContain('Refunded');

      const refunds = calls.filter((c) => c.url === `/api/settlements/${orderNo}/refund`).map((c) => c.body);
      expect(refunds).toHaveLength(2);
      expect(refunds[0].ecQrCode).toBeUndefined();
      expect(refunds[1]).toMatchObject({ ecQrCode: fresh, ecQrChannel: '3' });
      expect(row()).toMatchObject({ sk01Count: 2, insuranceRefunded: true, cashRefund: { status: '1', amount: paid.wuqi.cash } });
      const v = (await api.get(orderNo)).body;
      expect(v.status).toBe('REFUNDED');
      expect(v.ecToken).toBe(paid.ecToken); // the order keeps its own ecToken; the fresh one went to SK01 only
      expect(b.errors).toEqual([]);
    } finally {
      settings.sk01RefusesExpiredTokens = false;
      page.off('request', onRequest);
    }
  },
);
