import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** The files of a job's report: what it found, for people, and for a textfile collector. */
export const REPORT_FILES = { json: 'report.json', html: 'report.html', metrics: 'metrics.prom' } as const;

/**
 * Writes the three files of a report into `dir`, each through a temporary file and a rename, so a reader
 * (a browser, a textfile collector) never sees half a file. Returns their paths.
 */
export async function writeReportFiles(dir: string, contents: { readonly json: string; readonly html: string; readonly metrics: string }): Promise<string[]> {
  const target = resolve(dir);
  await mkdir(target, { recursive: true });
  const written: string[] = [];
  for (const key of ['json', 'html', 'metrics'] as const) {
    const path = join(target, REPORT_FILES[key]);
    const temporary = `${path}.tmp-${process.pid}`;
    await writeFile(temporary, contents[key]);
    await rename(temporary, path);
    written.push(path);
  }
  return written;
}
