import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpDom, expectSelfContainedReport, fullPageScreenshot, withReportPage } from '../helpers/headless-browser.js';
import { repoRoot } from '../helpers/stack.js';

// Needs the local stack (the report is made by the real CLI over the last 24 hours), Debian's Chromium and
// the npm package playwright-core (test/helpers/headless-browser.ts): a missing one fails the test with
// the fix in the message.
const execFileAsync = promisify(execFile);
/** Where the screenshot stays for a person to look at (git-ignored). */
const SCREENSHOT = join(repoRoot, '.stack', 'test-results', 'data-quality-report.png');

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
    await withReportPage(html, async (opened) => {
      expect(await expectSelfContainedReport(opened, await readFile(html, 'utf8'))).toBeGreaterThanOrEqual(9);
      const png = await fullPageScreenshot(opened.page, 2_000);
      expect(png.length).toBeGreaterThan(50_000);
      await mkdir(join(repoRoot, '.stack', 'test-results'), { recursive: true });
      await writeFile(SCREENSHOT, png);
    });
  });

  it("is read the same by Chromium's own command line (--dump-dom): every chart is in the rendered DOM", async () => {
    const stdout = await dumpDom(html);
    const source = await readFile(html, 'utf8');
    expect((stdout.match(/<svg /g) ?? []).length).toBe((source.match(/<svg /g) ?? []).length);
    expect(stdout).toContain('Data quality');
  });
});
