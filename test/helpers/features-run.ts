import type { Redis } from 'ioredis';
import { Partitioners, type Admin, type Kafka, type Producer } from 'kafkajs';
import { offsetsKey, type StateVersion } from '@streamrec/foundation';
import { ITEM_STAGE_FIELD as FEATURES_ITEM, USER_STAGE_FIELD as FEATURES_USER, itemFeatureKeys } from '@streamrec/features';
import { createEventCodec } from '@streamrec/schemas/avro';
import { itemIdOf, type StreamContext } from '@streamrec/streams-common';
import { distinctEventsPerItem, generateWorkload, type SyntheticWorkload } from './interaction-generator.js';
import { StreamChild } from './stream-child.js';
import { waitFor } from './wait-for.js';
import { createTopicsReady } from '@streamrec/foundation/kafka';

export interface FeaturesRunOptions {
  /** Names the run's topics and consumer groups (`test.<tag>.…`, `…-<tag>`). */
  readonly tag: string;
  readonly version: StateVersion;
  readonly events: number;
  readonly seed: number;
  readonly logFile: string;
  /** Extra environment of the process (e.g. STREAMREC_REDIS_PORT of a test-owned Redis). */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * The real features process on test-owned topics, fed a synthetic workload in chunks, with the checks a
 * fault test needs: caught up (user stage at the interactions' end, then item stage at the repartition
 * topic's end) and the item counts against the distinct events per item of the generated data.
 */
export class FeaturesRun {
  readonly workload: SyntheticWorkload;
  readonly topics: { readonly interactions: string; readonly items: string; readonly itemActivity: string; readonly exposures: string; readonly users: string };
  readonly process: StreamChild<'features'>;
  private readonly producer: Producer;
  private readonly interactionCodec = createEventCodec('events.interactions.v1');

  constructor(
    kafka: Kafka,
    private readonly admin: Admin,
    private readonly redis: Redis,
    private readonly options: FeaturesRunOptions,
  ) {
    const { tag } = options;
    this.topics = { interactions: `test.${tag}.interactions`, items: `test.${tag}.items`, itemActivity: `test.${tag}.item-activity`, exposures: `test.${tag}.exposures`, users: `test.${tag}.users` };
    const dayMs = 86_400_000;
    const firstItemId = 7_600_000_000 + Math.floor(Math.random() * 100_000) * 1_000;
    this.workload = generateWorkload({ seed: options.seed, events: options.events, users: Math.max(50, Math.round(options.events / 8)), items: 800, firstItemId, startMs: Math.floor(Date.now() / dayMs) * dayMs - 3 * dayMs, spanMs: 2 * dayMs, eventIdPrefix: `${tag}:` });
    this.process = new StreamChild(
      'features',
      {
        STREAMREC_FEATURES_STATE_VERSION: options.version,
        STREAMREC_FEATURES_GROUP_VERSION: tag,
        STREAMREC_FEATURES_START_FROM: 'earliest',
        STREAMREC_FEATURES_METRICS_PORT: '0',
        STREAMREC_FEATURES_TOPICS: JSON.stringify(this.topics),
        STREAMREC_LOG_LEVEL: 'warn',
        ...options.env,
      },
      options.logFile,
    );
    this.producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1 });
  }

  /** Creates the topics and publishes the catalogue. */
  async prepare(): Promise<void> {
    await createTopicsReady(this.admin, {
      topics: [
        { topic: this.topics.interactions, numPartitions: 6 },
        { topic: this.topics.items, numPartitions: 3 },
        { topic: this.topics.itemActivity, numPartitions: 6 },
        { topic: this.topics.exposures, numPartitions: 1 },
        { topic: this.topics.users, numPartitions: 1 },
      ],
    });
    await this.producer.connect();
    const itemCodec = createEventCodec('events.items.v1');
    await this.producer.send({ topic: this.topics.items, acks: -1, messages: this.workload.catalogue.map((item) => ({ key: String(item.id), value: itemCodec.encode(item) })) });
  }

