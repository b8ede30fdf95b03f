/** The running normalize process, its configuration, and where it keeps its offsets. */
export { PROCESSOR, startNormalize, type NormalizeDependencies, type RunningNormalize } from './app.js';
export { configVariables, loadNormalizeConfig, type NormalizeConfig } from './config.js';
export { keyedVisitorPseudonym } from './adapters/keyed-visitor-pseudonym.js';
export { NORMALIZE_TAG, normalizeOffsetsKey, offsetField, storeKey } from './adapters/redis-normalize-state.js';
