import { batchConsumerSettings, type StateVersion } from '@streamrec/foundation';
import { startBatchConsumer, type PartitionBatchHandler, type RunningConsumer } from '@streamrec/foundation/kafka';
import type { Logger, ProcessRuntime } from '@streamrec/foundation/process';
import { partitionOffsetLookup } from '@streamrec/foundation/redis';
import { StagePhase, stageGroupId, stageId, stageInputTopic, type ProcessorManifest } from '../domain/processor-manifest.js';

/** The part of a processor's config the stage consumers read. */
export interface StageConsumersConfig<Topic extends string> {
  /** Every topic name of the manifest; an output may be null (not written), a stage's input may not. */
  readonly topics: Readonly<Record<Topic, string | null>>;
  readonly stateVersion: StateVersion;
  readonly groupVersion: string;
  readonly startFrom: 'earliest' | 'latest';
  readonly startAt?: number | undefined;
  readonly maxRetryDelayMs: number;
  readonly partitionConcurrency: number;
  readonly sessionTimeoutMs: number;
}

/**
 * One consumer per stage of the manifest, each in its stage's group, stateful stages seeking to the
 * offset stored with their state. Repartition stages start first, so the records the source stages
 * produce find their reader running. Each consumer is registered with the runtime's ordered stop.
 */
export async function startStageConsumers<Stage extends string, Topic extends string>(
  manifest: ProcessorManifest<Stage, Topic>,
  config: StageConsumersConfig<Topic>,
  runtime: Pick<ProcessRuntime, 'kafka' | 'store' | 'metrics' | 'onStop'>,
  handlers: Readonly<Record<Stage, PartitionBatchHandler>>,
  log: Logger,
): Promise<RunningConsumer[]> {
  const common = batchConsumerSettings(config);
  const ordered = [...manifest.stages].sort((a, b) => Number(a.phase === StagePhase.Source) - Number(b.phase === StagePhase.Source));
  const consumers: RunningConsumer[] = [];
  for (const stage of ordered) {
    const consumer = await startBatchConsumer(
      { ...common, processor: manifest.processor, groupId: stageGroupId(manifest, stage, config.groupVersion), topics: [stageInputTopic(manifest, stage, config.topics)] },
      {
        kafka: runtime.kafka,
        metrics: runtime.metrics,
        now: Date.now,
        log: log.child({ module: stageId(manifest, stage) }),
        handler: handlers[stage.name],
        ...(stage.offsetField === null ? {} : { storedOffset: partitionOffsetLookup(runtime.store, config.stateVersion, stage.offsetField) }),
      },
    );
    runtime.onStop(() => consumer.stop());
    consumers.push(consumer);
  }
  return consumers;
}
