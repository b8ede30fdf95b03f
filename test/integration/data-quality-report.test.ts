import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/stack.js';

// Needs the local stack (the report is made by the real CLI over the last 24 hours), Debian's Chromium
// (/usr/bin/chromium: `apt-get install -y chromium`) and the npm package playwright-core (which drives
// that Chromium; it downloads no browser). Both missing ones fail the test with the fix in the message.
const execFileAsync = promisify(execFile);
const CHROMIUM = process.env['STREAMREC_CHROMIUM'] ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** Where the screenshot stays for a person to look at (git-ignored). */
const SCREENSHOT = join(repoRoot, '.stack', 'test-results', 'data-quality-report.png');

interface Browser {
  newPage(): Promise<Page>;
  close(): Promise<void>;
}
interface Page {
  on(event: 'console', listener: (message: { type(): string; text(): string }) => void): void;
  on(event: 'pageerror', listener: (error: Error) => void): void;
  on(event: 'request', listener: (request: { url(): string }) => void): void;
  setViewportSize(size: { width: number; height: number }): Promise<void>;
  goto(url: string, options: { waitUntil: 'load' }): Promise<unknown>;
  $$(selector: string): Promise<{ boundingBox(): Promise<{ width: number; height: number } | null> }[]>;
  evaluate<T>(script: string): Promise<T>;
  screenshot(options: { fullPage: boolean; type: 'png' }): Promise<Buffer>;
}
interface PlaywrightCore {
  chromium: { launchPersistentContext(userDataDir: string, options: { executablePath: string; headless: boolean; args: string[] }): Promise<Browser> };
}

/** Fails the test (it must not skip) when Debian's Chromium is missing. */
function requireChromium(): void {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}: apt-get install -y chromium (infra/local/install.sh installs it), or set STREAMREC_CHROMIUM`);
}

function loadPlaywright(): PlaywrightCore {
  try {
    // CommonJS resolution also honours NODE_PATH (a scratch install until the devDependency is added).
    return createRequire(import.meta.url)('playwright-core') as PlaywrightCore;
  } catch (cause) {
    throw new Error('playwright-core is not installed: add the devDependency "playwright-core": "1.65.2" (npm install), or for now run with NODE_PATH pointing at a scratch node_modules that has it', { cause });
  }
}

describe('data-quality report in a headless browser', () => {
  let dir: string;
  let html: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dq-report-'));
    await execFileAsync(process.execPath, ['--import', 'tsx', 'jobs/dq/src/cli.ts', 'run', '--out-dir', dir, '--no-record'], { cwd: repoRoot, timeout: 120_000 }).catch((error: unknown) => {
      // exit 1 means a check failed, which still wrote the report
      if ((error as { code?: unknown }).code !== 1) throw error;
    });
    html = join(dir, 'report.html');
  });

  afterAll(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('renders every chart with a size, logs no console error, loads nothing from outside and screenshots', async () => {
    requireChromium();
    const { chromium } = loadPlaywright();
    const profile = await mkdtemp(join(tmpdir(), 'dq-chromium-'));
    // the fresh profile is playwright's --user-data-dir; headless: true is its --headless
    const browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS.filter((flag) => flag !== '--headless') });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('request', (request) => requests.push(request.url()));
      // a laptop screen
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });

      const charts = await page.$$('figure.chart svg');
      const expected = ((await readFile(html, 'utf8')).match(/<figure class="chart"/g) ?? []).length;
      expect(expected).toBeGreaterThanOrEqual(9);
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

      const png = await page.screenshot({ fullPage: true, type: 'png' });
      expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expect(png.length).toBeGreaterThan(50_000);
      // IHDR: width and height of the page
      expect(png.readUInt32BE(16)).toBe(1280);
      expect(png.readUInt32BE(20)).toBeGreaterThan(2_000);
      await mkdir(join(repoRoot, '.stack', 'test-results'), { recursive: true });
      await writeFile(SCREENSHOT, png);
    } finally {
      await browser.close();
      await rm(profile, { recursive: true, force: true });
    }
  });

  it("is read the same by Chromium's own command line (--dump-dom): every chart is in the rendered DOM", async () => {
    requireChromium();
    const profile = await mkdtemp(join(tmpdir(), 'dq-chromium-'));
    try {
      const { stdout } = await execFileAsync(CHROMIUM, [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, '--dump-dom', pathToFileURL(html).href], { timeout: 60_000, maxBuffer: 32 * 1024 * 1024 });
      const source = await readFile(html, 'utf8');
      expect((stdout.match(/<svg /g) ?? []).length).toBe((source.match(/<svg /g) ?? []).length);
      expect(stdout).toContain('Data quality');
    } finally {
      await rm(profile, { recursive: true, force: true });
    }
  });
});
