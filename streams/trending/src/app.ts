import {
  batchConsumerSettings,
  createProcessRuntime,
  partitionOffsetLookup,
  startBatchConsumer,
  type Logger,
  type RunningProcess,
} from '@streamrec/shared';
import { createEventCodec } from '@streamrec/schemas';
import { streamContextOf } from '@streamrec/streams-common';
import { openItemActivityOutput } from '@streamrec/streams-common/adapters';
import type { TrendingConfig } from './config.js';
import { ITEM_STAGE_FIELD, createItemStageHandler } from './adapters/item-stage-handler.js';
import { createRedisTrendingStateReader } from './adapters/redis-trending-state.js';
import { createCatalogueRelayHandler } from './adapters/catalogue-relay-handler.js';

export const PROCESSOR = 'trending';

/** The running trending process (shared shape: ready, metrics port, health, stop). */
export type RunningTrending = RunningProcess;

/**
 * Wires the trending process: the item stage (repartition.item-activity.v1 → hot-list buckets), the
 * catalogue relay (events.items.v1 → availability records), the producer, Redis and the metrics
 * server. No business logic here.
 */
export async function startTrending(config: TrendingConfig, log: Logger): Promise<RunningTrending> {
  const context = streamContextOf(config);
  const { kafka, redis, store, metrics, onStop, stopAll, serve } = createProcessRuntime(config, PROCESSOR, log);
  const activity = createEventCodec('repartition.item-activity.v1');

  try {
    const output = await openItemActivityOutput(kafka, config.topics.itemActivity, config.partitions.item);
    onStop(() => output.stop());

    const common = batchConsumerSettings(config);
    const deps = { kafka, metrics, now: Date.now };
    const itemConsumer = await startBatchConsumer(
      { ...common, processor: PROCESSOR, groupId: `trending-item-${config.groupVersion}`, topics: [config.topics.itemActivity] },
      {
        ...deps,
        log: log.child({ module: 'item-stage' }),
        storedOffset: partitionOffsetLookup(store, config.stateVersion, ITEM_STAGE_FIELD),
        handler: createItemStageHandler({ context, params: config.params, activity, reader: createRedisTrendingStateReader(redis), store }),
      },
    );
    onStop(() => itemConsumer.stop());
    const relayConsumer = await startBatchConsumer(
      { ...common, processor: PROCESSOR, groupId: `trending-catalogue-${config.groupVersion}`, topics: [config.topics.items] },
      { ...deps, log: log.child({ module: 'catalogue-relay' }), handler: createCatalogueRelayHandler({ context, items: createEventCodec('events.items.v1'), activity, sink: output }) },
    );
    onStop(() => relayConsumer.stop());
    const running = await serve([itemConsumer, relayConsumer], config.metrics);
    log.info({ version: config.stateVersion, groupVersion: config.groupVersion, startFrom: config.startFrom, startAt: config.startAt }, 'trending started');
    return running;
  } catch (error) {
    await stopAll();
    throw error;
  }
}
