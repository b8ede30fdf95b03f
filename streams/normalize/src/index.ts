/** The normalize processor's pure domain: Debezium change events in, interactions, items and users out. */
export * from './domain/index.js';
