/** The running co-occurrence process, its configuration and its stage handlers (for the benchmarks). */
export { startCooccurrence, type RunningCooccurrence } from './app.js';
export * from './config.js';
export { createUserStageHandler } from './adapters/user-stage-handler.js';
export { createItemStageHandler } from './adapters/item-stage-handler.js';
export { createRedisUserStageReads } from './adapters/redis-user-reads.js';
export { openPairOutput, type PairOutput, type PairOutputOptions } from './adapters/pair-output.js';
