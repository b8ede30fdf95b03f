/** Redis plumbing (ioredis): the atomic batch apply (one Lua script per batch with its offset) and offset reads. */
export { createRedisStateStore, type RedisStateStoreOptions } from './redis-state-store.js';
export { defaultActiveVersion, partitionOffsetLookup, readActiveVersion, storedOffsets } from './stored-offsets.js';
