/**
 * Leave-one-out full-ranking metrics as the dataset README defines them: rank is the 0-based
 * position of the target among all candidates; HR@K = 1 if rank < K; NDCG@K = 1/log2(rank+2) if
 * rank < K (one relevant item, so the ideal DCG is 1); averaged over all users. Pure.
 */
export const CUTOFFS = [5, 10, 20] as const;
export type Cutoff = (typeof CUTOFFS)[number];

/** The deepest list the harness asks for: ranks beyond it are misses at every cutoff. */
export const MAX_CUTOFF: Cutoff = 20;

export const METRIC_NAMES = ['HR@5', 'NDCG@5', 'HR@10', 'NDCG@10', 'HR@20', 'NDCG@20'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];
export type Metrics = Readonly<Record<MetricName, number>>;

/** `null`: the target was not in the top MAX_CUTOFF. */
export type TargetRank = number | null;

export function metricsFromRanks(ranks: readonly TargetRank[]): Metrics {
  const sums: Record<MetricName, number> = { 'HR@5': 0, 'NDCG@5': 0, 'HR@10': 0, 'NDCG@10': 0, 'HR@20': 0, 'NDCG@20': 0 };
  for (const rank of ranks) {
    if (rank === null) continue;
    if (!Number.isInteger(rank) || rank < 0) throw new RangeError(`a rank is a non-negative integer, got ${rank}`);
    for (const k of CUTOFFS) {
      if (rank < k) {
        sums[`HR@${k}`] += 1;
        sums[`NDCG@${k}`] += 1 / Math.log2(rank + 2);
      }
    }
  }
  const users = ranks.length;
  const mean = (value: number): number => (users === 0 ? 0 : value / users);
  return { 'HR@5': mean(sums['HR@5']), 'NDCG@5': mean(sums['NDCG@5']), 'HR@10': mean(sums['HR@10']), 'NDCG@10': mean(sums['NDCG@10']), 'HR@20': mean(sums['HR@20']), 'NDCG@20': mean(sums['NDCG@20']) };
}

/** Rounded as published (4 decimals). */
export const round4 = (value: number): number => Math.round(value * 10_000) / 10_000;

/** Position of the target in a served list (`null` when absent). */
export function rankInList(list: readonly number[], target: number): TargetRank {
  const index = list.indexOf(target);
  return index < 0 || index >= MAX_CUTOFF ? null : index;
}

export interface MetricComparison {
  readonly ok: boolean;
  /** Largest absolute difference over the six metrics. */
  readonly maxDifference: number;
  readonly differences: Readonly<Record<MetricName, number>>;
}

/** `ours` against a reference row; `round` compares to the reference's 4 published decimals first. */
export function compareMetrics(ours: Metrics, reference: Metrics, tolerance: number, round = false): MetricComparison {
  const differences = {} as Record<MetricName, number>;
  let maxDifference = 0;
  for (const name of METRIC_NAMES) {
    const value = round ? round4(ours[name]) : ours[name];
    const difference = value - reference[name];
    differences[name] = difference;
    maxDifference = Math.max(maxDifference, Math.abs(difference));
  }
  // A hair above the tolerance is float noise of the subtraction, not a miss.
  return { ok: maxDifference <= tolerance + 1e-12, maxDifference, differences };
}
