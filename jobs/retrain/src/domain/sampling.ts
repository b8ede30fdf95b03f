import { stableHash } from './stable-hash.js';

/** How much of one request's logged candidates goes into the training set. */
export interface SamplingSettings {
  /** At most this many rows per request (positives first). */
  readonly maxRowsPerRequest: number;
  /** At most this many negatives (grade 0) per kept positive. */
  readonly negativesPerPositive: number;
  /** The same seed keeps the same rows in the same order. */
  readonly seed: number;
}

export interface SampledRow {
  readonly itemId: string;
  readonly grade: number;
}

const SELECT = 'select';
const ORDER = 'order';

/**
 * The rows of one request that are kept, in the order they are written. Positives (grade > 0) are kept
 * first — the highest grades when there are more than the cap —, then negatives chosen by a seeded hash
 * of (request, item), up to negativesPerPositive × positives and the cap. The kept rows are then ordered
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
  const negatives = rows
    .filter((row) => row.grade <= 0)
    .sort(byHash(SELECT))
    .slice(0, Math.max(0, quota));
  return [...keptPositives, ...negatives].sort(byHash(ORDER));
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
