import { cp, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export const REPORT_FILES = { json: 'report.json', html: 'report.html', metrics: 'metrics.prom' } as const;

/**
 * Writes the three files of a run into `dir`, each through a temporary file and a rename, so a reader
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

/** Copies a run's directory to historyDir/<name> and removes the oldest copies beyond `keep` (names sort by time). */
export async function keepHistoryCopy(fromDir: string, historyDir: string, name: string, keep: number): Promise<string> {
  const history = resolve(historyDir);
  const copy = join(history, name);
  await mkdir(history, { recursive: true });
  await cp(resolve(fromDir), copy, { recursive: true });
  const copies = (await readdir(history, { withFileTypes: true })).filter((entry) => entry.isDirectory() && entry.name.startsWith('dq-')).map((entry) => entry.name).sort();
  for (const old of copies.slice(0, Math.max(0, copies.length - keep))) await rm(join(history, old), { recursive: true, force: true });
  return copy;
}
