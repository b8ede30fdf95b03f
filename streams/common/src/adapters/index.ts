export { createItemActivityHandler, type ItemActivityHandlerDependencies } from './item-activity-handler.js';
export { createRelayHandler, type ItemActivitySink, type RelayHandlerDependencies } from './relay-handler.js';
