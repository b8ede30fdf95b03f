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
import type { CooccurrenceConfig } from './config.js';
import { cooccurrenceDecay } from './domain/cooccurrence-params.js';
import { createRedisUserStageReads } from './adapters/redis-user-reads.js';
import { USER_STAGE_FIELD, createUserStageHandler } from './adapters/user-stage-handler.js';
import { ITEM_STAGE_FIELD, createItemStageHandler } from './adapters/item-stage-handler.js';

export const PROCESSOR = 'cooccurrence';

/** The running cooccurrence process (shared shape: ready, metrics port, health, stop). */
export type RunningCooccurrence = RunningProcess;

/**
 * Wires the cooccurrence process: the user-stage and item-stage consumers (one group each), the
 * repartition producer, Redis and the metrics server. No business logic here.
 */
export async function startCooccurrence(config: CooccurrenceConfig, log: Logger): Promise<RunningCooccurrence> {
  // Refuse to start close to the forward-decay overflow horizon (README: rebasing t₀).
  const horizon = checkedDecayHorizonMs([cooccurrenceDecay(config.params)], Date.now(), config.minHorizonMarginMs);
  log.info({ decayHorizon: new Date(horizon).toISOString() }, 'forward-decay horizon');
  const context = streamContextOf(config);
  const { kafka, redis, store, metrics, onStop, stopAll, serve } = createProcessRuntime(config, PROCESSOR, log);
  const activity = createEventCodec('repartition.item-activity.v1');

  try {
    const repartition = await openItemActivityOutput(kafka, config.topics.itemActivity, config.partitions.item);
    onStop(() => repartition.stop());

    const common = batchConsumerSettings(config);
    const deps = { kafka, metrics, now: Date.now };
    const itemConsumer = await startBatchConsumer(
      { ...common, processor: PROCESSOR, groupId: `cooccurrence-item-${config.groupVersion}`, topics: [config.topics.itemActivity] },
      {
        ...deps,
        log: log.child({ module: 'item-stage' }),
        storedOffset: partitionOffsetLookup(store, config.stateVersion, ITEM_STAGE_FIELD),
        handler: createItemStageHandler({ context, params: config.params, activity, store }),
      },
    );
    onStop(() => itemConsumer.stop());
    const userConsumer = await startBatchConsumer(
      { ...common, processor: PROCESSOR, groupId: `cooccurrence-user-${config.groupVersion}`, topics: [config.topics.interactions] },
      {
        ...deps,
        log: log.child({ module: 'user-stage' }),
        storedOffset: partitionOffsetLookup(store, config.stateVersion, USER_STAGE_FIELD),
        handler: createUserStageHandler({
          context,
          params: config.params,
          interactions: createEventCodec('events.interactions.v1'),
          activity,
          reads: createRedisUserStageReads(redis),
          repartition,
          store,
        }),
      },
    );
    onStop(() => userConsumer.stop());
    const running = await serve([itemConsumer, userConsumer], config.metrics);
    log.info({ version: config.stateVersion, groupVersion: config.groupVersion, startFrom: config.startFrom, startAt: config.startAt }, 'cooccurrence started');
    return running;
  } catch (error) {
    await stopAll();
    throw error;
  }
}
