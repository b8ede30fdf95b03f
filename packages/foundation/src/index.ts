/**
 * The pure entry of the foundation: errors, config parsing, state keys and ops, Kafka's partitioner,
 * dead-letter records, progress arithmetic. No I/O and no I/O client import behind it, so `domain/`
 * code may import it. The I/O entries are `@streamrec/foundation/kafka`, `/redis`, `/metrics`, `/process`
 * and `/clickhouse`.
 */
export { AppError, ErrorCode, isAppError, type AppErrorOptions } from './errors.js';
export { seededRandom } from './seeded-random.js';
export { byScoreThenIdAt, topByScore, topIndices } from './top-k.js';
export { parseConfig, deepFreeze } from './config/parse-config.js';
export {
  batchConsumerSettings,
  jsonSetting,
  parseStartAt,
  processorConfigInput,
  processorConfigSchema,
  processorEnvironmentVariables,
  startAtSchema,
} from './config/processor-config.js';
export { murmur2, partitionForKey } from './state/murmur2.js';
export { activeVersionKey, offsetsKey, ownedKey, partitionKey, parseStateVersion, partitionTag, type StateVersion } from './state/keys.js';
export { OpKind, decayAdd, decayTimeField, decayedCounter, dedupWatermarkMember, encodeBatch, type EncodedBatch, type RecordOps, type StateOp } from './state/state-ops.js';
export type { ApplyBatchInput, ApplyBatchResult, ReadPosition, StateStore } from './state/state-store.js';
export { deadLetterFor, deadLetterMessage, deadLetterTopic, encodeBytes, missingValueReason, type DeadLetter, type DeadLetterInput } from './kafka/dead-letter.js';
export { formatCount, formatDuration, partitionApplied, phaseProgress, progressLine, rateAndEta, type PartitionTarget, type PhaseProgress, type RateSample } from './progress.js';
export { sql } from './sql.js';
export { durationMs, parsePortFlag, parseTimeFlag, type UsageError } from './cli-values.js';
export {
  clickHouseConfigInput,
  clickHouseConfigSchema,
  clickHouseEnvironmentVariables,
  envNumber,
  metricsListenInput,
  metricsListenSchema,
  type ClickHouseConfig,
} from './config/clickhouse-config.js';
export { clickHouseDateTime } from './clickhouse-values.js';
export { loadRedisConfig, redisConfigInput, redisConfigSchema, redisEnvironmentVariables, redisUserOf, type RedisConfig, type RedisRole } from './config/redis-config.js';
export {
  kafkaClientOptions,
  kafkaConfigInput,
  kafkaConfigSchema,
  kafkaEnvironmentVariables,
  kafkaUserOf,
  kafkaUserVariables,
  loadKafkaConfig,
  type KafkaConfig,
  type KafkaRole,
} from './config/kafka-config.js';
