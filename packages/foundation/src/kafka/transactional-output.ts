import type { Kafka, Producer, Transaction } from 'kafkajs';
import { AppError, ErrorCode } from '../errors.js';
import type { Logger } from '../process/logger.js';
import { lazyAdmin } from './lazy-admin.js';
import { kafkaMessageOf } from './topic-sink.js';

export interface TransactionalOutputOptions {
  /** Where the output records go. */
  readonly outputTopic: string;
  /** The input topic whose offsets measure the output's progress. */
  readonly inputTopic: string;
  /**
   * The consumer group whose committed offsets of `inputTopic` say how far the output was emitted. Nobody
   * consumes with it: only the output's transactions commit to it, together with the records.
   */
  readonly progressGroupId: string;
  /** `<prefix>.<partition>` is the transactional id of an input partition's producer. */
  readonly transactionalIdPrefix: string;
  /** How long an open transaction of a killed process blocks readers before Kafka aborts it (default 60 s; a restart aborts it at once). */
  readonly transactionTimeoutMs?: number;
}

export interface OutputMessage {
  readonly key: string;
  readonly value: Buffer;
  readonly partition?: number;
}

/** Where an input partition's output stands. */
export interface OutputProgress {
  /** The first input offset whose output was not emitted yet (the progress group's commit); undefined: never emitted. */
  readonly next: bigint | undefined;
  /** The first offset Kafka still holds on the input partition (its low watermark). */
  readonly logStart: bigint;
}

/**
 * Exactly-once output derived from one input topic, for a stage whose state lives elsewhere (Redis): the
 * output records of input offsets below `next` and the progress `next` are committed in one Kafka
 * transaction, so a reader with isolation read_committed (every kafkajs consumer by default) sees each
 * input offset's records once, whatever crashes and retries happen. A stage asks `progress` and emits only
 * for input offsets at or after it.
 *
 * Each input partition has its own transactional id: a new producer for it fences the previous one (a
 * killed process, a zombie after a rebalance, another state version's process), whose uncommitted
 * transaction is aborted and whose later sends fail. `progress` is read after that fencing, so it includes
 * every transaction that can still commit. Any failure drops the partition's producer and cached progress
 * and is retriable: the next attempt fences again and re-reads where the output stands.
 */
export interface TransactionalOutput {
  progress(partition: number): Promise<OutputProgress>;
  /** One transaction: the messages and the progress `nextInputOffset` of `partition`, or nothing. */
  emit(partition: number, messages: readonly OutputMessage[], nextInputOffset: bigint): Promise<void>;
  stop(): Promise<void>;
}

interface PartitionProducer {
  readonly producer: Producer;
  progress: OutputProgress | undefined;
}

export function startTransactionalOutput(kafka: Kafka, options: TransactionalOutputOptions, log: Logger): TransactionalOutput {
  const admin = lazyAdmin(kafka);
  const producers = new Map<number, Promise<PartitionProducer>>();
  const transactionTimeout = options.transactionTimeoutMs ?? 60_000;

  const open = async (partition: number): Promise<PartitionProducer> => {
    const producer = kafka.producer({ transactionalId: `${options.transactionalIdPrefix}.${partition}`, idempotent: true, maxInFlightRequests: 1, transactionTimeout });
    await producer.connect();
    try {
      // InitProducerId: fences every earlier producer of this id and waits until its transaction is
      // committed or aborted. Aborting the empty transaction sends nothing.
      const transaction = await producer.transaction();
      await transaction.abort();
    } catch (error) {
      await producer.disconnect().catch(() => undefined);
      throw error;
    }
    return { producer, progress: undefined };
  };

  const producerOf = (partition: number): Promise<PartitionProducer> => {
    let entry = producers.get(partition);
    if (entry === undefined) {
      entry = open(partition);
      producers.set(partition, entry);
      entry.catch(() => producers.delete(partition));
    }
    return entry;
  };

  const drop = async (partition: number): Promise<void> => {
    const entry = producers.get(partition);
    producers.delete(partition);
    if (entry !== undefined) await (await entry.catch(() => undefined))?.producer.disconnect().catch(() => undefined);
  };

  const failure = async (partition: number, what: string, cause: unknown): Promise<AppError> => {
    await drop(partition);
    log.warn({ err: cause, topic: options.outputTopic, partition }, `${what} failed; the partition's producer is fenced or gone, retrying with a new one`);
    return new AppError(ErrorCode.DependencyUnavailable, `${what} of ${options.outputTopic} for ${options.inputTopic}/${partition} failed`, { retriable: true, cause });
  };

  return {
    async progress(partition) {
      try {
        const entry = await producerOf(partition);
        if (entry.progress !== undefined) return entry.progress;
        const client = await admin.get();
        const [committed] = await client.fetchOffsets({ groupId: options.progressGroupId, topics: [options.inputTopic] });
        const offset = committed?.partitions.find((candidate) => candidate.partition === partition)?.offset;
        const low = (await client.fetchTopicOffsets(options.inputTopic)).find((candidate) => candidate.partition === partition)?.low;
        entry.progress = { next: offset === undefined || BigInt(offset) < 0n ? undefined : BigInt(offset), logStart: BigInt(low ?? '0') };
        return entry.progress;
      } catch (error) {
        throw await failure(partition, 'reading the output progress', error);
      }
    },
    async emit(partition, messages, nextInputOffset) {
      let transaction: Transaction | undefined;
      try {
        const entry = await producerOf(partition);
        transaction = await entry.producer.transaction();
        if (messages.length > 0) await transaction.send({ topic: options.outputTopic, acks: -1, messages: messages.map(kafkaMessageOf) });
        await transaction.sendOffsets({ consumerGroupId: options.progressGroupId, topics: [{ topic: options.inputTopic, partitions: [{ partition, offset: nextInputOffset.toString() }] }] });
        await transaction.commit();
        entry.progress = { next: nextInputOffset, logStart: entry.progress?.logStart ?? 0n };
      } catch (error) {
        if (transaction?.isActive() === true) await transaction.abort().catch(() => undefined);
        throw await failure(partition, 'an output transaction', error);
      }
    },
    async stop() {
      await Promise.all([...producers.keys()].map((partition) => drop(partition)));
      await admin.stop();
    },
  };
}
