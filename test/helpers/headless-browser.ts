/**
 * Opens a report page in headless Chromium (Debian's /usr/bin/chromium, or STREAMREC_CHROMIUM) driven by
 * the npm package playwright-core, which downloads no browser. A missing one fails the test (it must not
 * skip) with the fix in the message.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'vitest';

const execFileAsync = promisify(execFile);
const CHROMIUM = process.env['STREAMREC_CHROMIUM'] ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface BrowserPage {
  on(event: 'console', listener: (message: { type(): string; text(): string }) => void): void;
  on(event: 'pageerror', listener: (error: Error) => void): void;
  on(event: 'request', listener: (request: { url(): string }) => void): void;
  setViewportSize(size: { width: number; height: number }): Promise<void>;
  goto(url: string, options: { waitUntil: 'load' }): Promise<unknown>;
  $$(selector: string): Promise<{ boundingBox(): Promise<{ width: number; height: number } | null> }[]>;
  evaluate<T>(script: string): Promise<T>;
  screenshot(options: { fullPage: boolean; type: 'png' }): Promise<Buffer>;
}
interface BrowserContext {
  newPage(): Promise<BrowserPage>;
  close(): Promise<void>;
}
interface PlaywrightCore {
  chromium: { launchPersistentContext(userDataDir: string, options: { executablePath: string; headless: boolean; args: string[] }): Promise<BrowserContext> };
}

/** A loaded page and what it did while loading: console errors and warnings, page errors, every URL requested. */
export interface OpenedPage {
  readonly page: BrowserPage;
  readonly problems: string[];
  readonly requests: string[];
}

function requireChromium(): void {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}: apt-get install -y chromium (infra/local/install.sh installs it), or set STREAMREC_CHROMIUM`);
}

function launchChromium(profile: string): Promise<BrowserContext> {
  requireChromium();
  let playwright: PlaywrightCore;
  try {
    playwright = createRequire(import.meta.url)('playwright-core') as PlaywrightCore;
  } catch (cause) {
    throw new Error('playwright-core is not installed: the devDependency "playwright-core" (npm install)', { cause });
  }
  // the fresh profile is playwright's --user-data-dir; headless: true is its --headless
  return playwright.chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS.filter((flag) => flag !== '--headless') });
}

/** Loads `htmlFile` on a laptop screen (1280×800) in a fresh profile, hands it to `use`, then closes the browser and removes the profile. */
export async function withReportPage<T>(htmlFile: string, use: (opened: OpenedPage) => Promise<T>): Promise<T> {
  const profile = await mkdtemp(join(tmpdir(), 'report-chromium-'));
  try {
    const browser = await launchChromium(profile);
    try {
      const page = await browser.newPage();
      const opened: OpenedPage = { page, problems: [], requests: [] };
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') opened.problems.push(`${message.type()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => opened.problems.push(`page error: ${error.message}`));
      page.on('request', (request) => opened.requests.push(request.url()));
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(pathToFileURL(htmlFile).href, { waitUntil: 'load' });
      return await use(opened);
    } finally {
      await browser.close();
    }
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}

/** The DOM Chromium's own command line renders from `htmlFile` (--dump-dom), in a fresh profile. */
export async function dumpDom(htmlFile: string): Promise<string> {
  requireChromium();
  const profile = await mkdtemp(join(tmpdir(), 'report-chromium-'));
  try {
    const { stdout } = await execFileAsync(CHROMIUM, [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, '--dump-dom', pathToFileURL(htmlFile).href], { timeout: 60_000, maxBuffer: 32 * 1024 * 1024 });
    return stdout;
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}

/**
 * What every report page must be on a laptop screen: each of its charts (`figure.chart` in `source`, the
 * page's HTML) drawn with a real size, no horizontal scrolling, no script, no console error, nothing
 * loaded from outside. Returns how many charts the page has.
 */
export async function expectSelfContainedReport({ page, problems, requests }: OpenedPage, source: string): Promise<number> {
  const charts = await page.$$('figure.chart svg');
  const expected = (source.match(/<figure class="chart"/g) ?? []).length;
  expect(charts).toHaveLength(expected);
  for (const chart of charts) {
    const box = await chart.boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(300);
    expect(box?.height ?? 0).toBeGreaterThan(100);
  }
  // fits the screen: no horizontal scrolling
  expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1280);
  expect(await page.evaluate<number>('document.querySelectorAll("script").length')).toBe(0);
  expect(problems).toEqual([]);
  expect(requests.filter((url) => !url.startsWith('file://'))).toEqual([]);
  return expected;
}

/** A full-page screenshot, checked to be a PNG as wide as the screen (1280) and taller than `minHeight`. */
export async function fullPageScreenshot(page: BrowserPage, minHeight: number): Promise<Buffer> {
  const png = await page.screenshot({ fullPage: true, type: 'png' });
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  // IHDR: width and height of the page
  expect(png.readUInt32BE(16)).toBe(1280);
  expect(png.readUInt32BE(20)).toBeGreaterThan(minHeight);
  return png;
}
