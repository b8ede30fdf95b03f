import { setTimeout as sleep } from 'node:timers/promises';
import type { Batch, Consumer, ConsumerRunConfig, Kafka } from 'kafkajs';
import { ErrorCode, isAppError } from '../errors.js';
import type { ReadPosition } from '../state/state-store.js';
import type { Logger } from '../process/logger.js';
import type { ProcessorMetrics } from '../metrics/processor-metrics.js';
import { deadLetterMessage, deadLetterTopic, type DeadLetterInput } from './dead-letter.js';
import { checkStartAgainstLog, groupStarts, partitionId, pinLatestStarts, resolvePartitionStarts, type LogMismatch, type MemberAssignment, type PartitionLog, type PartitionStart } from './assignment-seek.js';
import { endOffsets, groupProcessedOffsets } from './topic-offsets.js';
import { startLagReporter } from './lag-reporter.js';
import { lazyAdmin, type LazyAdmin } from './lazy-admin.js';
import { crashRecovery, isKafkaClientError, restartDelayMs } from './crash-recovery.js';
import { renewingProducer, type RecordSender } from './renewing-producer.js';

export interface ConsumedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestampMs: number;
}

/**
 * What a processor does with one partition's batch, in two phases so nothing is lost:
 * `prepare` computes (pure domain work, safe to repeat); the loop then writes the dead letters
 * (acknowledged by Kafka) and only then calls `commit`, which applies state together with the
 * partition offset atomically. A crash in between re-reads the batch; the stored offset skips it.
 */
export interface PartitionBatchHandler {
  prepare(batch: PartitionBatch): Promise<PreparedBatch>;
}

export interface PartitionBatch {
  readonly topic: string;
  readonly partition: number;
  readonly records: readonly ConsumedRecord[];
  /**
   * Where the consumer read this batch from, and where the partition starts without a stored offset. A
   * stage passes it to the state store's apply (`readFrom`), which refuses the batch when the store is
   * behind it (rolled back); the loop then re-reads from where the store stands. Undefined: not known (no
   * continuity check).
   */
  readonly readFrom?: ReadPosition;
}

export interface PreparedBatch {
  readonly deadLetters: readonly DeadLetterInput[];
  /** Event times of the applied records, for the freshness histogram. */
  readonly eventTimesMs: readonly number[];
  commit(): Promise<void>;
}

export interface BatchConsumerOptions {
  readonly processor: string;
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly fromBeginning: boolean;
  readonly maxRetryDelayMs: number;
  /** A partition without a stored offset starts at the first record at or after this time (epoch ms). */
  readonly startAtTimestampMs?: number;
  /**
   * Partitions whose batches run at the same time (kafkajs `partitionsConsumedConcurrently`; default 1).
   * Each partition's batches stay in order, and its state and offset live in its own hash slot, so one
   * partition's atomic apply in Redis overlaps another's decode and domain work instead of idling the
   * process. Only for stages whose partitions share no state (normalize's cross-topic state does).
   */
  readonly partitionsConsumedConcurrently?: number;
  /**
   * How long the group waits for a silent member before giving its partitions to others (default 30 s):
   * after a kill -9 the partitions stall this long.
   */
  readonly sessionTimeoutMs?: number;
  /** How often `stream_consumer_lag` is refreshed between batches (default 10 s). */
  readonly lagIntervalMs?: number;
}

export interface BatchConsumerDependencies {
  readonly kafka: Kafka;
  readonly handler: PartitionBatchHandler;
  readonly log: Logger;
  readonly metrics: ProcessorMetrics;
  readonly now: () => number;
  /**
   * Where the state store stands for a partition (its last applied offset, undefined = never applied).
   * On every assignment the loop seeks there + 1, so a new group, lost commits or a new state version
   * resume exactly where the state is. Omitted by stages without state (relays): Kafka commits decide.
   */
  readonly storedOffset?: (topic: string, partition: number) => Promise<bigint | undefined>;
}

