export { isUnusedKind, itemActivityFromWire, itemActivityToWire, type LeadingStringPeek } from './item-activity-wire.js';
