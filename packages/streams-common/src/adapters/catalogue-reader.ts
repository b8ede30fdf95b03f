import type { Admin, Consumer, ConsumerRunConfig, Kafka } from 'kafkajs';
import { isAppError } from '@streamrec/foundation';
import { keepConsumerRunning, nonEmptyEndOffsets } from '@streamrec/foundation/kafka';
import { type Logger } from '@streamrec/foundation/process';
import { createEventCodec } from '@streamrec/schemas/avro';
import { type ItemChange } from '@streamrec/schemas';

/** Where catalogue changes go: the features processor's CatalogueStore, or the API's catalogue and content index. */
export interface CatalogueSink {
  apply(change: ItemChange): unknown;
  /** A compaction tombstone for the key: the item is gone. */
  forget(id: string): void;
  readonly size: number;
}

export interface CatalogueReaderOptions {
  readonly topic: string;
  /** A group of its own per process: every instance reads the whole compacted topic; nothing is committed. */
  readonly groupId: string;
}

export interface CatalogueReader {
  /** Resolves once every partition was read up to its high watermark as of the start. */
  caughtUp(): Promise<void>;
  isCaughtUp(): boolean;
  /**
   * Resolves once every partition was read up to its high watermark as of this call, or after
   * `timeoutMs` (resolving false): what a user stage awaits before it joins an event with an item the
   * catalogue does not know yet.
   */
  readToEnd(timeoutMs: number): Promise<boolean>;
  /** Records that could not be decoded (skipped: the catalogue is a cache, not a processor's state). */
  undecodable(): number;
  stop(): Promise<void>;
}

/**
 * Keeps the catalogue store up to date from the compacted events.items.v1: reads from the beginning on
 * every start and then follows live changes. The user stage waits for `caughtUp` before processing,
 * so its first batches do not see an empty catalogue.
 */
export async function startCatalogueReader(kafka: Kafka, store: CatalogueSink, options: CatalogueReaderOptions, log: Logger): Promise<CatalogueReader> {
  const codec = createEventCodec('events.items.v1');
  const pending = await nonEmptyEndOffsets(kafka, options.topic);
  let markCaughtUp: () => void = () => undefined;
  const caughtUp = new Promise<void>((resolve) => {
    markCaughtUp = resolve;
  });
  const settle = (): void => {
    if (pending.size === 0) {
      log.info({ items: store.size }, 'catalogue caught up');
      markCaughtUp();
    }
  };
  let undecodable = 0;
  // Where each partition was read up to (next offset), and who waits for a position.
  const readUpTo = new Map<number, bigint>();
  let waiters: { targets: Map<number, bigint>; done: (reached: boolean) => void }[] = [];
  const reached = (targets: Map<number, bigint>): boolean => [...targets].every(([partition, end]) => (readUpTo.get(partition) ?? 0n) >= end);
  const wakeWaiters = (): void => {
    if (waiters.length === 0) return;
    const still: typeof waiters = [];
    for (const waiter of waiters) {
      if (reached(waiter.targets)) waiter.done(true);
      else still.push(waiter);
    }
    waiters = still;
  };
  const consumer: Consumer = kafka.consumer({ groupId: options.groupId, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic: options.topic, fromBeginning: true });
  const runConfig: ConsumerRunConfig = {
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      for (const message of batch.messages) {
        if (message.value === null) {
          if (message.key !== null) store.forget(message.key.toString('utf8'));
          continue;
        }
        try {
          store.apply(codec.decode(message.value));
        } catch (error) {
          if (!isAppError(error)) throw error;
          undecodable += 1;
          log.error({ err: error, partition: batch.partition, offset: message.offset }, 'catalogue record skipped');
        }
      }
      readUpTo.set(batch.partition, BigInt(batch.lastOffset()) + 1n);
      wakeWaiters();
      const target = pending.get(batch.partition);
      if (target !== undefined && BigInt(batch.lastOffset()) + 1n >= target) {
        pending.delete(batch.partition);
        settle();
      }
      return Promise.resolve();
    },
  };
  // kafkajs gives up on a consumer after some broker errors ("Failed to find group coordinator" while a
  // broker restarts); the catalogue would then stop following changes for good: new datasets never
  // recommended, deleted ones kept. Nothing is committed, so a restart reads the compacted topic again.
  const stopRestarts = keepConsumerRunning(consumer, runConfig, log);
  // One admin connection for every readToEnd (a user stage may ask once per batch), opened on first use.
  let admin: Admin | undefined;
  const endOffsets = async (): Promise<Map<number, bigint>> => {
    if (admin === undefined) {
      const opened = kafka.admin();
      await opened.connect();
      admin = opened;
    }
    const ends = new Map<number, bigint>();
    for (const { partition, high, low } of await admin.fetchTopicOffsets(options.topic)) {
      if (BigInt(high) > BigInt(low)) ends.set(partition, BigInt(high));
    }
    return ends;
  };
  await consumer.run(runConfig);
  settle();
  return {
    caughtUp: () => caughtUp,
    isCaughtUp: () => pending.size === 0,
    readToEnd: async (timeoutMs) => {
      const targets = await endOffsets();
      if (reached(targets)) return true;
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          waiters = waiters.filter((waiter) => waiter.done !== done);
          resolve(false);
        }, timeoutMs);
        const done = (hit: boolean): void => {
          clearTimeout(timer);
          resolve(hit);
        };
        waiters.push({ targets, done });
      });
    },
    undecodable: () => undecodable,
    stop: async () => {
      stopRestarts();
      for (const waiter of waiters) waiter.done(false);
      waiters = [];
      await admin?.disconnect();
      await consumer.disconnect();
    },
  };
}
