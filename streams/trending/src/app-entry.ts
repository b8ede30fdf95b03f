/** The running trending process, its configuration and its stage handlers. */
export { startTrending, type RunningTrending } from './app.js';
export * from './config.js';
export { createItemStageHandler } from './adapters/item-stage-handler.js';
export { createCatalogueRelayHandler } from './adapters/catalogue-relay-handler.js';
