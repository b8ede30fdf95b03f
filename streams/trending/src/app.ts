import { createProcessRuntime, type Logger, type RunningProcess } from '@streamrec/foundation/process';
import { createEventCodec } from '@streamrec/schemas/avro';
import { streamContextOf } from '@streamrec/streams-common';
import { openItemActivityOutput, startStageConsumers } from '@streamrec/streams-common/adapters';
import type { TrendingConfig } from './config.js';
import { createItemStageHandler } from './adapters/item-stage-handler.js';
import { createRedisTrendingStateReader } from './adapters/redis-trending-state.js';
import { createCatalogueRelayHandler } from './adapters/catalogue-relay-handler.js';
import { trendingManifest } from './manifest.js';

/** The running trending process (shared shape: ready, metrics port, health, stop). */
export type RunningTrending = RunningProcess;

/**
 * Wires the trending process: one consumer per stage of the manifest (the item stage and the
 * catalogue relay), the producer, Redis and the metrics server. No business logic here.
 */
export async function startTrending(config: TrendingConfig, log: Logger): Promise<RunningTrending> {
  const context = streamContextOf(config);
  const runtime = createProcessRuntime(config, trendingManifest.processor, log);
  const { kafka, redis, store, onStop, stopAll, serve } = runtime;
  const activity = createEventCodec('repartition.item-activity.v1');

  try {
    const output = await openItemActivityOutput(kafka, config.topics.itemActivity, config.partitions.item);
    onStop(() => output.stop());

    const consumers = await startStageConsumers(trendingManifest, config, runtime, {
      item: createItemStageHandler({ context, params: config.params, activity, reader: createRedisTrendingStateReader(redis), store }),
      catalogue: createCatalogueRelayHandler({ context, items: createEventCodec('events.items.v1'), activity, sink: output }),
    }, log);
    const running = await serve(consumers, config.metrics);
    log.info({ version: config.stateVersion, groupVersion: config.groupVersion, startFrom: config.startFrom, startAt: config.startAt }, 'trending started');
    return running;
  } catch (error) {
    await stopAll();
    throw error;
  }
}
