import type { ItemId, ScoredItem } from '@streamrec/streams-common';

/** The interfaces the recommendation pipeline needs; adapters implement them, domain tests fake them. */

export type { ScoredItem } from '@streamrec/streams-common';

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

export type { RankerModel, RankerModels } from '@streamrec/ranking';
