/** Kafka plumbing (kafkajs): the batch consumer loop with stored-offset seeks, sinks, topic admin, offsets. */
export {
  startBatchConsumer,
  type BatchConsumerDependencies,
  type BatchConsumerOptions,
  type ConsumedRecord,
  type PartitionBatch,
  type PartitionBatchHandler,
  type PreparedBatch,
  type RunningConsumer,
} from './batch-consumer.js';
export { kafkaLogCreator } from './kafka-logging.js';
export { keepConsumerRunning } from './keep-running.js';
export { startTopicSink, type SinkMessage, type TopicSink } from './topic-sink.js';
export { isProducerStateLost, renewingProducer, type RecordSender, type RenewingProducer, type RenewingProducerHooks } from './renewing-producer.js';
export { createTopicsReady, waitForTopicLeaders, whileTopicSettles, type CreateTopicsInput } from './create-topics.js';
export { ensureTopic, type TopicDeclaration } from './ensure-topic.js';
export { nonEmptyEndOffsets } from './end-offsets.js';
export { endOffsets, groupProcessedOffsets, startOffsets } from './topic-offsets.js';
export { startTransactionalOutput, type OutputMessage, type OutputProgress, type TransactionalOutput, type TransactionalOutputOptions } from './transactional-output.js';
