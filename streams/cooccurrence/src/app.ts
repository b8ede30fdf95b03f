import { createProcessRuntime, type Logger, type RunningProcess } from '@streamrec/foundation/process';
import { createEventCodec } from '@streamrec/schemas/avro';
import { checkedDecayHorizonMs, streamContextOf } from '@streamrec/streams-common';
import { openItemActivityOutput, startStageConsumers } from '@streamrec/streams-common/adapters';
import type { CooccurrenceConfig } from './config.js';
import { cooccurrenceDecay } from './domain/cooccurrence-params.js';
import { createRedisUserStageReads } from './adapters/redis-user-reads.js';
import { createUserStageHandler } from './adapters/user-stage-handler.js';
import { createItemStageHandler } from './adapters/item-stage-handler.js';
import { openPairOutput } from './adapters/pair-output.js';
import { cooccurrenceManifest } from './manifest.js';

/** The running cooccurrence process (shared shape: ready, metrics port, health, stop). */
export type RunningCooccurrence = RunningProcess;

/**
 * Wires the cooccurrence process: one consumer per stage of the manifest, the repartition producer, the
 * pair increments' transactional producers (when `topics.pairs` names a topic), Redis and the metrics
 * server. No business logic here.
 */
export async function startCooccurrence(config: CooccurrenceConfig, log: Logger): Promise<RunningCooccurrence> {
  // Refuse to start close to the forward-decay overflow horizon (README: rebasing t₀).
  const horizon = checkedDecayHorizonMs([cooccurrenceDecay(config.params)], Date.now(), config.minHorizonMarginMs);
  log.info({ decayHorizon: new Date(horizon).toISOString() }, 'forward-decay horizon');
  const context = streamContextOf(config);
  const runtime = createProcessRuntime(config, cooccurrenceManifest.processor, log);
  const { kafka, redis, store, onStop, stopAll, serve } = runtime;
  const activity = createEventCodec('repartition.item-activity.v1');

  try {
    const repartition = await openItemActivityOutput(kafka, config.topics.itemActivity, config.partitions.item);
    onStop(() => repartition.stop());
    const pairs =
      config.topics.pairs === null
        ? undefined
        : await openPairOutput(kafka, {
            pairsTopic: config.topics.pairs,
            interactionsTopic: config.topics.interactions,
            partitions: config.partitions.user,
            codec: createEventCodec('events.cooccurrence.v1'),
            registry: runtime.metrics.registry,
            log: log.child({ module: 'pairs' }),
          });
    if (pairs !== undefined) onStop(() => pairs.stop());

    const consumers = await startStageConsumers(cooccurrenceManifest, config, runtime, {
      user: createUserStageHandler({
        context,
        params: config.params,
        interactions: createEventCodec('events.interactions.v1'),
        activity,
        reads: createRedisUserStageReads(redis),
        repartition,
        store,
        pairs,
      }),
      item: createItemStageHandler({ context, params: config.params, activity, store }),
    }, log);
    const running = await serve(consumers, config.metrics);
    log.info({ version: config.stateVersion, groupVersion: config.groupVersion, startFrom: config.startFrom, startAt: config.startAt, pairs: config.topics.pairs }, 'cooccurrence started');
    return running;
  } catch (error) {
    await stopAll();
    throw error;
  }
}
