export { AppError, ErrorCode, isAppError, type AppErrorOptions } from './errors.js';
export { seededRandom } from './seeded-random.js';
export { parseConfig, deepFreeze } from './config/parse-config.js';
export { createRootLogger, redactedPaths, type Logger, type LoggerSettings } from './logger.js';
export { loadStackEnv, parseEnvFile, parseEnvText, repoRoot } from './stack-env.js';
export { murmur2, partitionForKey } from './kafka/murmur2.js';
export * from './state/index.js';
export * from './metrics/index.js';
export { deadLetterFor, deadLetterMessage, deadLetterTopic, encodeBytes, missingValueReason, type DeadLetter, type DeadLetterInput } from './kafka/dead-letter.js';
export {
  startBatchConsumer,
  type BatchConsumerDependencies,
  type BatchConsumerOptions,
  type ConsumedRecord,
  type PartitionBatchHandler,
  type PreparedBatch,
  type RunningConsumer,
} from './kafka/batch-consumer.js';
export { stopOnSignals } from './process/shutdown.js';
export { kafkaLogCreator } from './kafka/kafka-logging.js';
export { batchConsumerSettings, jsonSetting, parseStartAt, processorConfigInput, processorConfigSchema, processorEnvironmentVariables, startAtSchema } from './config/processor-config.js';
export { createProcessRuntime, type ProcessRuntime, type ProcessRuntimeConfig } from './process/process-runtime.js';
export { startTopicSink, type SinkMessage, type TopicSink } from './kafka/topic-sink.js';
export { ensureTopic, type TopicDeclaration } from './kafka/ensure-topic.js';
export { nonEmptyEndOffsets } from './kafka/end-offsets.js';
export { runProcess, type ProcessEntryPoint, type RunningProcess } from './process/run-process.js';
