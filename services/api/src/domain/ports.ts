import type { ItemId } from '@streamrec/streams-common';

/** The interfaces the recommendation pipeline needs; adapters implement them, domain tests fake them. */

export interface ScoredItem {
  readonly item: ItemId;
  readonly score: number;
}

export interface WeightedSeed {
  readonly item: ItemId;
  readonly weight: number;
}

/** Content/vector recall (usearch over TF-IDF vectors of title, description and tags). */
export interface ContentRecall {
  /** Nearest items to the weight-averaged vector of the seeds, best first; the seeds themselves never. Score: cosine similarity in [−1, 1]. */
  similarToItems(seeds: readonly WeightedSeed[], limit: number): ScoredItem[];
  /** Items currently indexed. */
  readonly size: number;
}

/** A loaded ranker model: scores rows of features in the model's own feature order. */
export interface RankerModel {
  readonly name: string;
  readonly version: string;
  /** Names from RANKING_FEATURES, in the column order the model expects. */
  readonly featureNames: readonly string[];
  /** `features` is row-major, rows × featureNames.length; one score per row (higher = better). */
  score(features: Float32Array, rows: number): Promise<Float32Array>;
}

/** The model registry: which model serves a name right now (swapped atomically on a new publication). */
export interface RankerModels {
  current(name: string): RankerModel | undefined;
}