export interface RunningConsumer {
  readonly consumer: Consumer;
  isRunning(): boolean;
  /** Resolves at the consumer's first fetch, once the first assignment's starts are in place (a `latest` start is pinned). */
  firstFetch(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The one consumer loop of the project: batches per partition, retriable errors retried with
 * backoff on the same batch (the offset does not move), dead letters before state (each sent once
 * per batch, however often the batch is retried), Kafka commits only after the atomic apply (they are
 * advisory: the offset stored with the state decides).
 */
export async function startBatchConsumer(options: BatchConsumerOptions, deps: BatchConsumerDependencies): Promise<RunningConsumer> {
  const { kafka, handler, log, metrics } = deps;
  const sessionTimeout = options.sessionTimeoutMs ?? 30_000;
  // kafkajs heartbeats only between batches or when asked: 1 MiB per partition keeps a batch (≈ 2,000
  // interactions) well inside the session timeout even under load, and the loop heartbeats between phases.
  const consumer = kafka.consumer({
    groupId: options.groupId,
    maxWaitTimeInMs: 50,
    maxBytesPerPartition: 1024 * 1024,
    sessionTimeout,
    heartbeatInterval: Math.min(3_000, Math.floor(sessionTimeout / 3)),
  });
  // The dead-letter producer lives as long as the consumer: renewed when the broker loses its state.
  const producer = renewingProducer(kafka, { idempotent: true, maxInFlightRequests: 1 });
  let running = false;
  const fetched = new Promise<void>((resolve) => {
    const remove = consumer.on(consumer.events.FETCH, () => {
      remove();
      resolve();
    });
  });
  await Promise.all([consumer.connect(), producer.connect()]);
  await consumer.subscribe({ topics: [...options.topics], fromBeginning: options.fromBeginning });
  const admin = lazyAdmin(kafka);
  const starts = trackPartitionStarts(consumer, admin, options, deps);
  // Dead letters Kafka acknowledged: a batch prepared again (a retry after its apply failed, a re-read after
  // REC_STATE_GAP or a rebalance) must not send them twice. Bounded; a crash between a batch's send and its
  // apply still sends them again after the restart (readers count letters by source record: jobs/dq).
  const sentLetters = recentIds(SENT_LETTERS_REMEMBERED);
  const lagReporter = startLagReporter(admin, consumer, metrics, { groupId: options.groupId, intervalMs: options.lagIntervalMs ?? 10_000, storedOffset: deps.storedOffset }, log);
  // Set when the batch handler itself failed (not kafkajs): such a crash is not restarted by the loop.
  let handlerFailed = false;
  let stopping = false;
  let restartAttempt = 0;
  let restartTimer: NodeJS.Timeout | undefined;
  const restart = (): void => {
    restartAttempt += 1;
    const delay = restartDelayMs(restartAttempt, 30_000);
    log.warn({ attempt: restartAttempt, delay }, 'kafkajs gave up on the consumer; the loop restarts it');
    restartTimer = setTimeout(() => {
      if (stopping) return;
      // A restart that crashes again during its join is reported by another CRASH event, which decides anew.
      consumer
        .connect()
        .then(() => consumer.run(runConfig))
        .then(() => metrics.consumerRestarts.inc({ by: 'loop' }))
        .catch((error: unknown) => {
          log.error({ err: error, attempt: restartAttempt }, 'restarting the consumer failed');
          if (!stopping) restart();
        });
    }, delay);
  };
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    const recovery = crashRecovery({ kafkajsRestarts: payload.restart, handlerFailed });
    handlerFailed = false;
    log.error({ err: payload.error, restart: payload.restart, recovery }, 'consumer crashed');
    if (stopping) return;
    // Only a crash nobody restarts stops the processor (and makes it unhealthy).
    running = recovery !== 'stop';
    if (recovery === 'kafkajs') metrics.consumerRestarts.inc({ by: 'kafkajs' });
    if (recovery === 'restart') restart();
  });

