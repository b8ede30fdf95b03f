import { cp, mkdir, readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';

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
