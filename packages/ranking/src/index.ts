/**
 * The ranking contract shared by serving (services/api), the exposure log and training (jobs/retrain):
 * the feature names a model may use (add names, never change a name's meaning), what a publication
 * must satisfy, the interface of a loaded model, and the ONNX ranker format with a writer for
 * hand-built rankers. Pure; the onnxruntime-node session is `@streamrec/ranking/runtime`.
 */
export { FEATURE_DEFINITIONS, FeatureFamily, RANKING_FEATURES, featuresOf, isRankingFeature, type FeatureDefinition, type RankingFeature } from './ranking-features.js';
export {
  MODEL_FORMAT_ONNX,
  MODEL_SIGNATURE_LINEAGE_KEY,
  ModelRejectionReason,
  checkFeatureNames,
  checkPublication,
  duplicateFeature,
  signedContent,
  withModel,
  type LoadedModelStatus,
  type ModelRegistryStatus,
  type ModelRejection,
  type PublicationCheck,
} from './model-publication.js';
export type { RankerModel, RankerModels } from './ranker-model.js';
export { renderFeaturesDoc, type FeatureImportance } from './features-doc.js';
export * from './onnx/index.js';
