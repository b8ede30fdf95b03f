import { seededRandom } from '@streamrec/foundation';
import { rankingMetricsByGroup, type RankingMetrics } from './ranking-metrics.js';

/**
 * Offline scoring of models on logged traffic, per experiment variant and overall: each request's logged
 * rows (shown items and the sampled unshown candidates) with the grades that followed, ordered by each
 * scorer — the candidate model, the baseline model, and the order the traffic was actually served in —
 * and measured with the gate's metrics (ranking-metrics.ts). A paired bootstrap over requests gives the
 * candidate's NDCG@10 gain against each other scorer with a 95 % interval.
 */
export const Scorer = { Candidate: 'candidate', Baseline: 'baseline', Served: 'served' } as const;
export type Scorer = (typeof Scorer)[keyof typeof Scorer];

/** One request's rows: grade and one score per scorer for each row (same row order everywhere). */
export interface ScoredRequest {
  readonly experiment: string;
  readonly variant: string;
  readonly grades: ArrayLike<number>;
  readonly scores: Partial<Record<Scorer, ArrayLike<number>>>;
}

export interface SegmentKey {
  /** '' = all traffic of the window. */
  readonly experiment: string;
  readonly variant: string;
  readonly all: boolean;
}

export interface NdcgGain {
  readonly against: Scorer;
  /** Mean over requests with a positive of candidate NDCG@10 − the other scorer's. */
  readonly mean: number | null;
  /** Paired bootstrap percentile interval (2.5 %, 97.5 %) over those requests. */
  readonly ci95: readonly [number, number] | null;
  readonly verdict: 'better' | 'worse' | 'no clear difference' | 'no data';
}

export interface SegmentResult extends SegmentKey {
  readonly requests: number;
  readonly rows: number;
  readonly positives: number;
  readonly metrics: Partial<Record<Scorer, RankingMetrics>>;
  readonly gains: readonly NdcgGain[];
}

interface SegmentRows {
  readonly key: SegmentKey;
  readonly grades: number[];
  readonly groups: number[];
  readonly scores: Map<Scorer, number[]>;
}

const SCORERS: readonly Scorer[] = [Scorer.Candidate, Scorer.Baseline, Scorer.Served];

/**
 * Collects scored requests into the overall segment and one per (experiment, variant). Memory: a grade
 * and one number per scorer per row (the feature vectors are scored and dropped by the caller).
 */
export class OfflineScoreboard {
  private readonly segments = new Map<string, SegmentRows>();
  private readonly scorers: readonly Scorer[];

  constructor(scorers: readonly Scorer[]) {
    if (!scorers.includes(Scorer.Candidate)) throw new RangeError('offline scoring needs the candidate scorer');
    this.scorers = SCORERS.filter((scorer) => scorers.includes(scorer));
  }

  add(request: ScoredRequest): void {
    const rows = request.grades.length;
    for (const scorer of this.scorers) {
      const scores = request.scores[scorer];
      if (scores?.length !== rows) throw new RangeError(`request has ${rows} rows and ${scores?.length ?? 'no'} ${scorer} scores`);
    }
    this.append({ experiment: '', variant: '', all: true }, request);
    this.append({ experiment: request.experiment, variant: request.variant, all: false }, request);
  }

  /** The overall segment first, then the variants by experiment and variant name. */
  results(options: { readonly resamples: number; readonly seed: number }): SegmentResult[] {
    return [...this.segments.values()]
      .sort((a, b) => Number(b.key.all) - Number(a.key.all) || compare(a.key.experiment, b.key.experiment) || compare(a.key.variant, b.key.variant))
      .map((segment) => summarize(segment, this.scorers, options));
  }

  private append(key: SegmentKey, request: ScoredRequest): void {
    const id = key.all ? '\u0000all' : `${key.experiment}\u0000${key.variant}`;
    let segment = this.segments.get(id);
    if (segment === undefined) {
      segment = { key, grades: [], groups: [], scores: new Map(this.scorers.map((scorer) => [scorer, []])) };
      this.segments.set(id, segment);
    }
    segment.groups.push(request.grades.length);
    for (let row = 0; row < request.grades.length; row += 1) segment.grades.push(request.grades[row] ?? 0);
    for (const scorer of this.scorers) {
      const into = segment.scores.get(scorer)!;
      const scores = request.scores[scorer]!;
      for (let row = 0; row < scores.length; row += 1) into.push(scores[row] ?? 0);
    }
  }
}

function summarize(segment: SegmentRows, scorers: readonly Scorer[], options: { readonly resamples: number; readonly seed: number }): SegmentResult {
  const metrics: Partial<Record<Scorer, RankingMetrics>> = {};
  const perGroup = new Map<Scorer, Float64Array>();
  for (const scorer of scorers) {
    const ranked = rankingMetricsByGroup(segment.grades, segment.groups, segment.scores.get(scorer)!);
    metrics[scorer] = ranked.metrics;
    perGroup.set(scorer, ranked.ndcgPerGroup);
  }
  const candidate = perGroup.get(Scorer.Candidate)!;
  const gains = scorers
    .filter((scorer) => scorer !== Scorer.Candidate)
    .map((scorer) => pairedGain(scorer, candidate, perGroup.get(scorer)!, options));
  return {
    ...segment.key,
    requests: segment.groups.length,
    rows: segment.grades.length,
    positives: segment.grades.filter((grade) => grade > 0).length,
    metrics,
    gains,
  };
}

/** Mean of candidate − other over the groups both evaluate, and its paired percentile bootstrap interval. */
export function pairedGain(against: Scorer, candidate: Float64Array, other: Float64Array, options: { readonly resamples: number; readonly seed: number }): NdcgGain {
  const differences: number[] = [];
  for (let group = 0; group < candidate.length; group += 1) {
    const a = candidate[group]!;
    const b = other[group]!;
    if (!Number.isNaN(a) && !Number.isNaN(b)) differences.push(a - b);
  }
  if (differences.length === 0) return { against, mean: null, ci95: null, verdict: 'no data' };
  const mean = average(differences);
  const ci95 = bootstrapInterval(differences, options.resamples, options.seed);
  const verdict = ci95 === null ? 'no clear difference' : ci95[0] > 0 ? 'better' : ci95[1] < 0 ? 'worse' : 'no clear difference';
  return { against, mean, ci95, verdict };
}

/** Percentile interval (2.5 %, 97.5 %) of the mean over `resamples` seeded resamples with replacement; null below 2 values or 0 resamples. */
export function bootstrapInterval(values: readonly number[], resamples: number, seed: number): readonly [number, number] | null {
  if (values.length < 2 || resamples <= 0) return null;
  const random = seededRandom(seed);
  const means = new Float64Array(resamples);
  for (let resample = 0; resample < resamples; resample += 1) {
    let sum = 0;
    for (let draw = 0; draw < values.length; draw += 1) sum += values[Math.floor(random() * values.length)]!;
    means[resample] = sum / values.length;
  }
  means.sort();
  return [quantile(means, 0.025), quantile(means, 0.975)];
}

/** Linear interpolation between closest ranks of sorted values. */
function quantile(sorted: Float64Array, q: number): number {
  const at = q * (sorted.length - 1);
  const low = Math.floor(at);
  const high = Math.min(sorted.length - 1, low + 1);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low);
}

function average(values: readonly number[]): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
