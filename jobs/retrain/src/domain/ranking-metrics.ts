/**
 * The gate's metrics, defined exactly as the trainer defines them (jobs/retrain/python/README.md,
 * "Metric definitions"), so the challenger's and the champion's numbers are comparable with the trainer's
 * report; a test cross-checks this code against `python -m streamrec_trainer metrics`.
 * - order: within a group, descending score; equal scores keep row order (stable);
 * - NDCG@10: Σ over the top 10 of (2^label − 1) / log2(rank + 1), divided by the same sum over the
 *   group's labels sorted descending; groups without a positive label are left out; mean over the rest;
 * - HR@10: share of those groups with a positive (label > 0) in the top 10;
 * - AUC: over all rows, positives = label > 0, Mann–Whitney U / (n₊·n₋) with ties counted half.
 * A metric without a qualifying group (or class) is null.
 */
export const METRIC_K = 10;

export interface RankingMetrics {
  readonly ndcg_at_10: number | null;
  readonly hr_at_10: number | null;
  readonly auc: number | null;
  readonly groups_evaluated: number;
  readonly groups: number;
  readonly rows: number;
}

export function rankingMetrics(labels: ArrayLike<number>, groups: ArrayLike<number>, scores: ArrayLike<number>): RankingMetrics {
  return rankingMetricsByGroup(labels, groups, scores).metrics;
}

/**
 * NDCG@10 of each group (ordered as rankingMetrics orders it), NaN for a group without a positive label:
 * the per-request values a paired comparison of two models resamples.
 */
export function ndcgPerGroup(labels: ArrayLike<number>, groups: ArrayLike<number>, scores: ArrayLike<number>): Float64Array {
  return rankGroups(labels, groups, scores).ndcg;
}

/** rankingMetrics and ndcgPerGroup from one ranking of each group. */
export function rankingMetricsByGroup(labels: ArrayLike<number>, groups: ArrayLike<number>, scores: ArrayLike<number>): { readonly metrics: RankingMetrics; readonly ndcgPerGroup: Float64Array } {
  const { ndcg, hits } = rankGroups(labels, groups, scores);
  let ndcgSum = 0;
  let hitCount = 0;
  let evaluated = 0;
  for (let group = 0; group < ndcg.length; group += 1) {
    const value = ndcg[group]!;
    if (Number.isNaN(value)) continue;
    evaluated += 1;
    ndcgSum += value;
    hitCount += hits[group]!;
  }
  return {
    metrics: {
      ndcg_at_10: evaluated === 0 ? null : ndcgSum / evaluated,
      hr_at_10: evaluated === 0 ? null : hitCount / evaluated,
      auc: auc(labels, scores),
      groups_evaluated: evaluated,
      groups: groups.length,
      rows: labels.length,
    },
    ndcgPerGroup: ndcg,
  };
}

/** Each group ranked once by descending score: its NDCG@10 (NaN without a positive) and whether a positive is in its top 10. */
function rankGroups(labels: ArrayLike<number>, groups: ArrayLike<number>, scores: ArrayLike<number>): { readonly ndcg: Float64Array; readonly hits: Uint8Array } {
  if (scores.length !== labels.length) throw new RangeError(`${scores.length} scores for ${labels.length} rows`);
  const ndcg = new Float64Array(groups.length);
  const hits = new Uint8Array(groups.length);
  let start = 0;
  for (let group = 0; group < groups.length; group += 1) {
    const size = groups[group] ?? 0;
    const rows = Array.from({ length: size }, (_, offset) => start + offset);
    start += size;
    const ideal = dcg(rows.map((row) => labels[row] ?? 0).sort((a, b) => b - a));
    if (ideal <= 0) {
      ndcg[group] = Number.NaN;
      continue;
    }
    // Array.prototype.sort is stable: equal scores keep row order.
    const top = [...rows].sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0)).slice(0, METRIC_K);
    ndcg[group] = dcg(top.map((row) => labels[row] ?? 0)) / ideal;
    hits[group] = top.some((row) => (labels[row] ?? 0) > 0) ? 1 : 0;
  }
  if (start !== labels.length) throw new RangeError(`group sizes sum to ${start}, expected ${labels.length} rows`);
  return { ndcg, hits };
}

function dcg(labelsInRankOrder: readonly number[]): number {
  let sum = 0;
  for (let rank = 1; rank <= Math.min(METRIC_K, labelsInRankOrder.length); rank += 1) sum += (2 ** (labelsInRankOrder[rank - 1] ?? 0) - 1) / Math.log2(rank + 1);
  return sum;
}

/** Global ROC AUC by mid-ranks (ties half); null when either class is absent. */
export function auc(labels: ArrayLike<number>, scores: ArrayLike<number>): number | null {
  const order = Array.from({ length: labels.length }, (_, row) => row).sort((a, b) => (scores[a] ?? 0) - (scores[b] ?? 0));
  let positives = 0;
  let rankSum = 0;
  let index = 0;
  while (index < order.length) {
    let end = index;
    const score = scores[order[index] ?? 0] ?? 0;
    while (end + 1 < order.length && (scores[order[end + 1] ?? 0] ?? 0) === score) end += 1;
    const midRank = (index + 1 + end + 1) / 2;
    for (let at = index; at <= end; at += 1) {
      if ((labels[order[at] ?? 0] ?? 0) > 0) {
        positives += 1;
        rankSum += midRank;
      }
    }
    index = end + 1;
  }
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) return null;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
