export { createItemActivityHandler, type ItemActivityHandlerDependencies, type ItemStageDependencies } from './item-activity-handler.js';
export { createRelayHandler, type ItemActivitySink, type RelayHandlerDependencies } from './relay-handler.js';
export { openItemActivityOutput } from './item-activity-output.js';
export { startCatalogueReader, type CatalogueReader, type CatalogueSink } from './catalogue-reader.js';
export { createCatalogueBarrier, type CatalogueBarrierOptions, type CatalogueWaitOutcome } from './catalogue-barrier.js';
export { startStageConsumers, type StageConsumersConfig } from './stage-consumers.js';
export { ERASURE_GENERATION_KEY, ERASURE_LIST_KEY, addToErasureList, erasureToken, redisErasureGate, type ErasureEntry, type ErasureGate } from './erasure-list.js';
