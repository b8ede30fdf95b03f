import { Partitioners, type Kafka } from 'kafkajs';
import { AppError, ErrorCode } from '../errors.js';
import { renewingProducer } from './renewing-producer.js';

export interface SinkMessage {
  readonly key: string;
  readonly value: Buffer;
  /** Only when the caller computed the owner partition itself; otherwise Kafka's default partitioner decides. */
  readonly partition?: number;
}

/**
 * The kafkajs message of a sink message: a fresh object (kafkajs keeps what it is given until the send
 * resolves), fields written out rather than spread, which V8 builds several times faster per record.
 */
export function kafkaMessageOf(message: SinkMessage): { key: string; value: Buffer; partition?: number } {
  return message.partition === undefined ? { key: message.key, value: message.value } : { key: message.key, value: message.value, partition: message.partition };
}

/** Writes to one topic and resolves only once every replica acknowledged (acks -1). */
export interface TopicSink {
  readonly send: (messages: readonly SinkMessage[]) => Promise<void>;
  readonly stop: () => Promise<void>;
}

/**
 * The producer every processor uses for its outputs: idempotent, Kafka's default (Java-compatible
 * murmur2) partitioner, so a record keyed by an id lands on the partition that owns that id. A failed
 * send is retriable: the consumer loop retries the batch and the stored offset keeps state exact. When
 * the broker no longer knows the producer's sequence (`isProducerStateLost`), the producer is replaced
 * (`renewingProducer`) before the retry: the re-sent records may duplicate what landed, which the readers' guards absorb, as
 * after a processor restart.
 */
export async function startTopicSink(kafka: Kafka, topic: string): Promise<TopicSink> {
  const producer = renewingProducer(kafka, { idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  return {
    send: async (messages) => {
      try {
        await producer.send({ topic, acks: -1, messages: messages.map(kafkaMessageOf) });
      } catch (cause) {
        throw new AppError(ErrorCode.DependencyUnavailable, `producing to ${topic} failed`, { retriable: true, cause });
      }
    },
    stop: () => producer.disconnect(),
  };
}
