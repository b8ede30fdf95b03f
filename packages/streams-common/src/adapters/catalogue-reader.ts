import type { Consumer, ConsumerRunConfig, Kafka } from 'kafkajs';
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
  await consumer.run(runConfig);
  settle();
  return {
    caughtUp: () => caughtUp,
    isCaughtUp: () => pending.size === 0,
    undecodable: () => undecodable,
    stop: async () => {
      stopRestarts();
      await consumer.disconnect();
    },
  };
}