  const runConfig: ConsumerRunConfig = {
    eachBatchAutoResolve: false,
    autoCommit: true,
    partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 1,
    eachBatch: async (payload) => {
      const { batch } = payload;
      // Seeks decided at the last assignment must be in place before anything is applied: a batch fetched
      // before them is dropped (kafkajs refetches from the seek), and records below the start are not ours.
      await starts.settled();
      if (payload.isStale() || starts.blocked(batch.topic, batch.partition)) return;
      const floor = starts.floor(batch.topic, batch.partition);
      const messages = floor === undefined ? batch.messages : batch.messages.filter((message) => BigInt(message.offset) >= floor);
      if (messages.length === 0) return;
      const records: ConsumedRecord[] = messages.map((message) => ({
        topic: batch.topic,
        partition: batch.partition,
        offset: BigInt(message.offset),
        key: message.key,
        value: message.value,
        timestampMs: Number(message.timestamp),
      }));
      const lastOffset = batch.lastOffset();
      const started = performance.now();
      for (let attempt = 1; payload.isRunning() && !payload.isStale(); attempt += 1) {
        try {
          const prepared = await handler.prepare({ topic: batch.topic, partition: batch.partition, records, readFrom: readPositionOf(batch, starts.freshStart(batch.topic, batch.partition)) });
          await payload.heartbeat();
          const letters = prepared.deadLetters.filter((letter) => !sentLetters.has(deadLetterId(letter)));
          if (letters.length > 0) {
            await sendDeadLetters(producer, options.processor, letters, deps);
            for (const letter of letters) sentLetters.add(deadLetterId(letter));
          }
          await prepared.commit();
          await payload.heartbeat();
          payload.resolveOffset(lastOffset);
          await payload.commitOffsetsIfNecessary();
          restartAttempt = 0;
          const appliedAt = deps.now();
          metrics.events.inc({ topic: batch.topic }, records.length);
          for (const eventTime of prepared.eventTimesMs) metrics.freshness.observe(Math.max(0, appliedAt - eventTime) / 1000);
          metrics.batches.observe({ topic: batch.topic }, (performance.now() - started) / 1000);
          metrics.lag.set({ topic: batch.topic, partition: String(batch.partition) }, Math.max(0, Number(BigInt(batch.highWatermark) - BigInt(lastOffset) - 1n)));
          return;
        } catch (error) {
          if (isAppError(error, ErrorCode.StateOffsetGap)) {
            // The state went back in time under this consumer: re-read from where it stands. The records
            // of this batch come again after the gap (the stored offset skips nothing twice).
            const resumeAt = BigInt(String(error.details?.resumeAt));
            metrics.stateGaps.inc({ topic: batch.topic });
            log.error({ topic: batch.topic, partition: batch.partition, readFrom: fetchedOffsetOf(batch)?.toString(), resumeAt: resumeAt.toString() }, `${error.message} (docs/OPERATIONS.md#state-rolled-back)`);
            // Rolled back to before the log's start (retention ran since): re-reading from the log start would skip what was deleted.
            if (await starts.blockIfDeleted(batch.topic, batch.partition, resumeAt)) return;
            starts.rewind(batch.topic, batch.partition, resumeAt);
            consumer.seek({ topic: batch.topic, partition: batch.partition, offset: resumeAt.toString() });
            return;
          }
          if (!isAppError(error) || !error.retriable) {
            // kafkajs restarts the consumer after retriable errors; the stored offset protects state.
            handlerFailed = !isKafkaClientError(error);
            throw error;
          }
          metrics.retries.inc({ code: error.code });
          const delay = Math.min(options.maxRetryDelayMs, 100 * 2 ** Math.min(attempt, 10));
          log.warn({ err: error, topic: batch.topic, partition: batch.partition, attempt, delay }, 'retriable error; retrying the batch');
          await payload.heartbeat();
          await sleep(delay);
        }
      }
    },
  };
  await consumer.run(runConfig);
  running = true;
  return {
    consumer,
    isRunning: () => running,
    // The first fetch counts once the first assignment's starts are in place: a record written after it
    // resolves is at or after every start (a partition pinned to its log end found the end before it).
    firstFetch: () => fetched.then(() => starts.settled()),
    async stop() {
      stopping = true;
      clearTimeout(restartTimer);
      running = false;
      await lagReporter.stop();
      await consumer.disconnect();
      await producer.disconnect();
      await starts.stop();
      await admin.stop();
    },
  };
}

