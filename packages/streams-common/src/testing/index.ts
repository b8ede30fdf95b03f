export * from './memory-state.js';
export * from './random.js';
export * from './fixtures.js';
