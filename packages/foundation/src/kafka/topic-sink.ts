import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import { AppError, ErrorCode } from '../errors.js';

export interface SinkMessage {
  readonly key: string;
  readonly value: Buffer;
  /** Only when the caller computed the owner partition itself; otherwise Kafka's default partitioner decides. */
  readonly partition?: number;
}

/** Writes to one topic and resolves only once every replica acknowledged (acks -1). */
export interface TopicSink {
  readonly send: (messages: readonly SinkMessage[]) => Promise<void>;
  readonly stop: () => Promise<void>;
}

/**
 * Broker answers after which an idempotent producer's sequence numbers no longer match the broker's (a
 * broker killed and restarted can lose the tail it had not flushed, and the producer state with it):
 * every later send of that producer fails the same way, so only a new producer (a new producer id) gets
 * through.
 */
const PRODUCER_STATE_LOST: ReadonlySet<string> = new Set(['OUT_OF_ORDER_SEQUENCE_NUMBER', 'UNKNOWN_PRODUCER_ID', 'INVALID_PRODUCER_EPOCH', 'INVALID_PRODUCER_ID_MAPPING']);

/** Whether a kafkajs error, or one it wraps, says the producer's idempotence state is gone. */
export function isProducerStateLost(error: unknown, depth = 0): boolean {
  if (error === null || typeof error !== 'object' || depth > 5) return false;
  const { type, cause, errors } = error as { type?: unknown; cause?: unknown; errors?: unknown };
  if (typeof type === 'string' && PRODUCER_STATE_LOST.has(type)) return true;
  // KafkaJSNumberOfRetriesExceeded and friends wrap the broker's answer in `cause`; aggregates list theirs in `errors`.
  if (Array.isArray(errors) && errors.some((each) => isProducerStateLost(each, depth + 1))) return true;
  return isProducerStateLost(cause, depth + 1);
}

/**
 * The producer every processor uses for its outputs: idempotent, Kafka's default (Java-compatible
 * murmur2) partitioner, so a record keyed by an id lands on the partition that owns that id. A failed
 * send is retriable: the consumer loop retries the batch and the stored offset keeps state exact. When
 * the broker no longer knows the producer's sequence (`isProducerStateLost`), the producer is replaced
 * before the retry: the re-sent records may duplicate what landed, which the readers' guards absorb, as
 * after a processor restart.
 */
export async function startTopicSink(kafka: Kafka, topic: string): Promise<TopicSink> {
  const connected = async (): Promise<Producer> => {
    const fresh = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    await fresh.connect();
    return fresh;
  };
  let producer: Producer | undefined = await connected();
  return {
    send: async (messages) => {
      try {
        producer ??= await connected();
        await producer.send({ topic, acks: -1, messages: messages.map((message) => ({ ...message })) });
      } catch (cause) {
        if (isProducerStateLost(cause)) {
          const lost = producer;
          producer = undefined;
          await lost?.disconnect().catch(() => undefined);
        }
        throw new AppError(ErrorCode.DependencyUnavailable, `producing to ${topic} failed`, { retriable: true, cause });
      }
    },
    stop: async () => {
      await producer?.disconnect();
    },
  };
}