interface PartitionStarts {
  /** Resolves once the seeks of the latest assignment are registered with the consumer. */
  settled(): Promise<void>;
  /** The first offset this assignment may apply on a partition (undefined: no floor). */
  floor(topic: string, partition: number): bigint | undefined;
  /** Lowers a partition's floor to `offset` (a re-read after the state store went back in time). */
  rewind(topic: string, partition: number, offset: bigint): void;
  /**
   * After the state went back to `next` under a running consumer: when the log no longer starts at or
   * before `next`, pauses the partition as a `deleted` log mismatch and answers true (do not seek).
   */
  blockIfDeleted(topic: string, partition: number, next: bigint): Promise<boolean>;
  /** The partition is paused: its log no longer matches its state (nothing of it is applied). */
  blocked(topic: string, partition: number): boolean;
  /** Where the partition starts without a stored offset, as of the last assignment (ReadPosition.freshStart). */
  freshStart(topic: string, partition: number): bigint | undefined;
  stop(): Promise<void>;
}

/** On every GROUP_JOIN: seek each assigned partition to its stored offset + 1, to `startAtTimestampMs`, or to its pinned log end. */
function trackPartitionStarts(consumer: Consumer, admin: LazyAdmin, options: BatchConsumerOptions, deps: BatchConsumerDependencies): PartitionStarts {
  let pending: Promise<void> = Promise.resolve();
  let floors = new Map<string, bigint>();
  let freshStarts = new Map<string, bigint>();
  let blocked = new Map<string, LogMismatch>();
  let stopped = false;
  const partitionLogs = async (topic: string): Promise<ReadonlyMap<number, PartitionLog>> => {
    const offsets = await (await admin.get()).fetchTopicOffsets(topic);
    return new Map(offsets.map(({ partition, low, high }) => [partition, { low: BigInt(low), high: BigInt(high) }]));
  };
  /**
   * A partition whose stored offset the log contradicts is paused with an error and a metric instead of
   * resumed somewhere else; the next assignment checks again (after a rebuild it resumes).
   */
  const blockMismatches = async (starts: readonly PartitionStart[]): Promise<ReadonlySet<string>> => {
    for (const mismatch of blocked.values()) {
      deps.metrics.logMismatch.remove({ topic: mismatch.topic, partition: String(mismatch.partition), kind: mismatch.kind });
      consumer.resume([{ topic: mismatch.topic, partitions: [mismatch.partition] }]);
    }
    const next = new Map<string, LogMismatch>();
    const topics = [...new Set(starts.filter((start) => start.from === 'stored').map((start) => start.topic))];
    const logs = new Map(await Promise.all(topics.map(async (topic) => [topic, await partitionLogs(topic)] as const)));
    for (const start of starts) {
      const mismatch = checkStartAgainstLog(start, logs.get(start.topic)?.get(start.partition));
      if (mismatch !== undefined) pauseFor(mismatch, next);
    }
    blocked = next;
    return new Set(next.keys());
  };
  const pauseFor = (mismatch: LogMismatch, into: Map<string, LogMismatch>): void => {
    into.set(partitionId(mismatch.topic, mismatch.partition), mismatch);
    consumer.pause([{ topic: mismatch.topic, partitions: [mismatch.partition] }]);
    deps.metrics.logMismatch.set({ topic: mismatch.topic, partition: String(mismatch.partition), kind: mismatch.kind }, 1);
    deps.log.error({ topic: mismatch.topic, partition: mismatch.partition, kind: mismatch.kind }, `partition paused: ${mismatch.message}; rebuild the state (docs/OPERATIONS.md#log-mismatch)`);
  };
  const offsetsAtTimestamp = async (topic: string, timestampMs: number): Promise<ReadonlyMap<number, bigint>> => {
    const offsets = await (await admin.get()).fetchTopicOffsetsByTimestamp(topic, timestampMs);
    return new Map(offsets.map(({ partition, offset }) => [partition, BigInt(offset)]));
  };
  const earliestOffsets = async (topic: string): Promise<ReadonlyMap<number, bigint>> => {
    const offsets = await (await admin.get()).fetchTopicOffsets(topic);
    return new Map(offsets.map(({ partition, low }) => [partition, BigInt(low)]));
  };
  /** Where each partition would start without a stored offset: its own start unless that came from the state. */
  const freshStartsOf = async (starts: readonly PartitionStart[]): Promise<Map<string, bigint>> => {
    const lookedUp = new Map<string, ReadonlyMap<number, bigint>>();
    for (const topic of new Set(starts.filter((start) => start.from === 'stored').map((start) => start.topic))) {
      if (options.startAtTimestampMs !== undefined) lookedUp.set(topic, await offsetsAtTimestamp(topic, options.startAtTimestampMs));
      else if (options.fromBeginning === true) lookedUp.set(topic, await earliestOffsets(topic));
    }
    const result = new Map<string, bigint>();
    for (const start of starts) {
      const offset = start.from === 'group' ? undefined : start.from === 'stored' ? lookedUp.get(start.topic)?.get(start.partition) : start.offset;
      if (offset !== undefined) result.set(partitionId(start.topic, start.partition), offset);
    }
    return result;
  };
  /** Log ends of this process's first assignment, for partitions left to a group with nothing committed (`pinLatestStarts`). */
  const pinnedLatest = new Map<string, bigint>();
  const pinLatest = async (starts: PartitionStart[]): Promise<PartitionStart[]> => {
    const open = groupStarts(starts);
    if (options.fromBeginning === true || open.length === 0) return starts;
    const client = await admin.get();
    const committed = new Set<string>();
    const logEnds = new Map<string, bigint>();
    // In parallel: kafkajs resolves its own "latest" meanwhile, and what lands in between is below the pin.
    await Promise.all(
      [...new Set(open.map((start) => start.topic))].map(async (topic) => {
        const [processed, ends] = await Promise.all([groupProcessedOffsets(client, options.groupId, topic), endOffsets(client, topic)]);
        for (const [partition, offset] of processed) if (offset !== undefined) committed.add(partitionId(topic, partition));
        for (const [partition, end] of ends) logEnds.set(partitionId(topic, partition), end);
      }),
    );
    return pinLatestStarts(starts, pinnedLatest, { committed, logEnds });
  };
  const seekAll = async (assignment: MemberAssignment): Promise<void> => {
    const resolved = await resolvePartitionStarts(assignment, {
      storedOffset: deps.storedOffset,
      offsetsAtTimestamp,
      startAtTimestampMs: options.startAtTimestampMs,
      earliestOffsets,
      fromBeginning: options.fromBeginning,
    });
    const starts = await pinLatest(resolved);
    const paused = await blockMismatches(starts);
    const next = new Map<string, bigint>();
    for (const start of starts) {
      if (start.from === 'group' || paused.has(partitionId(start.topic, start.partition))) continue;
      next.set(partitionId(start.topic, start.partition), start.offset);
      consumer.seek({ topic: start.topic, partition: start.partition, offset: start.offset.toString() });
    }
    floors = next;
    freshStarts = await freshStartsOf(starts);
    const count = (from: string): number => starts.filter((start) => start.from === from).length;
    deps.log.info({ fromStored: count('stored'), fromTimestamp: count('timestamp'), fromEarliest: count('earliest'), fromLatest: count('latest'), byGroup: count('group') }, 'partitions assigned');
    deps.log.debug({ starts: starts.map((start) => ({ ...start, offset: 'offset' in start ? start.offset.toString() : undefined })) }, 'partition starts');
  };
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    const assignment = payload.memberAssignment as MemberAssignment;
    // A failed lookup (Redis down) must not let the loop apply from the Kafka commit unchecked: retry until it works.
    pending = pending.then(async () => {
      for (let attempt = 1; !stopped; attempt += 1) {
        try {
          await seekAll(assignment);
          return;
        } catch (error) {
          const delay = Math.min(options.maxRetryDelayMs, 100 * 2 ** Math.min(attempt, 10));
          deps.log.warn({ err: error, attempt, delay }, 'resolving partition starts failed; retrying');
          await sleep(delay);
        }
      }
    });
  });
  return {
    settled: () => pending,
    floor: (topic, partition) => floors.get(partitionId(topic, partition)),
    rewind(topic, partition, offset) {
      const id = partitionId(topic, partition);
      const floor = floors.get(id);
      if (floor !== undefined && offset < floor) floors.set(id, offset);
    },
    async blockIfDeleted(topic, partition, next) {
      const mismatch = checkStartAgainstLog({ topic, partition, from: 'stored', offset: next }, (await partitionLogs(topic)).get(partition));
      if (mismatch?.kind !== 'deleted') return false;
      pauseFor(mismatch, blocked);
      return true;
    },
    blocked: (topic, partition) => blocked.has(partitionId(topic, partition)),
    freshStart: (topic, partition) => freshStarts.get(partitionId(topic, partition)),
    stop() {
      stopped = true;
      return Promise.resolve();
    },
  };
}

