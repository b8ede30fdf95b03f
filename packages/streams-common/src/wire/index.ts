export { itemActivityFromWire, itemActivityToWire } from './item-activity-wire.js';
