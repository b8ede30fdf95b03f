import { Kafka, Partitioners, logLevel as kafkaLogLevel } from 'kafkajs';
import { Redis } from 'ioredis';
import type { Server } from 'node:http';
import { kafkaClientOptions } from '@streamrec/foundation';
import { kafkaLogCreator, nonEmptyEndOffsets, renewingProducer, startBatchConsumer, type RunningConsumer } from '@streamrec/foundation/kafka';
import { createProcessorMetrics, startMetricsServer, type ProcessorMetrics } from '@streamrec/foundation/metrics';
import { createRedisStateStore } from '@streamrec/foundation/redis';
import { type Logger } from '@streamrec/foundation/process';
import { SourceTable, cdcTopicOf, cdcTopics } from '@streamrec/cdc';
import { Gauge } from 'prom-client';
import { createInMemoryState, createNormalizer, residentStoreNames, transactionalState } from './domain/index.js';
import { redisErasureGate } from '@streamrec/streams-common/adapters';
import { createNormalizeBatchHandler } from './adapters/batch-handler.js';
import { keyedVisitorPseudonym } from './adapters/keyed-visitor-pseudonym.js';
import { createEventPublisher } from './adapters/event-producer.js';
import { createLookupCacheMetrics, createNormalizeMetrics } from './adapters/normalize-metrics.js';
import { createStateLookups, redisLookupReader } from './adapters/state-lookups.js';
import { loadStateSnapshot, normalizeOffsetsKey, offsetField } from './adapters/redis-normalize-state.js';
import type { NormalizeConfig } from './config.js';
import { startCatalogueReadAhead, type CatalogueReadAhead } from './adapters/catalogue-read-ahead.js';

export const PROCESSOR = 'normalize';

export interface NormalizeDependencies {
  readonly log: Logger;
  readonly now?: () => number;
  /** Tests pass false: no HTTP listener. */
  readonly serveMetrics?: boolean;
}

export interface RunningNormalize {
  readonly metrics: ProcessorMetrics;
  isRunning(): boolean;
  /**
   * Resolves at the consumer's next fetch once the starts of its assignment are in place (for a new group
   * with fromBeginning false, the log ends, pinned), so records produced from then on are read.
   */
  fetching(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Wires the normaliser: loads its resident state from Redis, puts bounded caches in front of the
 * stores that grow with the source, builds the one normaliser of the process and runs ONE consumer
 * over all cdc.* topics (the state is global; see README "Running").
 */
export async function startNormalize(config: NormalizeConfig, deps: NormalizeDependencies): Promise<RunningNormalize> {
  const now = deps.now ?? Date.now;
  const log = deps.log.child({ module: 'normalize' });
  const redis = new Redis({ ...config.redis, maxRetriesPerRequest: 3, lazyConnect: true });
  await redis.connect();
  const kafka = new Kafka({ clientId: config.clientId, ...kafkaClientOptions(config.kafka), logLevel: kafkaLogLevel.WARN, logCreator: kafkaLogCreator(log) });
  // Kafka's own (Java) partitioner, as packages/foundation/src/state/murmur2.ts assumes for user_id / id keys.
  // Renewed when the broker loses its state (a broker kill -9), so the retried batch gets through.
  const producer = renewingProducer(kafka, { idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  let consumer: RunningConsumer | undefined;
  let readAhead: CatalogueReadAhead | undefined;
  let server: Server | undefined;
  try {
    const metrics = createProcessorMetrics(PROCESSOR);
    // The stores bounded by FIFO rings are loaded whole; the ones that grow with the source are
    // read per batch through bounded caches (adapters/state-lookups.ts).
    const snapshot = await loadStateSnapshot(redis, config.stateVersion, residentStoreNames);
    const lookups = createStateLookups({ read: redisLookupReader(redis, config.stateVersion), capacity: config.stateCacheCapacity, metrics: createLookupCacheMetrics(metrics.registry) });
    const resident = createInMemoryState(snapshot);
    const state = transactionalState({ ...resident, ...lookups.stores });
    const normalizer = createNormalizer({ state, settings: config.settings });
    await producer.connect();
    const store = createRedisStateStore(redis);
    const handler = createNormalizeBatchHandler({
      visitorPseudonym: keyedVisitorPseudonym(config.visitorPseudonymKey),
      version: config.stateVersion,
      normalizer,
      state,
      store,
      publisher: createEventPublisher(producer),
      metrics: createNormalizeMetrics(metrics.registry),
      log,
      now,
      lookups,
      reloadResident: async () => resident.reload(await loadStateSnapshot(redis, config.stateVersion, residentStoreNames)),
      erasures: redisErasureGate(redis, config.visitorPseudonymKey),
    });
    log.info(
      { version: config.stateVersion, groupId: config.groupId, fromBeginning: config.fromBeginning, parked: Object.keys(snapshot.parked).length, stateCacheCapacity: config.stateCacheCapacity },
      'state loaded',
    );
    consumer = await startBatchConsumer(
      { processor: PROCESSOR, groupId: config.groupId, topics: cdcTopics, fromBeginning: config.fromBeginning, startAtTimestampMs: config.startAt, maxRetryDelayMs: config.maxRetryDelayMs },
      // All of normalize's offsets live in one hash under {normalize}, one field per topic and partition.
      { kafka, handler, log, metrics, now, storedOffset: async (topic, partition) => store.storedOffset(normalizeOffsetsKey(config.stateVersion), offsetField(topic, partition)) },
    );
    const running = consumer;
    readAhead = startCatalogueReadAheadOf(config, kafka, running, store, metrics, log);
    if (deps.serveMetrics !== false) {
      server = await startMetricsServer({ host: config.metrics.host, port: config.metrics.port, registry: metrics.registry, isHealthy: () => running.isRunning() });
    }
    return {
      metrics,
      isRunning: () => running.isRunning(),
      fetching: () =>
        new Promise<void>((resolve) => {
          const remove = running.consumer.on(running.consumer.events.FETCH, () => {
            remove();
            resolve();
          });
        }).then(() => running.firstFetch()),
      async stop() {
        readAhead?.stop();
        await running.stop();
        await producer.disconnect();
        await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
        await redis.quit();
        log.info('stopped');
      },
    };
  } catch (error) {
    await consumer?.stop().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    redis.disconnect();
    throw error;
  }
}

const DATASETS_TOPIC = cdcTopicOf(SourceTable.ShopDatasets);

/** The datasets first, then every other cdc.* topic (adapters/catalogue-read-ahead.ts). */
function startCatalogueReadAheadOf(
  config: NormalizeConfig,
  kafka: Kafka,
  running: RunningConsumer,
  store: ReturnType<typeof createRedisStateStore>,
  metrics: ProcessorMetrics,
  log: Logger,
): CatalogueReadAhead {
  const holding = new Gauge({ name: 'normalize_datasets_read_ahead', help: '1 while the other cdc.* topics wait for cdc.shop.datasets to be read up to its end as of the start', registers: [metrics.registry] });
  return startCatalogueReadAhead({
    catalogueTopic: DATASETS_TOPIC,
    otherTopics: cdcTopics.filter((topic) => topic !== DATASETS_TOPIC),
    consumer: running.consumer,
    endOffsets: () => nonEmptyEndOffsets(kafka, DATASETS_TOPIC),
    storedOffset: (partition) => store.storedOffset(normalizeOffsetsKey(config.stateVersion), offsetField(DATASETS_TOPIC, partition)),
    startsAtLatest: !config.fromBeginning || config.startAt !== undefined,
    log,
    onHold: (hold) => holding.set(hold ? 1 : 0),
  });
}
