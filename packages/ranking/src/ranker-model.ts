/** A loaded ranker model: scores rows of features in the model's own feature order. */
export interface RankerModel {
  readonly name: string;
  readonly version: string;
  /** Names from RANKING_FEATURES (ranking-features.ts), in the column order the model expects. */
  readonly featureNames: readonly string[];
  /** `features` is row-major, rows × featureNames.length; one score per row (higher = better). */
  score(features: Float32Array, rows: number): Promise<Float32Array>;
}

/** The model registry: which model serves a name right now (swapped atomically on a new publication). */
export interface RankerModels {
  current(name: string): RankerModel | undefined;
}
