export * from './memory-state.js';
export * from './random.js';
