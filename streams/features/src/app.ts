import { hostname } from 'node:os';
import { createProcessRuntime, type Logger, type RunningProcess } from '@streamrec/foundation/process';
import { createEventCodec } from '@streamrec/schemas/avro';
import { CatalogueStore, checkedDecayHorizonMs, streamContextOf } from '@streamrec/streams-common';
import { openItemActivityOutput, startCatalogueReader, startStageConsumers } from '@streamrec/streams-common/adapters';
import type { FeaturesConfig } from './config.js';
import { affinityDecay, popularityDecay } from './domain/features-params.js';
import { createExposureRelayHandler } from './adapters/exposure-relay-handler.js';
import { createUserStageHandler } from './adapters/user-stage-handler.js';
import { createItemStageHandler } from './adapters/item-stage-handler.js';
import { featuresManifest } from './manifest.js';
import { createProfileStageHandler } from './adapters/profile-stage-handler.js';
import { catalogueBarrierWithMetrics } from './adapters/catalogue-wait.js';

/** The running features process (shared shape: ready, metrics port, health, stop). */
export type RunningFeatures = RunningProcess;

/**
 * Wires the features process: the catalogue reader, one consumer per stage of the manifest, the
 * repartition producer, Redis and the metrics server. No business logic here.
 */
export async function startFeatures(config: FeaturesConfig, log: Logger): Promise<RunningFeatures> {
  // Refuse to start close to the forward-decay overflow horizon (README: rebasing t₀).
  const horizon = checkedDecayHorizonMs([affinityDecay(config.params), popularityDecay(config.params)], Date.now(), config.minHorizonMarginMs);
  log.info({ decayHorizon: new Date(horizon).toISOString() }, 'forward-decay horizon');
  const context = streamContextOf(config);
  const runtime = createProcessRuntime(config, featuresManifest.processor, log);
  const { kafka, store, onStop, stopAll, serve } = runtime;
  const activity = createEventCodec('repartition.item-activity.v1');

  try {
    const catalogueStore = new CatalogueStore();
    const catalogue = await startCatalogueReader(
      kafka,
      catalogueStore,
      { topic: config.topics.items, groupId: `features-catalogue-${hostname()}-${process.pid}-${Date.now().toString(36)}` },
      log.child({ module: 'catalogue' }),
    );
    onStop(() => catalogue.stop());
    await catalogue.caughtUp();

    const awaitCatalogue = catalogueBarrierWithMetrics(catalogueStore, catalogue, runtime.metrics.registry, log);

    const repartition = await openItemActivityOutput(kafka, config.topics.itemActivity, config.partitions.item);
    onStop(() => repartition.stop());

    const consumers = await startStageConsumers(featuresManifest, config, runtime, {
      user: createUserStageHandler({
        context,
        params: config.params,
        interactions: createEventCodec('events.interactions.v1'),
        activity,
        itemInfo: catalogueStore.lookup,
        awaitCatalogue,
        repartition,
        store,
      }),
      item: createItemStageHandler({ context, params: config.params, activity, store }),
      exposures: createExposureRelayHandler({ context, exposures: createEventCodec('serving.exposures.v1'), activity, repartition }),
      profile: createProfileStageHandler({ context, users: createEventCodec('events.users.v1'), usersPartitions: config.partitions.users, store }),
    }, log);
    const running = await serve(consumers, config.metrics);
    log.info({ version: config.stateVersion, groupVersion: config.groupVersion, startFrom: config.startFrom, startAt: config.startAt, items: catalogueStore.size }, 'features started');
    return running;
  } catch (error) {
    await stopAll();
    throw error;
  }
}
