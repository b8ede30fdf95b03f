import { stableHash } from './stable-hash.js';

/** How much of one request's logged candidates goes into the training set. */
export interface SamplingSettings {
  /** At most this many rows per request (positives first). */
  readonly maxRowsPerRequest: number;
  /** At most this many negatives (grade 0) per kept positive. */
  readonly negativesPerPositive: number;
  /** The same seed keeps the same rows in the same order. */
  readonly seed: number;
  /** Share (0–1) of the negatives taken from the top of the served order (the hardest), the rest at random. */
  readonly hardNegativeShare: number;
}

export interface SampledRow {
  readonly itemId: string;
  readonly grade: number;
  /** Place in the served order (lower = ranked higher). */
  readonly servedPosition: number;
}

const SELECT = 'select';
const ORDER = 'order';

/**
 * The rows of one request that are kept, in the order they are written. Positives (grade > 0) are kept
 * first — the highest grades when there are more than the cap —, then negatives up to negativesPerPositive
 * × positives and the cap: a `hardNegativeShare` of them the ones served highest (the old ranker's
 * mistakes, what the new one must learn to push down), the others chosen by a seeded hash of (request,
 * item). The kept rows are then ordered
 * by another seeded hash: the metrics break score ties by row order, and the logged order (display
 * position) would hand a constant-score model the position bias of the old ranker.
 * Deterministic: the result depends on the seed and the ids only, not on the input order.
 */
export function sampleRequest<Row extends SampledRow>(requestId: string, rows: readonly Row[], settings: SamplingSettings): Row[] {
  const rank = (row: Row, salt: string): number => stableHash(settings.seed, salt, requestId, row.itemId);
  const byHash = (salt: string) => (a: Row, b: Row): number => rank(a, salt) - rank(b, salt) || compareIds(a.itemId, b.itemId);
  const positives = rows.filter((row) => row.grade > 0).sort((a, b) => b.grade - a.grade || byHash(SELECT)(a, b));
  const keptPositives = positives.slice(0, settings.maxRowsPerRequest);
  const quota = Math.min(Math.floor(settings.negativesPerPositive * keptPositives.length), settings.maxRowsPerRequest - keptPositives.length);
  const candidates = rows.filter((row) => row.grade <= 0);
  const hardQuota = Math.min(Math.max(0, quota), Math.round(settings.hardNegativeShare * Math.max(0, quota)));
  const hard = [...candidates].sort((a, b) => a.servedPosition - b.servedPosition || compareIds(a.itemId, b.itemId)).slice(0, hardQuota);
  const taken = new Set(hard.map((row) => row.itemId));
  const random = candidates
    .filter((row) => !taken.has(row.itemId))
    .sort(byHash(SELECT))
    .slice(0, Math.max(0, quota - hard.length));
  return [...keptPositives, ...hard, ...random].sort(byHash(ORDER));
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
