/**
 * Child process of the streams benchmark: runs ONE stage of one processor (the same handler and the
 * same shared consumer loop the process uses) over a pre-filled topic into a fresh state version, and
 * prints one JSON line `{ stage, events, seconds, cpuSeconds }` on stdout. Spawned by streams.ts
 * (pinned with `taskset` when available). Argument: the JSON of `StageRunSpec`.
 */
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { Redis } from 'ioredis';
import pino from 'pino';
import { createProcessorMetrics } from '@streamrec/foundation/metrics';
import { createRedisStateStore } from '@streamrec/foundation/redis';
import { watchScriptDurations } from './script-durations.js';
import { kafkaClientOptions, loadKafkaConfig, loadRedisConfig, offsetsKey, parseStateVersion } from '@streamrec/foundation';
import { loadBenchEnvironment } from '../config.js';
import { startBatchConsumer, startTopicSink, type PartitionBatchHandler } from '@streamrec/foundation/kafka';
import { createEventCodec } from '@streamrec/schemas/avro';
import type { StreamContext } from '@streamrec/streams-common';
import { featuresParamsSchema } from '@streamrec/features';
import { cooccurrenceParamsSchema } from '@streamrec/cooccurrence';
import { CatalogueStore } from '@streamrec/streams-common';
import { startCatalogueReader } from '@streamrec/streams-common/adapters';
import { USER_STAGE_FIELD as FEATURES_USER_FIELD, ITEM_STAGE_FIELD as FEATURES_ITEM_FIELD } from '@streamrec/features';
import { createUserStageHandler as featuresUserHandler, createItemStageHandler as featuresItemHandler } from '@streamrec/features/app';
import { USER_STAGE_FIELD as COOC_USER_FIELD, ITEM_STAGE_FIELD as COOC_ITEM_FIELD } from '@streamrec/cooccurrence';
import { createUserStageHandler as coocUserHandler, createItemStageHandler as coocItemHandler } from '@streamrec/cooccurrence/app';
import { createRedisUserStageReads, openPairOutput } from '@streamrec/cooccurrence/app';
import { Registry } from 'prom-client';
import { Stage, type StageRunResult, type StageRunSpec } from './stage-spec.js';

const fields: Record<Stage, string> = {
  [Stage.FeaturesUser]: FEATURES_USER_FIELD,
  [Stage.CooccurrenceUser]: COOC_USER_FIELD,
  [Stage.FeaturesItem]: FEATURES_ITEM_FIELD,
  [Stage.CooccurrenceItem]: COOC_ITEM_FIELD,
};

