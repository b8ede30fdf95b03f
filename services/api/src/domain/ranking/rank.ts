import type { ItemId } from '@streamrec/streams-common';
import { DegradedReason } from '../serving/degradation.js';
import type { FusedCandidate } from '../fusion/fusion.js';
import type { ItemStatsLookup } from './item-stats.js';
import type { RankerModel } from '../serving/ports.js';
import { ALL_FEATURE_NAMES, rankingRows, type RankingContext, type SeedRecall } from './ranking-rows.js';
import { snapshotRanks } from '../recall/popular-snapshot.js';
import type { RecommendDependencies, ServedItem } from '../serving/recommend.js';
import { isTimeout, Stage } from '../serving/stages.js';
import type { UserProfile } from '../serving/user-profile.js';

/** The part of the circuit breaker the pipeline drives. */
export interface RankerBreaker {
  canRun(): boolean;
  onSuccess(): void;
  onFailure(): void;
  /** No model is published under the name: opens the breaker at once. */
  onNoModel(): void;
}

/** A ranked candidate before shaping; its features are copied out only for the items finally shown. */
export interface RankedItem {
  readonly item: ItemId;
  readonly score: number;
  readonly candidate: FusedCandidate;
  readonly row: number;
}

export interface RankedCandidates {
  readonly items: RankedItem[];
  readonly model: Pick<RankerModel, 'name' | 'version'> | null;
  /** What the features are computed from (undefined: item features could not be read, nothing to log). */
  readonly context: RankingContext | undefined;
}

/**
 * Scores the fused candidates with the variant's model. Item features come from one pipelined read
 * (they are logged on the exposure even when ranking is skipped, so the training set has them).
 * No model, an open breaker, a failure or a timeout → fused recall order, with the reason.
 */
export async function rankCandidates(
  fused: readonly FusedCandidate[],
  request: { readonly profile: UserProfile; readonly scene: string; readonly seedRecall: ReadonlyMap<ItemId, SeedRecall> },
  modelName: string | null,
  deps: RecommendDependencies,
  nowMs: number,
  degraded: Set<DegradedReason>,
): Promise<RankedCandidates> {
  if (fused.length === 0) return { items: [], model: null, context: undefined };
  let itemStats: ItemStatsLookup;
  try {
    itemStats = await deps.runStage(Stage.Features, () => deps.readItemStats(fused.map(({ item }) => item)));
  } catch {
    degraded.add(DegradedReason.FeaturesUnavailable);
    return { items: recallOrder(fused), model: null, context: undefined };
  }
  const context: RankingContext = {
    ...request,
    nowMs,
    catalogue: deps.catalogue,
    itemStats,
    decay: deps.decay,
    priceBucketOf: deps.priceBucketOf,
    priceBucketIndexOf: deps.priceBucketIndexOf,
    listRanks: snapshotRanks(deps.snapshot()),
    industrySize: deps.industrySize,
  };
  const model = modelName === null ? undefined : deps.models.current(modelName);
  const breaker = modelName === null ? undefined : deps.breakerFor(modelName);
  const unranked = (reason: DegradedReason | null): RankedCandidates => {
    if (reason !== null) degraded.add(reason);
    return { items: recallOrder(fused), model: null, context };
  };
  if (modelName === null || breaker === undefined) return unranked(null);
  if (!breaker.canRun()) return unranked(DegradedReason.RankerBreakerOpen);
  if (model === undefined) {
    breaker.onNoModel();
    return unranked(DegradedReason.RankerUnavailable);
  }
  const rows = rankingRows(fused, model.featureNames, context);
  let scores: Float32Array;
  try {
    scores = await deps.runStage(Stage.Ranking, () => model.score(rows, fused.length));
    if (scores.length !== fused.length || !scores.every(Number.isFinite)) throw new RangeError(`model returned ${scores.length} scores for ${fused.length} rows`);
  } catch (error) {
    breaker.onFailure();
    return unranked(isTimeout(error) ? DegradedReason.RankerTimeout : DegradedReason.RankerFailed);
  }
  breaker.onSuccess();
  const items = fused.map((candidate, row) => ({ item: candidate.item, score: scores[row] ?? 0, candidate, row }));
  items.sort((a, b) => (b.score !== a.score ? b.score - a.score : a.row - b.row));
  return { items, model: { name: model.name, version: model.version }, context };
}

function recallOrder(fused: readonly FusedCandidate[]): RankedItem[] {
  return fused.map((candidate, row) => ({ item: candidate.item, score: candidate.fused, candidate, row }));
}

/**
 * The items an answer logs (the shown ones, then the sampled unshown ones) with every ranking feature
 * (`ALL_FEATURE_NAMES`), whatever subset the serving model reads: a later model can learn from features
 * today's does not use. Computed for the logged items only, not for all ~300 candidates.
 */
export function loggedItems(groups: readonly (readonly RankedItem[])[], ranked: Pick<RankedCandidates, 'context'>): { readonly groups: ServedItem[][]; readonly featureNames: readonly string[] } {
  const all = groups.flat();
  const width = ALL_FEATURE_NAMES.length;
  const rows = ranked.context === undefined ? undefined : rankingRows(all.map(({ candidate }) => candidate), ALL_FEATURE_NAMES, ranked.context);
  let at = 0;
  const served = groups.map((group) =>
    group.map(({ item, score, candidate }) => {
      const row = at;
      at += 1;
      return { item, score, channels: candidate.channels, features: rows === undefined ? [] : rows.subarray(row * width, (row + 1) * width) };
    }),
  );
  return { groups: served, featureNames: rows === undefined ? [] : ALL_FEATURE_NAMES };
}
