export { createItemActivityHandler, type ItemActivityHandlerDependencies } from './item-activity-handler.js';
export { createRelayHandler, type ItemActivitySink, type RelayHandlerDependencies } from './relay-handler.js';
export { openItemActivityOutput } from './item-activity-output.js';
