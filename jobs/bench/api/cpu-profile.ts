/**
 * Self time by function of V8 .cpuprofile files (what `node --cpu-prof` writes).
 *
 *   npx tsx jobs/bench/api/cpu-profile.ts FILE_OR_DIR... [--top N] [--by function|file] [--json]
 *
 * Entries are keyed by function name + url, not line: code loaded through tsx reports line 1 for everything.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '@streamrec/foundation/process';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
}

export interface SelfTimeEntry {
  readonly function: string;
  readonly location: string;
  readonly selfMs: number;
  readonly share: number;
}

export type Grouping = 'function' | 'file';

/** Self time (µs of samples whose leaf is the node) summed per function name + url (or per url), largest first. */
export function selfTime(profiles: readonly CpuProfile[], by: Grouping = 'function'): { totalMs: number; entries: SelfTimeEntry[] } {
  const totals = new Map<string, { fn: string; location: string; micros: number }>();
  let all = 0;
  for (const profile of profiles) {
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    const samples = profile.samples ?? [];
    const deltas = profile.timeDeltas ?? [];
    samples.forEach((id, index) => {
      // A sample's time is the delta to the next sample (the last one gets the mean).
      const micros = Math.max(0, deltas[index + 1] ?? (profile.endTime - profile.startTime) / Math.max(1, samples.length));
      const frame = byId.get(id)?.callFrame;
      if (frame === undefined) return;
      const location = frame.url === '' ? '' : shortUrl(frame.url);
      const fn = by === 'file' ? (location === '' ? frame.functionName : '*') : frame.functionName === '' ? '(anonymous)' : frame.functionName;
      const key = `${fn}\u0000${location}`;
      const entry = totals.get(key) ?? { fn, location, micros: 0 };
      entry.micros += micros;
      totals.set(key, entry);
      all += micros;
    });
  }
  const entries = [...totals.values()]
    .sort((a, b) => b.micros - a.micros)
    .map((entry) => ({ function: entry.fn, location: entry.location, selfMs: Math.round(entry.micros / 1_000), share: Number((entry.micros / Math.max(1, all)).toFixed(4)) }));
  return { totalMs: Math.round(all / 1_000), entries };
}

function shortUrl(url: string): string {
  const path = url.startsWith('file://') ? url.slice('file://'.length) : url;
  const nodeModules = path.lastIndexOf('/node_modules/');
  if (nodeModules >= 0) return path.slice(nodeModules + 1);
  return path.startsWith(repoRoot) ? relative(repoRoot, path) : path;
}

async function profileFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    if ((await stat(path)).isDirectory()) files.push(...(await readdir(path)).filter((name) => name.endsWith('.cpuprofile')).map((name) => join(path, name)));
    else files.push(path);
  }
  return files;
}

const isMain = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'));
if (isMain) {
  const usage = `Self time by function (or by file) of V8 CPU profiles (.cpuprofile: node --cpu-prof, bench:api --cpu-prof DIR, bench:serve-cpu)

  npx tsx jobs/bench/api/cpu-profile.ts FILE_OR_DIR... [--top N] [--by function|file] [--json]

  FILE_OR_DIR     .cpuprofile files, or directories whose .cpuprofile files are read (summed)
  --top N         rows shown (default 25)
  --by KEY        function (default) or file
  --json          the rows as JSON instead of a table
  --help          this text
`;
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string', default: '25' }, by: { type: 'string', default: 'function' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
  });
  if (values.help) {
    process.stdout.write(usage);
    process.exit(0);
  }
  if (positionals.length === 0 || (values.by !== 'function' && values.by !== 'file') || !(Number(values.top) > 0)) {
    process.stderr.write(`${positionals.length === 0 ? 'no profile given' : `--by must be function or file, --top a positive number`}\n\n${usage}`);
    process.exit(2);
  }
  const files = await profileFiles(positionals);
  const profiles = await Promise.all(files.map(async (file) => JSON.parse(await readFile(file, 'utf8')) as CpuProfile));
  const { totalMs, entries } = selfTime(profiles, values.by === 'file' ? 'file' : 'function');
  const top = entries.slice(0, Number(values.top));
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ files, totalMs, top }, null, 2)}\n`);
  } else {
    process.stdout.write(`${files.length} profile(s), ${totalMs} ms sampled\n  self ms   share  function  location\n`);
    for (const entry of top) process.stdout.write(`${String(entry.selfMs).padStart(9)}  ${(entry.share * 100).toFixed(1).padStart(5)}%  ${entry.function}  ${entry.location}\n`);
  }
}