  /**
   * Publishes chunk `chunk` of `of` in sends of `perSend` interactions. `onSent` is called after each
   * acknowledged send; a failed send is given to `onFailure`, which decides whether to retry it (true).
   */
  async sendChunk(chunk: number, of: number, hooks: { perSend?: number; onSent?: (sent: number) => Promise<void> | void; onFailure?: (error: unknown) => Promise<boolean> } = {}): Promise<void> {
    const size = Math.ceil(this.workload.interactions.length / of);
    const values = this.workload.interactions.slice(chunk * size, (chunk + 1) * size);
    const perSend = hooks.perSend ?? 2_000;
    for (let start = 0; start < values.length; start += perSend) {
      const messages = values.slice(start, start + perSend).map((value) => ({ key: value.user_id, value: this.interactionCodec.encode(value) }));
      for (;;) {
        try {
          await this.producer.send({ topic: this.topics.interactions, acks: -1, messages });
          break;
        } catch (error) {
          if (hooks.onFailure === undefined || !(await hooks.onFailure(error))) throw error;
        }
      }
      await hooks.onSent?.(Math.min(start + perSend, values.length));
    }
  }

  /** Waits until the user stage stored the interactions' end and the item stage the repartition topic's end. */
  async caughtUp(what: string, timeoutMs = 300_000): Promise<void> {
    await waitFor(() => this.storedAtEnd(FEATURES_USER, this.topics.interactions), { timeoutMs, intervalMs: 250, description: `the user stage to apply ${what}` });
    await waitFor(() => this.storedAtEnd(FEATURES_ITEM, this.topics.itemActivity), { timeoutMs, intervalMs: 250, description: `the item stage to apply ${what}` });
  }

  /** Items whose counts differ from the generated data's distinct events, and the total counted. */
  async countDifferences(): Promise<{ readonly wrong: readonly string[]; readonly total: number; readonly expectedTotal: number }> {
    const context: StreamContext = { version: this.options.version, userPartitions: 6, itemPartitions: 6 };
    const expected = distinctEventsPerItem(this.workload.interactions);
    const pipeline = this.redis.pipeline();
    for (const item of expected.keys()) pipeline.hgetall(itemFeatureKeys(context, itemIdOf(String(item))).counts);
    const replies = (await pipeline.exec()) ?? [];
    const actual = [...expected.keys()].map((item, index) => [item, Object.values((replies[index]?.[1] ?? {}) as Record<string, string>).reduce((sum, count) => sum + Number(count), 0)] as const);
    return {
      wrong: actual.filter(([item, count]) => count !== expected.get(item)).map(([item, count]) => `item ${item}: ${count} ≠ ${expected.get(item)}`),
      total: actual.reduce((sum, [, count]) => sum + count, 0),
      expectedTotal: this.workload.interactions.length - this.workload.duplicates,
    };
  }

  /** Stops the process and removes the topics and groups. */
  async cleanup(): Promise<void> {
    await this.process.stop();
    await this.producer.disconnect().catch(() => undefined);
    await this.admin.deleteGroups(['features-user', 'features-item', 'features-exposures', 'features-profile'].map((group) => `${group}-${this.options.tag}`)).catch(() => undefined);
    await this.admin.deleteTopics({ topics: Object.values(this.topics) }).catch(() => undefined);
  }

  private async storedAtEnd(field: string, topic: string): Promise<boolean> {
    if (this.process.crashed !== undefined) throw new Error(this.process.crashed);
    const ends = (await this.admin.fetchTopicOffsets(topic)).sort((a, b) => a.partition - b.partition).map(({ high }) => BigInt(high));
    for (const [partition, end] of ends.entries()) {
      if (end === 0n) continue;
      const stored = await this.redis.hget(offsetsKey(this.options.version, partition), field).catch(() => null);
      if (stored === null || BigInt(stored) < end - 1n) return false;
    }
    return true;
  }
}
