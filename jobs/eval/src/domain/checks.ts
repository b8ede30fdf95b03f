import type { UserSequence } from './dataset.js';
import { compareMetrics, metricsFromRanks, type Metrics } from './metrics.js';
import { PopularityCount, TieRule, popularityCounts, popularityOrder, rankExcludingHistory } from './popularity.js';
import type { CheckResult } from './report.js';

/** The harness's own correctness checks. Pure. */
export const LIVE_POPULARITY_TOLERANCE = 0.0005;

export function popularityMetrics(users: readonly UserSequence[], count: PopularityCount, tie: TieRule, allItems: readonly number[] = []): Metrics {
  const order = popularityOrder(popularityCounts(users, count), tie, allItems);
  return metricsFromRanks(users.map((sequence) => rankExcludingHistory(order, sequence)));
}

/** The metric code fed the published (leaky) popularity ranking must give the published PopRec row to 4 decimals. */
export function metricSelfCheck(users: readonly UserSequence[], allItems: readonly number[], published: Metrics | undefined): CheckResult {
  const ours = popularityMetrics(users, PopularityCount.Leaky, TieRule.HigherIdFirst, allItems);
  const description = 'metric code on the published (leaky) popularity ranking reproduces the published PopRec row to 4 decimals';
  if (published === undefined) return { name: 'metric-self-check', ok: null, description, ours, note: 'the dataset README publishes no leaky popularity row' };
  const comparison = compareMetrics(ours, published, 0, true);
  return { name: 'metric-self-check', ok: comparison.ok, description, expected: published, ours, comparison };
}

/** The live popularity-only stage against the README's leak-free row (±0.0005). */
export function livePopularityCheck(live: Metrics | undefined, published: Metrics | undefined): CheckResult {
  const description = `live popularity stage (plain counts of the replayed events) within ±${LIVE_POPULARITY_TOLERANCE} of the published leak-free popularity row`;
  if (live === undefined) return { name: 'live-popularity', ok: null, description, note: 'the popularity stage was not run' };
  if (published === undefined) return { name: 'live-popularity', ok: null, description, ours: live, note: 'the dataset README publishes no leak-free popularity row' };
  const comparison = compareMetrics(live, published, LIVE_POPULARITY_TOLERANCE);
  return { name: 'live-popularity', ok: comparison.ok, description, expected: published, ours: live, comparison };
}

/**
 * The live popularity stage against a recount from the dataset with the API's own tie order (equal
 * fused scores: item ids as text, ascending): equal up to float noise, or the replay lost or
 * duplicated events.
 */
export function popularityRecountCheck(users: readonly UserSequence[], live: Metrics | undefined): CheckResult {
  const description = 'live popularity stage equals a recount of s[:-1] with the API\'s tie order';
  const expected = popularityMetrics(users, PopularityCount.LeakFree, TieRule.IdTextAscending);
  if (live === undefined) return { name: 'popularity-recount', ok: null, description, expected, note: 'the popularity stage was not run' };
  const comparison = compareMetrics(live, expected, 1e-9);
  return { name: 'popularity-recount', ok: comparison.ok, description, expected, ours: live, comparison };
}
