import { AppError, ErrorCode } from '@streamrec/foundation';
import { duplicateFeature } from '../model-publication.js';
import { OnnxDataType, type ValueInfoSpec } from './onnx-model.js';

/** The ranker contract every published model follows: float32 `features` [N, F] in, float32 `score` [N, 1] out. */
export const RANKER_INPUT = 'features';
export const RANKER_OUTPUT = 'score';
export const BATCH_DIM = 'N';

export function rankerInput(featureCount: number): ValueInfoSpec {
  return { name: RANKER_INPUT, elementType: OnnxDataType.Float, dims: [BATCH_DIM, featureCount], doc: 'one row per candidate, columns in feature_names order' };
}

export function rankerOutput(): ValueInfoSpec {
  return { name: RANKER_OUTPUT, elementType: OnnxDataType.Float, dims: [BATCH_DIM, 1], doc: 'one score per row, higher is better' };
}

/** Feature names must be non-empty and unique: they name the input columns. */
export function assertFeatureColumns(featureNames: readonly string[]): void {
  if (featureNames.length === 0) throw new AppError(ErrorCode.InvalidArgument, 'a ranker needs at least one feature');
  const duplicate = duplicateFeature(featureNames);
  if (duplicate !== undefined) throw new AppError(ErrorCode.InvalidArgument, `feature ${duplicate} is listed twice`);
}
