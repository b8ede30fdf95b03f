/** One sample of the soaked process after a round: how much it was fed and what it holds. Pure. */
export interface SoakSample {
  readonly round: number;
  /** New actions and new logged-in visitors fed so far. */
  readonly fed: number;
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  /** The soaked process's cache entries (normalize_state_cache_entries summed over the stores; the API's answer_cache_entries). */
  readonly cacheEntries: number;
  /** Seconds the round took to be applied. */
  readonly seconds: number;
}

export interface SoakSummary {
  readonly samples: number;
  readonly fed: number;
  readonly first: SoakSample;
  readonly last: SoakSample;
  /** Least-squares slope over the second half of the rounds (after warm-up), MiB per 100,000 entries fed. */
  readonly heapMiBPer100k: number;
  readonly rssMiBPer100k: number;
  readonly maxCacheEntries: number;
}

const MiB = 1024 * 1024;

/** The slope of y over x by least squares (0 for fewer than two distinct x). */
export function slope(points: readonly (readonly [number, number])[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / n;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / n;
  const sxx = points.reduce((sum, [x]) => sum + (x - meanX) ** 2, 0);
  if (sxx === 0) return 0;
  return points.reduce((sum, [x, y]) => sum + (x - meanX) * (y - meanY), 0) / sxx;
}

export function summarizeSoak(samples: readonly SoakSample[]): SoakSummary {
  const first = samples[0];
  const last = samples.at(-1);
  if (first === undefined || last === undefined) throw new Error('a soak summary needs at least one sample');
  const steady = samples.slice(Math.floor(samples.length / 2));
  const per100k = (pick: (sample: SoakSample) => number): number => (slope(steady.map((sample) => [sample.fed, pick(sample)] as const)) * 100_000) / MiB;
  return {
    samples: samples.length,
    fed: last.fed,
    first,
    last,
    heapMiBPer100k: per100k((sample) => sample.heapUsedBytes),
    rssMiBPer100k: per100k((sample) => sample.rssBytes),
    maxCacheEntries: Math.max(...samples.map((sample) => sample.cacheEntries)),
  };
}

/** A markdown table of the samples, one line per round. */
export function soakTable(samples: readonly SoakSample[]): string {
  const lines = ['| round | fed | cache entries | heap used MiB | RSS MiB | round s |', '|---:|---:|---:|---:|---:|---:|'];
  for (const sample of samples) {
    lines.push(`| ${sample.round} | ${sample.fed.toLocaleString('en-US')} | ${sample.cacheEntries.toLocaleString('en-US')} | ${(sample.heapUsedBytes / MiB).toFixed(1)} | ${(sample.rssBytes / MiB).toFixed(1)} | ${sample.seconds.toFixed(1)} |`);
  }
  return lines.join('\n');
}

/** The value of an unlabelled metric, or the sum over a labelled one's series, from Prometheus text. */
export function metricValue(text: string, name: string): number | undefined {
  let found: number | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (match?.[1] !== name) continue;
    const value = Number(match[3]);
    if (Number.isFinite(value)) found = (found ?? 0) + value;
  }
  return found;
}
