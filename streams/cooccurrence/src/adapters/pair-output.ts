import type { Kafka } from 'kafkajs';
import { Counter, type Registry } from 'prom-client';
import { ensureTopic, startTransactionalOutput, type OutputProgress } from '@streamrec/foundation/kafka';
import type { Logger } from '@streamrec/foundation/process';
import type { AvroCodec } from '@streamrec/schemas/avro';
import type { CooccurrenceIncrement } from '@streamrec/schemas';
import type { PairEmissionSkip } from '../domain/pair-emission.js';
import type { PairIncrement } from '../domain/pair-increments.js';
import { pairsProgress } from '../manifest.js';

/** What the user stage needs to commit its pair increments exactly once (README: Pair increments). */
export interface PairOutput {
  progress(partition: number): Promise<OutputProgress>;
  /** One Kafka transaction: the increments and the progress `nextInputOffset` of the interactions partition. */
  emit(partition: number, increments: readonly PairIncrement[], nextInputOffset: bigint): Promise<void>;
  /** A batch whose pairs this process may not emit (pair-emission.ts): counted, and logged once per partition and reason. */
  skipped(partition: number, reason: PairEmissionSkip): void;
  stop(): Promise<void>;
}

export interface PairOutputOptions {
  readonly pairsTopic: string;
  readonly interactionsTopic: string;
  /** The pairs topic's partitions: one per interactions partition (created with them when missing). */
  readonly partitions: number;
  readonly codec: AvroCodec<CooccurrenceIncrement>;
  readonly registry: Registry;
  readonly log: Logger;
}

/** The declared settings of events.cooccurrence.v1 (schemas/topics.json), for a pairs topic a process creates. */
const PAIRS_TOPIC_CONFIG: Readonly<Record<string, string>> = { 'cleanup.policy': 'delete', 'retention.ms': '-1' };

export async function openPairOutput(kafka: Kafka, options: PairOutputOptions): Promise<PairOutput> {
  await ensureTopic(kafka, { topic: options.pairsTopic, partitions: options.partitions, config: PAIRS_TOPIC_CONFIG });
  const progress = pairsProgress(options.pairsTopic, options.interactionsTopic);
  const output = startTransactionalOutput(
    kafka,
    { outputTopic: options.pairsTopic, inputTopic: options.interactionsTopic, progressGroupId: progress.groupId, transactionalIdPrefix: progress.transactionalIdPrefix },
    options.log,
  );
  const emitted = new Counter({ name: 'cooccurrence_pair_increments_total', help: 'Pair increment records committed to the pairs topic', registers: [options.registry] });
  const skippedBatches = new Counter({
    name: 'cooccurrence_pair_batches_skipped_total',
    help: 'Batches whose pairs this process did not emit: already emitted, or a gap it cannot fill (pair-emission.ts)',
    labelNames: ['reason'],
    registers: [options.registry],
  });
  const logged = new Set<string>();
  return {
    progress: (partition) => output.progress(partition),
    async emit(partition, increments, nextInputOffset) {
      const messages = increments.map((increment) => ({
        key: `${increment.item}:${increment.other}`,
        partition: partition % options.partitions,
        value: options.codec.encode({ event_date: increment.day, item_id: Number(increment.item), other_item_id: Number(increment.other), pair_count: increment.pairCount, weight: increment.weight }),
      }));
      await output.emit(partition, messages, nextInputOffset);
      emitted.inc(messages.length);
    },
    skipped(partition, reason) {
      skippedBatches.inc({ reason });
      const key = `${partition}:${reason}`;
      if (reason === 'already_emitted' || logged.has(key)) return;
      logged.add(key);
      options.log.warn(
        { topic: options.pairsTopic, partition, reason },
        'pair increments not emitted: this process cannot continue the pairs topic here (a later batch that continues it emits; see streams/cooccurrence/README.md)',
      );
    },
    stop: () => output.stop(),
  };
}
