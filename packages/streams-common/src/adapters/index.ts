export { createItemActivityHandler, type ItemActivityHandlerDependencies, type ItemStageDependencies } from './item-activity-handler.js';
export { createRelayHandler, type ItemActivitySink, type RelayHandlerDependencies } from './relay-handler.js';
export { openItemActivityOutput } from './item-activity-output.js';
export { startCatalogueReader, type CatalogueReader, type CatalogueSink } from './catalogue-reader.js';
export { startStageConsumers, type StageConsumersConfig } from './stage-consumers.js';
