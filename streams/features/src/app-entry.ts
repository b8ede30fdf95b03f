/** The running features process, its configuration and its stage handlers (for the benchmarks). */
export { startFeatures, type RunningFeatures } from './app.js';
export { environmentVariables, featuresConfigSchema, loadFeaturesConfig, parseFeaturesConfig, type FeaturesConfig, type FeaturesConfigInput } from './config.js';
export { createUserStageHandler } from './adapters/user-stage-handler.js';
export { createItemStageHandler } from './adapters/item-stage-handler.js';
export { createExposureRelayHandler } from './adapters/exposure-relay-handler.js';
