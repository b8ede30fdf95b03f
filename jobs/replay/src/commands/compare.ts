import type { Redis } from 'ioredis';
import type { StateVersion } from '@streamrec/foundation';
import { compareOffsets, compareVerdict, countByFamily, KeyStatus, setAsideUnbuiltNormalize, type CompareVerdict, type OffsetFieldSummary } from '../domain/diff.js';
import { compareVersionKeys } from '../adapters/redis-compare.js';
import { ROUNDING_TOLERANCE } from '../domain/comparable-value.js';
import { versionOffsets } from '../adapters/redis-versions.js';

export interface CompareOptions {
  readonly a: StateVersion;
  readonly b: StateVersion;
  readonly strictOffsets: boolean;
  /** Values equal only within float rounding count as different. */
  readonly exact: boolean;
  readonly show: number;
}

/** `replay compare`: per key family equal / different / missing, the offsets per stage field, a verdict. */
export async function runCompare(options: CompareOptions, redis: Redis, out: (line: string) => void): Promise<CompareVerdict> {
  const { a, b } = options;
  const [offsetsA, offsetsB] = await Promise.all([versionOffsets(redis, a), versionOffsets(redis, b)]);
  const allOffsets = compareOffsets(offsetsA, offsetsB);
  let lastReport = Date.now();
  const comparisons = await compareVersionKeys(redis, a, b, (done, total) => {
    if (Date.now() - lastReport < 5_000) return;
    lastReport = Date.now();
    out(`  compared ${done} / ${total} common keys`);
  });
  const { families, offsets, setAside } = setAsideUnbuiltNormalize(countByFamily(comparisons), allOffsets);
  const shown = setAside === undefined ? comparisons : comparisons.filter(({ key }) => !key.startsWith('{normalize}:'));

  out(`compare ${a} (a) with ${b} (b): ${comparisons.length} state keys`);
  if (setAside !== undefined) {
    const other = setAside.side === 'a' ? b : a;
    out(`  normalize's state (${setAside.families} key families, ${setAside.offsetFields} offsets fields) set aside: ${other} holds none of it (replay build does not run normalize)`);
  }
  out(`  ${'family'.padEnd(32)} ${'equal'.padStart(9)} ${'different'.padStart(9)} ${'rounding'.padStart(9)} ${'only a'.padStart(9)} ${'only b'.padStart(9)}`);
  for (const [family, counts] of families) {
    const columns = [counts.equal, counts.different, counts.rounding, counts['only-in-a'], counts['only-in-b']].map((count) => String(count).padStart(9));
    out(`  ${family.padEnd(32)} ${columns.join(' ')}`);
  }
  const differing = shown.filter((comparison) => comparison.status !== KeyStatus.Equal && comparison.status !== KeyStatus.Rounding).slice(0, options.show);
  for (const { key, status } of differing) out(`  ${status}: ${key}`);
  out('stored offsets (partitions per stage field):');
  for (const line of offsetLines(offsets)) out(`  ${line}`);
  const verdict = compareVerdict(families, offsets, options.strictOffsets, options.exact);
  if (verdict.rounding) {
    out(`rounding: float values equal within a relative ${ROUNDING_TOLERANCE} only (decayed sums added in another order: item-activity records interleave several producers)${options.exact ? '; --exact counts them as different' : ''}`);
  }
  if (verdict.aMovedPast) {
    out(`note: ${a} has applied records ${b} has not (it moved past ${b}'s snapshot): state differences may be those records, not replay errors; stop ${a}'s writers or re-run compare when the source offsets are equal`);
  }
  const same = verdict.rounding ? 'the same state (some floats within rounding)' : 'the same state';
  out(verdict.equal ? `EQUAL: ${a} and ${b} hold ${same}${verdict.offsetsEqual ? ' and offsets' : ' (offsets differ, see above)'}` : `DIFFERENT: ${a} and ${b} differ`);
  return verdict;
}

function offsetLines(offsets: readonly OffsetFieldSummary[]): string[] {
  if (offsets.length === 0) return ['(none)'];
  return offsets.map(({ field, counts }) => {
    const parts = Object.entries(counts)
      .filter(([, count]) => count > 0)
      .map(([status, count]) => `${status} ${count}`);
    return `${field}: ${parts.join(', ')}`;
  });
}
