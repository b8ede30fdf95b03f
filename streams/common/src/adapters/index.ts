export { createItemActivityHandler, type ItemActivityHandlerDependencies } from './item-activity-handler.js';
