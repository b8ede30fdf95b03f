/**
 * The serving API's public surface without I/O: recall channel names and the experiments file's
 * rules (variants, weights, stable assignment), for the evaluation harness and the tests. The running
 * service is `@streamrec/api/app`.
 */
export { CHANNELS, Channel, type ChannelWeights } from './domain/recall/channels.js';
export * from './domain/experiments/experiments.js';
export { DEGRADED_REASONS, DegradedReason } from './domain/serving/degradation.js';
