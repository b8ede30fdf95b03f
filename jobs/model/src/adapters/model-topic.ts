import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { AppError, ErrorCode, isAppError } from '@streamrec/foundation';
import { nonEmptyEndOffsets } from '@streamrec/foundation/kafka';
import { createEventCodec } from '@streamrec/schemas/avro';
import { type ModelPublication } from '@streamrec/schemas';
import { historyKey } from '../domain/model-history.js';

/** Where a record landed. */
export interface TopicPosition {
  readonly partition: number;
  readonly offset: string;
}

/** One record of the models topic, in offset order: a publication, a tombstone, or something unreadable. */
export type ModelTopicRecord = TopicPosition & { readonly key: string | null; readonly bytes: number } & (
    | { readonly kind: 'publication'; readonly publication: ModelPublication }
    | { readonly kind: 'tombstone' }
    | { readonly kind: 'undecodable'; readonly reason: string }
  );

const codec = createEventCodec('models.published.v1');
const MAX_FETCH_BYTES = 80 * 1024 * 1024;

/** Produces a publication keyed by model name and waits for the broker's acknowledgement by all replicas. */
export async function publishModel(kafka: Kafka, topic: string, publication: ModelPublication): Promise<TopicPosition> {
  return produce(kafka, topic, publication.name, codec.encode(publication));
}

/**
 * Produces a publication to the history topic (models.history.v1), keyed `<name>:<version>` so compaction
 * keeps every version; same Avro value as models.published.v1.
 */
export async function publishToHistory(kafka: Kafka, topic: string, publication: ModelPublication): Promise<TopicPosition> {
  return produce(kafka, topic, historyKey(publication.name, publication.version), codec.encode(publication));
}

/** Produces raw bytes as a publication (tests use it for records the codec would refuse to write). */
export async function publishRaw(kafka: Kafka, topic: string, key: string, value: Buffer | null): Promise<TopicPosition> {
  return produce(kafka, topic, key, value);
}

/** A tombstone: the registry unloads the name, and compaction eventually removes its records. */
export async function unpublishModel(kafka: Kafka, topic: string, name: string): Promise<TopicPosition> {
  return produce(kafka, topic, name, null);
}

async function produce(kafka: Kafka, topic: string, key: string, value: Buffer | null): Promise<TopicPosition> {
  const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    const [metadata] = await producer.send({ topic, acks: -1, messages: [{ key, value }] });
    if (metadata === undefined) throw new AppError(ErrorCode.DependencyUnavailable, `no acknowledgement from ${topic}`);
    return { partition: metadata.partition, offset: metadata.baseOffset ?? '?' };
  } catch (cause) {
    if (isAppError(cause)) throw cause;
    const size = value === null ? 'tombstone' : `${value.length} bytes`;
    const message = cause instanceof Error ? cause.message : String(cause);
    // A project topic that is missing (e.g. models.history.v1 on a stack set up before it was declared).
    const hint = /does not host this topic-partition|UNKNOWN_TOPIC/i.test(message) ? ' (is the topic created? npm run topics -- apply)' : '';
    throw new AppError(ErrorCode.DependencyUnavailable, `cannot produce ${key} (${size}) to ${topic}: ${message}${hint}`, { cause, retriable: true });
  } finally {
    await producer.disconnect();
  }
}

/** Every record the topic holds now, in offset order per partition; reads to the end offsets taken at the start, commits nothing. */
export async function readModelTopic(kafka: Kafka, topic: string, timeoutMs = 60_000): Promise<ModelTopicRecord[]> {
  const pending = await nonEmptyEndOffsets(kafka, topic);
  const records: ModelTopicRecord[] = [];
  if (pending.size === 0) return records;
  const consumer = kafka.consumer({ groupId: `streamrec-model-cli-${randomUUID()}`, maxWaitTimeInMs: 200, maxBytesPerPartition: MAX_FETCH_BYTES, maxBytes: MAX_FETCH_BYTES });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let done: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => {
      done = resolve;
    });
    await consumer.run({
      autoCommit: false,
      eachBatch: ({ batch }) => {
        const target = pending.get(batch.partition);
        for (const message of batch.messages) {
          if (target === undefined || BigInt(message.offset) >= target) continue;
          records.push(toRecord(batch.partition, message.offset, message.key, message.value));
        }
        if (target !== undefined && BigInt(batch.lastOffset()) + 1n >= target) pending.delete(batch.partition);
        if (pending.size === 0) done();
        return Promise.resolve();
      },
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, fail) => {
      timer = setTimeout(() => fail(new AppError(ErrorCode.Timeout, `reading ${topic} took longer than ${timeoutMs} ms`)), timeoutMs);
    });
    await Promise.race([finished, timeout]).finally(() => clearTimeout(timer));
  } finally {
    await consumer.disconnect();
  }
  return records.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
}

function toRecord(partition: number, offset: string, key: Buffer | null, value: Buffer | null): ModelTopicRecord {
  const base = { partition, offset, key: key?.toString('utf8') ?? null, bytes: value?.length ?? 0 };
  if (value === null) return { ...base, kind: 'tombstone' };
  try {
    return { ...base, kind: 'publication', publication: codec.decode(value) };
  } catch (error) {
    if (!isAppError(error)) throw error;
    return { ...base, kind: 'undecodable', reason: error.message };
  }
}