/** Where `batch` was read from, with where its partition starts without a stored offset when known. */
function readPositionOf(batch: Batch, freshStart: bigint | undefined): ReadPosition | undefined {
  const offset = fetchedOffsetOf(batch);
  if (offset === undefined) return undefined;
  return freshStart === undefined ? { offset } : { offset, freshStart };
}

/**
 * The offset the fetch that returned `batch` started at: kafkajs keeps it on the batch (`fetchedOffset`)
 * without declaring it in its types. Below the first record's offset when records were compacted away or
 * are transaction markers.
 */
function fetchedOffsetOf(batch: Batch): bigint | undefined {
  const fetched = (batch as Batch & { readonly fetchedOffset?: string | number }).fetchedOffset;
  return fetched === undefined || fetched === null ? undefined : BigInt(fetched);
}

/** How many dead-letter ids a consumer remembers (oldest forgotten first). */
const SENT_LETTERS_REMEMBERED = 100_000;

/** A set of the last `capacity` ids added. */
function recentIds(capacity: number): { has(id: string): boolean; add(id: string): void } {
  const ids = new Set<string>();
  return {
    has: (id) => ids.has(id),
    add(id) {
      ids.delete(id);
      ids.add(id);
      if (ids.size > capacity) ids.delete(ids.values().next().value as string);
    },
  };
}

/** One dead letter per source record and reason. */
function deadLetterId(letter: DeadLetterInput): string {
  return `${letter.topic}/${letter.partition}/${letter.offset}/${letter.code}`;
}

async function sendDeadLetters(producer: RecordSender, processor: string, letters: readonly DeadLetterInput[], deps: BatchConsumerDependencies): Promise<void> {
  const failedAt = deps.now();
  const messages = letters.map((letter) => {
    const { key, value } = deadLetterMessage(processor, letter, failedAt);
    return { key: key === null ? null : Buffer.from(key), value };
  });
  await producer.send({ topic: deadLetterTopic(processor), acks: -1, messages });
  for (const letter of letters) {
    deps.metrics.deadLettered.inc({ reason: letter.code });
    deps.log.warn({ topic: letter.topic, partition: letter.partition, offset: letter.offset.toString(), code: letter.code, reason: letter.reason }, 'dead-lettered');
  }
}
