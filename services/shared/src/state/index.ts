export { OpKind, encodeBatch, type EncodedBatch, type RecordOps, type StateOp } from './state-ops.js';
export { createRedisStateStore, type ApplyBatchInput, type ApplyBatchResult, type StateStore } from './redis-state-store.js';
export { activeVersionKey, offsetsKey, ownedKey, partitionKey, parseStateVersion, partitionTag, type StateVersion } from './keys.js';
export { defaultActiveVersion, partitionOffsetLookup, readActiveVersion } from './stored-offsets.js';
