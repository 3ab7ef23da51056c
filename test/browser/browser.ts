import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

/** Screenshots and downloads of the browser tests (git-ignored). */
export const OUTPUT_DIR = path.resolve(__dirname, '../../test-output/browser');

/** Debian's chromium (apt-get install chromium); CHROMIUM_PATH overrides. Nothing is downloaded. */
export function chromiumPath(): string {
  const p = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(p)) throw new Error(`no browser at ${p}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  return p;
}

export interface TestBrowser {
  browser: Browser;
  page: Page;
  /** Messages the page logged as errors, and failed page scripts. */
  errors: string[];
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/** launch({ expectedStatus }) says which HTTP error answers a test provokes on purpose (e.g. 401). */
export async function launch(opts: { expectedStatus?: (status: number) => boolean } = {}): Promise<TestBrowser> {
  const expectedStatus = opts.expectedStatus ?? (() => false);
  fs.mkdirSync(OUTPUT_DIR, { recursive: true });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'shyb-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${profile}`,
    ],
    defaultViewport: { width: 1280, height: 900 },
  });
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${(e as Error).message}`));
  page.on('console', (m) => {
    // failed loads are reported below, with their URL
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(`console: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !expectedStatus(r.status())) errors.push(`HTTP ${r.status()} ${r.request().method()} ${r.url()}`);
  });
  return {
    browser,
    page,
    errors,
    async screenshot(name) {
      const file = path.join(OUTPUT_DIR, name);
      await page.screenshot({ path: file as `${string}.png`, fullPage: true });
      return file;
    },
    async close() {
      await browser.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The text of an element, trimmed. */
export function text(page: Page, selector: string): Promise<string> {
  return page.$eval(selector, (e) => (e.textContent ?? '').trim());
}