async function main(spec: StageRunSpec): Promise<StageRunResult> {
  const log = pino({ level: 'warn' });
  // Where Kafka and Redis are comes from the spec; the credentials (admin: the bench's own topics and groups) from the stack's env.
  const { stack } = loadBenchEnvironment();
  const kafka = new Kafka({ clientId: `bench-${spec.stage}`, ...kafkaClientOptions({ ...loadKafkaConfig(stack, 'admin', 'bench stage'), brokers: spec.brokers }), logLevel: logLevel.NOTHING });
  const redis = new Redis({ ...loadRedisConfig(stack, 'admin', 'bench stage'), host: spec.redis.host, port: spec.redis.port });
  // Wall time spent waiting for the atomic applies and for the repartition acks, to see where a stage waits.
  const waits = { applySeconds: 0, produceSeconds: 0, pairsSeconds: 0 };
  const timedCall = async <T>(slot: keyof typeof waits, call: () => Promise<T>): Promise<T> => {
    const began = performance.now();
    try {
      return await call();
    } finally {
      waits[slot] += (performance.now() - began) / 1000;
    }
  };
  const redisStore = createRedisStateStore(redis);
  const store: typeof redisStore = { applyBatch: (input) => timedCall('applySeconds', () => redisStore.applyBatch(input)), storedOffset: (key, field) => redisStore.storedOffset(key, field) };
  const version = parseStateVersion(spec.version);
  const context: StreamContext = { version, userPartitions: 6, itemPartitions: 6 };
  const activity = createEventCodec('repartition.item-activity.v1');
  const interactions = createEventCodec('events.interactions.v1');
  const stoppers: (() => Promise<unknown>)[] = [async () => redis.quit()];

  let handler: PartitionBatchHandler;
  if (spec.stage === Stage.FeaturesUser || spec.stage === Stage.CooccurrenceUser) {
    const sink = await startTopicSink(kafka, spec.repartition);
    const repartition: typeof sink = { send: (messages) => timedCall('produceSeconds', () => sink.send(messages)), stop: sink.stop };
    stoppers.push(() => repartition.stop());
    if (spec.stage === Stage.FeaturesUser) {
      const catalogueStore = new CatalogueStore();
      const catalogue = await startCatalogueReader(kafka, catalogueStore, { topic: spec.items, groupId: `bench-catalogue-${hostname()}-${process.pid}` }, log);
      stoppers.push(() => catalogue.stop());
      await catalogue.caughtUp();
      const params = featuresParamsSchema.parse({});
      handler = featuresUserHandler({ context, params, interactions, activity, itemInfo: catalogueStore.lookup, repartition, store });
    } else {
      const output =
        spec.pairs === undefined
          ? undefined
          : await openPairOutput(kafka, { pairsTopic: spec.pairs, interactionsTopic: spec.input, partitions: 6, codec: createEventCodec('events.cooccurrence.v1'), registry: new Registry(), log });
      if (output !== undefined) stoppers.push(() => output.stop());
      const pairs =
        output === undefined
          ? undefined
          : { progress: (partition: number) => output.progress(partition), skipped: (...args: Parameters<typeof output.skipped>) => output.skipped(...args), emit: (...args: Parameters<typeof output.emit>) => timedCall('pairsSeconds', () => output.emit(...args)) };
      handler = coocUserHandler({ context, params: cooccurrenceParamsSchema.parse({}), interactions, activity, reads: createRedisUserStageReads(redis), repartition, store, pairs });
    }
  } else if (spec.stage === Stage.FeaturesItem) {
    handler = featuresItemHandler({ context, params: featuresParamsSchema.parse({}), activity, store });
  } else {
    handler = coocItemHandler({ context, params: cooccurrenceParamsSchema.parse({}), activity, store });
  }

  // The clock starts at the first batch: group join and the first fetch round trip are not throughput.
  let firstBatchAt: number | undefined;
  let cpuAtFirst: NodeJS.CpuUsage | undefined;
  let batches = 0;
  const timed: PartitionBatchHandler = {
    prepare(batch) {
      batches += 1;
      if (firstBatchAt === undefined) {
        firstBatchAt = performance.now();
        cpuAtFirst = process.cpuUsage();
      }
      return handler.prepare(batch);
    },
  };

  const admin = kafka.admin();
  await admin.connect();
  const ends = (await admin.fetchTopicOffsets(spec.input)).map(({ partition, high, low }) => ({ partition, high: BigInt(high), low: BigInt(low) }));
  await admin.disconnect();
  const events = ends.reduce((sum, { high, low }) => sum + Number(high - low), 0);

  const scriptDurations = await watchScriptDurations(redis);
  const scriptsBefore = await redisScriptMicros(redis);
  const commandsBefore = await redisCommandCalls(redis);
  let pollCommands = 0;
  const consumer = await startBatchConsumer(
    {
      processor: `bench-${spec.stage}`,
      groupId: `bench-${spec.stage}-${spec.groupSuffix}`,
      topics: [spec.input],
      fromBeginning: true,
      maxRetryDelayMs: 1_000,
      partitionsConsumedConcurrently: spec.partitionConcurrency,
    },
    { kafka, handler: timed, log, metrics: createProcessorMetrics(`bench_${spec.stage.replace('-', '_')}`), now: Date.now },
  );
  stoppers.push(() => consumer.stop());
  const field = fields[spec.stage];
  for (;;) {
    const pipeline = redis.pipeline();
    for (const { partition } of ends) pipeline.hget(offsetsKey(version, partition), field);
    pollCommands += ends.length;
    const stored = ((await pipeline.exec()) ?? []).map(([, value]) => (typeof value === 'string' ? BigInt(value) : -1n));
    if (ends.every(({ high, low }, index) => high === low || (stored[index] ?? -1n) + 1n >= high)) break;
    await sleep(5); // polling period of the measurement, not a wait for a result
  }
  const finished = performance.now();
  const cpu = process.cpuUsage(cpuAtFirst);
  const scriptSeconds = ((await redisScriptMicros(redis)) - scriptsBefore) / 1e6;
  // The measurement's own INFO calls are left out by name, its polling HGETs by count.
  const redisCommandsByName = commandsBetween(commandsBefore, await redisCommandCalls(redis));
  if (redisCommandsByName.hget !== undefined) redisCommandsByName.hget -= pollCommands;
  const redisCommands = Object.values(redisCommandsByName).reduce((sum, calls) => sum + calls, 0);
  const scripts = await scriptDurations.stop();
  for (const stop of stoppers.reverse()) await stop().catch(() => undefined);
  return { stage: spec.stage, events, seconds: (finished - (firstBatchAt ?? finished)) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, batches, redisScriptSeconds: scriptSeconds, redisCommands, redisCommandsByName, scripts, ...waits };
}

/** Time Redis spent in scripts (every client's: an upper bound for this stage on a shared server). */
async function redisScriptMicros(redis: Redis): Promise<number> {
  const text = await redis.info('commandstats');
  let micros = 0;
  for (const match of text.matchAll(/cmdstat_(?:evalsha|eval):calls=\d+,usec=(\d+)/g)) micros += Number(match[1]);
  return micros;
}

/**
 * Commands Redis executed, every client's, those run inside scripts included (INFO commandstats counts
 * them per command), but not the script calls themselves nor INFO: what a stage costs Redis in commands.
 */
async function redisCommandCalls(redis: Redis): Promise<Map<string, number>> {
  const text = await redis.info('commandstats');
  const calls = new Map<string, number>();
  for (const match of text.matchAll(/cmdstat_([a-z_|]+):calls=(\d+)/g)) {
    const name = match[1] ?? '';
    if (!['eval', 'evalsha', 'eval_ro', 'evalsha_ro', 'info'].includes(name)) calls.set(name, Number(match[2]));
  }
  return calls;
}

/** Commands run between two `redisCommandCalls` snapshots, by name, the most frequent first. */
function commandsBetween(before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>): Record<string, number> {
  const ran = [...after].map(([name, calls]) => [name, calls - (before.get(name) ?? 0)] as const).filter(([, calls]) => calls > 0);
  return Object.fromEntries(ran.sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1)));
}

const spec = JSON.parse(process.argv[2] ?? '{}') as StageRunSpec;
main(spec).then(
  (result) => {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.exit(0);
  },
  (error: unknown) => {
    process.stderr.write(`${String((error as Error).stack ?? error)}\n`);
    process.exit(1);
  },
);
