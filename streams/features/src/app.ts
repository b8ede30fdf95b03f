import { hostname } from 'node:os';
import {
  batchConsumerSettings,
  createProcessRuntime,
  partitionOffsetLookup,
  startBatchConsumer,
  type Logger,
  type RunningProcess,
} from '@streamrec/shared';
import { createEventCodec } from '@streamrec/schemas';
import { checkedDecayHorizonMs, streamContextOf } from '@streamrec/streams-common';
import { openItemActivityOutput } from '@streamrec/streams-common/adapters';
import type { FeaturesConfig } from './config.js';
import { affinityDecay, popularityDecay } from './domain/features-params.js';
import { CatalogueStore } from './adapters/catalogue-store.js';
import { startCatalogueReader, type CatalogueReader } from './adapters/catalogue-reader.js';
import { createExposureRelayHandler } from './adapters/exposure-relay-handler.js';
import { USER_STAGE_FIELD, createUserStageHandler } from './adapters/user-stage-handler.js';
import { ITEM_STAGE_FIELD, createItemStageHandler } from './adapters/item-stage-handler.js';

export const PROCESSOR = 'features';

/** The running features process (shared shape: ready, metrics port, health, stop). */
export type RunningFeatures = RunningProcess;

/**
 * Wires the features process: catalogue reader, the user-stage and item-stage consumers (one group
 * each), the repartition producer, Redis and the metrics server. No business logic here.
 */
export async function startFeatures(config: FeaturesConfig, log: Logger): Promise<RunningFeatures> {
  // Refuse to start close to the forward-decay overflow horizon (README: rebasing t₀).
  const horizon = checkedDecayHorizonMs([affinityDecay(config.params), popularityDecay(config.params)], Date.now(), config.minHorizonMarginMs);
  log.info({ decayHorizon: new Date(horizon).toISOString() }, 'forward-decay horizon');
  const context = streamContextOf(config);
  const { kafka, store, metrics, onStop, stopAll, serve } = createProcessRuntime(config, PROCESSOR, log);
  const activity = createEventCodec('repartition.item-activity.v1');

  try {
    const catalogueStore = new CatalogueStore();
    const catalogue: CatalogueReader = await startCatalogueReader(
      kafka,
      catalogueStore,
      { topic: config.topics.items, groupId: `features-catalogue-${hostname()}-${process.pid}-${Date.now().toString(36)}` },
      log.child({ module: 'catalogue' }),
    );
    onStop(() => catalogue.stop());
    await catalogue.caughtUp();

    const repartition = await openItemActivityOutput(kafka, config.topics.itemActivity, config.partitions.item);
    onStop(() => repartition.stop());

    const common = batchConsumerSettings(config);
    const deps = { kafka, metrics, now: Date.now };
    const itemConsumer = await startBatchConsumer(
      { ...common, processor: PROCESSOR, groupId: `features-item-${config.groupVersion}`, topics: [config.topics.itemActivity] },
      {
        ...deps,
        log: log.child({ module: 'item-stage' }),
        storedOffset: partitionOffsetLookup(store, config.stateVersion, ITEM_STAGE_FIELD),
        handler: createItemStageHandler({ context, params: config.params, activity, store }),
      },
    );
    onStop(() => itemConsumer.stop());
    const userConsumer = await startBatchConsumer(
      { ...common, processor: PROCESSOR, groupId: `features-user-${config.groupVersion}`, topics: [config.topics.interactions] },
      {
        ...deps,
        log: log.child({ module: 'user-stage' }),
        storedOffset: partitionOffsetLookup(store, config.stateVersion, USER_STAGE_FIELD),
        handler: createUserStageHandler({
          context,
          params: config.params,
          interactions: createEventCodec('events.interactions.v1'),
          activity,
          itemInfo: catalogueStore.lookup,
          repartition,
          store,
        }),
      },
    );
    onStop(() => userConsumer.stop());
    const exposureConsumer = await startBatchConsumer(
      { ...common, processor: PROCESSOR, groupId: `features-exposures-${config.groupVersion}`, topics: [config.topics.exposures] },
      {
        ...deps,
        log: log.child({ module: 'exposure-relay' }),
        handler: createExposureRelayHandler({ context, exposures: createEventCodec('serving.exposures.v1'), activity, repartition }),
      },
    );
    onStop(() => exposureConsumer.stop());
    const running = await serve([itemConsumer, userConsumer, exposureConsumer], config.metrics);
    log.info({ version: config.stateVersion, groupVersion: config.groupVersion, startFrom: config.startFrom, startAt: config.startAt, items: catalogueStore.size }, 'features started');
    return running;
  } catch (error) {
    await stopAll();
    throw error;
  }
}
