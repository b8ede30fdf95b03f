/**
 * Integration (needs the local stack's Kafka and Redis: `npm run setup`): 200,000 synthetic interactions
 * replayed by features, cooccurrence and trending, run as child processes on test-owned topics, once
 * cleanly into state version A, then again into version B while the processes are killed with
 * SIGKILL (the whole process group) at random moments, at least 10 times, and restarted until caught up.
 * Every Redis key of B must equal its key in A (DUMP), and the per-item counts must equal an
 * independent recount of distinct event ids from the generated data, in Redis and in ClickHouse
 * (streams/clickhouse-sink runs in the chaos pass and is killed like the others; its rows are removed
 * afterwards). The daily pair increments cooccurrence commits in Kafka transactions (one pairs topic per
 * pass) must equal an independent recount of the pairs from the generated data in both passes: the clean
 * pass's topic as read back, the chaos pass's as the sink wrote it into ClickHouse cooccurrence_increments
 * and, through its view, cooccurrence — no pair counted twice or lost across the kill -9s.
 *
 * Both passes read the same interactions topic and the same repartition topic: the item stages'
 * float sums (ZINCRBY of decayed weights) depend on the order of the repartition topic, which the user
 * stages of several processes interleave nondeterministically; so pass B's item stages replay the log
 * pass A's user stages wrote (plus pass B's own copies of every record, at new offsets: all must be
 * caught by the dedup guards), which is what "replay from zero gives the same state" promises.
 *
 * `STREAMREC_KILL_REPLAY_EVENTS` (default 200000) and `STREAMREC_KILL_REPLAY_SEED` override the size
 * and seed for local iteration.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Partitioners, type Admin } from 'kafkajs';
import type { Redis } from 'ioredis';
import type { ClickHouseClient } from '@clickhouse/client';
import { offsetsKey, parseStateVersion, type StateVersion } from '@streamrec/foundation';
import { createEventCodec } from '@streamrec/schemas/avro';
import { itemIdOf, type StreamContext } from '@streamrec/streams-common';
import { seededRandom } from '@streamrec/streams-common/testing';
import { USER_STAGE_FIELD as FEATURES_USER } from '@streamrec/features';
import { ITEM_STAGE_FIELD as FEATURES_ITEM } from '@streamrec/features';
import { USER_STAGE_FIELD as COOC_USER } from '@streamrec/cooccurrence';
import { ITEM_STAGE_FIELD as COOC_ITEM } from '@streamrec/cooccurrence';
import { ITEM_STAGE_FIELD as TRENDING_ITEM } from '@streamrec/trending';
import { itemFeatureKeys } from '@streamrec/features';
import { distinctEventsPerItem, generateWorkload, type SyntheticWorkload } from '../helpers/interaction-generator.js';
import { compareStateVersions, storedOffsets } from '../helpers/state-compare.js';
import { clickHouseEventsPerItem, deleteSinkRows, recordsInsertedTwice, sinkStoredOffsets } from '../helpers/clickhouse-recount.js';
import { clickHouseCooccurrence, clickHouseIncrements, deletePairRows, pairDifferences, readPairsTopic, recountPairs } from '../helpers/cooccurrence-recount.js';
import { createTopicsReady, groupProcessedOffsets } from '@streamrec/foundation/kafka';
import { pairsProgress } from '@streamrec/cooccurrence';
import { createClickHouse } from '../helpers/clickhouse.js';
import { StreamChild } from '../helpers/stream-child.js';
import { repartitionDedupIds } from '../helpers/repartition-log.js';
import { createRedis, scanKeys } from '../helpers/redis.js';
import { createKafka, uniqueSuffix } from '../helpers/stack.js';
import { waitFor } from '../helpers/wait-for.js';

// Test knobs, not process configuration: the size and seed of the synthetic workload.
const EVENTS = Number(process.env['STREAMREC_KILL_REPLAY_EVENTS'] ?? '200000');
const SEED = Number(process.env['STREAMREC_KILL_REPLAY_SEED'] ?? String(Date.now() % 1_000_000));
const KILLS_PER_PROCESS = 4;

const suffix = uniqueSuffix();
const randomVersion = (): StateVersion => parseStateVersion(`v${900_000 + Math.floor(Math.random() * 90_000)}`);
const versionA = randomVersion();
let versionB = randomVersion();
while (versionB === versionA) versionB = randomVersion();
const topics = { interactions: `test.kr.${suffix}.interactions`, items: `test.kr.${suffix}.items`, itemActivity: `test.kr.${suffix}.item-activity` };
/** Each pass commits its pair increments to its own topic (one emission chain each). */
const pairsTopics = { clean: `test.kr.${suffix}.pairs-clean`, chaos: `test.kr.${suffix}.pairs-chaos` };
/** The sink's other tables read empty test-owned topics, so it never reads the real ones. */
const sinkOnlyTopics = { exposures: `test.kr.${suffix}.exposures`, users: `test.kr.${suffix}.users`, orders: `test.kr.${suffix}.orders`, orderItems: `test.kr.${suffix}.order-items` };
const ITEMS = 3_000;
const firstItemId = 7_500_000_000 + Math.floor(Math.random() * 100_000) * 10_000;
const kafka = createKafka('test-kill-replay');
const logDir = mkdtempSync(join(tmpdir(), 'kill-replay-'));
const processes = ['features', 'cooccurrence', 'trending'] as const;
type ProcessName = (typeof processes)[number] | 'clickhouse-sink';
/** The offsets field each stage stores in Redis, by the topic it consumes (the sink stores its offsets in ClickHouse). */
const stages: Record<ProcessName, { user: string[]; item: string[] }> = {
  features: { user: [FEATURES_USER], item: [FEATURES_ITEM] },
  cooccurrence: { user: [COOC_USER], item: [COOC_ITEM] },
  trending: { user: [], item: [TRENDING_ITEM] },
  'clickhouse-sink': { user: [], item: [] },
};
const processTopics = (pairs: string): Record<ProcessName, Record<string, string>> => ({
  features: { ...topics, exposures: sinkOnlyTopics.exposures, users: sinkOnlyTopics.users },
  cooccurrence: { interactions: topics.interactions, itemActivity: topics.itemActivity, pairs },
  trending: { items: topics.items, itemActivity: topics.itemActivity },
  'clickhouse-sink': { interactions: topics.interactions, items: topics.items, ...sinkOnlyTopics, pairs },
});
const allUserFields = processes.flatMap((name) => stages[name].user);
const allItemFields = processes.flatMap((name) => stages[name].item);
const groupSuffixes: string[] = [];
let redis: Redis;
let clickhouse: ClickHouseClient;
let admin: Admin;
let workload: SyntheticWorkload;

beforeAll(async () => {
  redis = createRedis();
  clickhouse = createClickHouse();
  admin = kafka.admin();
  await admin.connect();
  await createTopicsReady(admin, {
    topics: [
      { topic: topics.interactions, numPartitions: 6 },
      { topic: topics.items, numPartitions: 3 },
      { topic: topics.itemActivity, numPartitions: 6 },
      ...Object.values(sinkOnlyTopics).map((topic) => ({ topic, numPartitions: 1 })),
      ...Object.values(pairsTopics).map((topic) => ({ topic, numPartitions: 6 })),
    ],
  });
  const started = Date.now();
  const dayMs = 86_400_000;
  workload = generateWorkload({ seed: SEED, events: EVENTS, users: Math.max(50, Math.round(EVENTS / 3)), items: ITEMS, firstItemId, startMs: Math.floor(started / dayMs) * dayMs - 4 * dayMs, spanMs: 3 * dayMs, eventIdPrefix: `kr:${suffix}` });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const itemCodec = createEventCodec('events.items.v1');
  const interactionCodec = createEventCodec('events.interactions.v1');
  await producer.send({ topic: topics.items, acks: -1, messages: workload.catalogue.map((item) => ({ key: String(item.id), value: itemCodec.encode(item) })) });
  for (let start = 0; start < workload.interactions.length; start += 5_000) {
    const chunk = workload.interactions.slice(start, start + 5_000);
    await producer.send({ topic: topics.interactions, acks: -1, messages: chunk.map((value) => ({ key: value.user_id, value: interactionCodec.encode(value) })) });
  }
  await producer.disconnect();
  console.log(`kill-replay: seed ${SEED}, ${workload.interactions.length} interactions (${workload.duplicates} re-sent), ${workload.catalogue.length} catalogued items, produced in ${Date.now() - started} ms`);
});

afterAll(async () => {
  const groups = groupSuffixes.flatMap((gv) => ['features-user', 'features-item', 'features-exposures', 'cooccurrence-user', 'cooccurrence-item', 'trending-item', 'trending-catalogue', 'clickhouse-sink'].map((group) => `${group}-${gv}`));
  // A killed member stays in its group until its session times out (30 s): retry until the groups are empty.
  await waitFor(
    async () => {
      const existing = new Set((await admin.listGroups()).groups.map((group) => group.groupId));
      const left = groups.filter((group) => existing.has(group));
      if (left.length > 0) await admin.deleteGroups(left).catch(() => undefined);
      return left.length === 0;
    },
    { timeoutMs: 60_000, intervalMs: 2_000, description: 'the test’s consumer groups deleted' },
  ).catch(() => undefined);
  await admin.deleteGroups(Object.values(pairsTopics).map((pairs) => pairsProgress(pairs, topics.interactions).groupId)).catch(() => undefined);
  await admin.deleteTopics({ topics: [...Object.values(topics), ...Object.values(sinkOnlyTopics), ...Object.values(pairsTopics)] }).catch(() => undefined);
  await deleteSinkRows(clickhouse, { interactions: topics.interactions, items: topics.items }, { first: firstItemId, last: firstItemId + ITEMS - 1 });
  await deletePairRows(clickhouse, pairsTopics.chaos, { first: firstItemId, last: firstItemId + ITEMS - 1 });
  await clickhouse.close();
  await admin.disconnect();
  for (const version of [versionA, versionB]) {
    const keys = await scanKeys(redis, `sr:${version}:*`);
    for (let start = 0; start < keys.length; start += 1_000) await redis.del(...keys.slice(start, start + 1_000));
  }
  await redis.quit();
});

async function endOffsets(topic: string): Promise<bigint[]> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.sort((a, b) => a.partition - b.partition).map(({ high }) => BigInt(high));
}

/** Whether every field has stored the last offset of every partition (`ends` = the topic's end offsets). */
async function caughtUp(version: StateVersion, fields: readonly string[], ends: readonly bigint[]): Promise<boolean> {
  for (const [partition, end] of ends.entries()) {
    if (end === 0n || fields.length === 0) continue;
    const stored = await redis.hmget(offsetsKey(version, partition), ...fields);
    if (stored.some((value) => value === null || BigInt(value) < end - 1n)) return false;
  }
  return true;
}

/** The sum of a process's stored offsets: it grows while the process applies batches. */
async function progress(version: StateVersion, name: ProcessName): Promise<bigint> {
  if (name === 'clickhouse-sink') return [...(await sinkStoredOffsets(clickhouse, topics.interactions)).values()].reduce((sum, offset) => sum + offset + 1n, 0n);
  const fields = [...stages[name].user, ...stages[name].item];
  let sum = 0n;
  for (let partition = 0; partition < 6; partition += 1) for (const value of await redis.hmget(offsetsKey(version, partition), ...fields)) sum += BigInt(value ?? '0');
  return sum;
}

interface PassReport {
  readonly ms: number;
  readonly kills: number;
  readonly starts: number;
}

/** Whether the sink has stored the last offset of every partition of the interactions topic. */
async function sinkCaughtUp(ends: readonly bigint[]): Promise<boolean> {
  const stored = await sinkStoredOffsets(clickhouse, topics.interactions);
  return ends.every((end, partition) => end === 0n || (stored.get(partition) ?? -1n) >= end - 1n);
}

/** Runs the processes into `version` until every stage has caught up; with `chaos`, kills them at random moments first. */
async function runPass(version: StateVersion, names: readonly ProcessName[], pairs: string, chaos: (() => number) | undefined): Promise<PassReport> {
  const started = Date.now();
  const groupVersion = `kr-${suffix}-${version}`;
  groupSuffixes.push(groupVersion);
  const children = names.map((name) => {
    const prefix = name.toUpperCase().replace('-', '_');
    return new StreamChild(
      name,
      {
        [`STREAMREC_${prefix}_STATE_VERSION`]: version,
        [`STREAMREC_${prefix}_GROUP_VERSION`]: groupVersion,
        [`STREAMREC_${prefix}_START_FROM`]: 'earliest',
        [`STREAMREC_${prefix}_METRICS_PORT`]: '0',
        // A killed member's partitions move after the session timeout: 10 s instead of 30 s keeps the chaos pass short.
        [`STREAMREC_${prefix}_SESSION_TIMEOUT_MS`]: '10000',
        [`STREAMREC_${prefix}_TOPICS`]: JSON.stringify(processTopics(pairs)[name]),
        STREAMREC_LOG_LEVEL: 'warn',
      },
      join(logDir, `${name}-${version}.log`),
    );
  });
  const interactionEnds = await endOffsets(topics.interactions);
  const alive = (): void => {
    const crashed = children.find((child) => child.crashed !== undefined);
    if (crashed !== undefined) throw new ChildCrashed(crashed.crashed ?? '');
  };
  const failFast = (error: unknown): boolean => error instanceof ChildCrashed;
  const userStagesDone = async (): Promise<boolean> => {
    alive();
    return caughtUp(version, allUserFields, interactionEnds);
  };
  try {
    for (const child of children) child.start();
    if (chaos !== undefined) {
      // One loop per process; the first failure stops the others before they restart anything.
      let failed = false;
      const loops = children.map(async (child) => {
        try {
          for (let kill = 0; kill < KILLS_PER_PROCESS && !failed; kill += 1) {
            // Kill while the process is applying batches (its stored offsets move), at a random moment after that.
            const before = await progress(version, child.name);
            const outcome = await waitFor(
              async () => {
                if (failed) return 'done';
                if ((await progress(version, child.name)) > before) return 'moving';
                const ownDone = child.name === 'clickhouse-sink' ? await sinkCaughtUp(interactionEnds) : await caughtUp(version, stages[child.name].item, await endOffsets(topics.itemActivity));
                // The sink's input is complete from the start; the item stages' grows until the user stages are done.
                const done = ownDone && (child.name === 'clickhouse-sink' || (await userStagesDone()));
                return done ? 'done' : false;
              },
              { timeoutMs: 120_000, intervalMs: 100, failFast, description: `${child.name} to make progress after (re)start ${child.starts}` },
            );
            if (outcome === 'done' || failed) return;
            await sleep(Math.floor(chaos() * 1_500));
            await child.kill9();
            if (!failed) child.start();
          }
        } catch (error) {
          failed = true;
          throw error;
        }
      });
      const settled = await Promise.allSettled(loops);
      const rejected = settled.find((result) => result.status === 'rejected');
      if (rejected !== undefined) throw rejected.reason;
    }
    await waitFor(userStagesDone, { timeoutMs: 600_000, intervalMs: 500, failFast, description: `the user stages of ${version} to reach the interactions' end offsets` });
    // The repartition topic is complete once the user stages are done (the trending relay has nothing to announce: every item is listed).
    const activityEnds = await endOffsets(topics.itemActivity);
    const itemStagesDone = async (): Promise<boolean> => {
      alive();
      return caughtUp(version, allItemFields, activityEnds);
    };
    if (names.includes('clickhouse-sink')) {
      const sinkDone = async (): Promise<boolean> => {
        alive();
        return sinkCaughtUp(interactionEnds);
      };
      await waitFor(sinkDone, { timeoutMs: 600_000, intervalMs: 500, failFast, description: 'the clickhouse-sink to store the interactions’ end offsets' });
      // The pairs topic is complete once the user stages are done; its ends include transaction markers, so
      // follow the sink's group commits (made after each insert) rather than the rows' offsets.
      const pairsEnds = await endOffsets(pairs);
      const pairsDone = async (): Promise<boolean> => {
        alive();
        const committed = await groupProcessedOffsets(admin, `clickhouse-sink-${groupVersion}`, pairs);
        return pairsEnds.every((end, partition) => end === 0n || (committed.get(partition) ?? -1n) >= end - 1n);
      };
      await waitFor(pairsDone, { timeoutMs: 600_000, intervalMs: 500, failFast, description: 'the clickhouse-sink to commit the pairs topic’s end offsets' });
    }
    await waitFor(itemStagesDone, { timeoutMs: 600_000, intervalMs: 500, failFast, description: `the item stages of ${version} to reach the repartition end offsets` });
  } finally {
    await Promise.all(children.map((child) => child.stop()));
  }
  return { ms: Date.now() - started, kills: children.reduce((sum, child) => sum + child.kills, 0), starts: children.reduce((sum, child) => sum + child.starts, 0) };
}

class ChildCrashed extends Error {}

/** Per-item totals of item:<i>:counts (summed over actions) in a version. */
async function redisCountsPerItem(version: StateVersion): Promise<Map<number, number>> {
  const context: StreamContext = { version, userPartitions: 6, itemPartitions: 6 };
  const items = [...new Set(workload.interactions.map((interaction) => interaction.item_id))];
  const pipeline = redis.pipeline();
  for (const item of items) pipeline.hgetall(itemFeatureKeys(context, itemIdOf(String(item))).counts);
  const replies = (await pipeline.exec()) ?? [];
  return new Map(items.map((item, index) => [item, Object.values((replies[index]?.[1] ?? {}) as Record<string, string>).reduce((sum, count) => sum + Number(count), 0)]));
}

describe('kill -9 at random moments during a replay', () => {
  it(`replaying ${EVENTS} interactions with ≥ 10 kill -9 yields the same Redis state as one clean pass`, async () => {
    const clean = await runPass(versionA, processes, pairsTopics.clean, undefined);
    const activityAfterA = await endOffsets(topics.itemActivity);
    const chaos = await runPass(versionB, [...processes, 'clickhouse-sink'], pairsTopics.chaos, seededRandom(SEED + 1));
    console.log(`kill-replay: clean pass ${clean.ms} ms; chaos pass ${chaos.ms} ms with ${chaos.kills} kill -9 over ${chaos.starts} starts`);
    expect(chaos.kills).toBeGreaterThanOrEqual(10);

    // 1. Every key of B equals A's, byte for byte (the offsets hashes are checked field by field below).
    const isOffsets = (key: string): boolean => key.endsWith(':offsets');
    const comparison = await compareStateVersions(redis, versionA, versionB, isOffsets);
    console.log(`kill-replay: ${comparison.keys} keys compared; ${comparison.encodingOnly.length} differ only in Redis's hashtable order`);
    expect(comparison.onlyInFirst.slice(0, 10)).toEqual([]);
    expect(comparison.onlyInSecond.slice(0, 10)).toEqual([]);
    expect(comparison.different.slice(0, 10)).toEqual([]);
    expect(comparison.keys).toBeGreaterThan(EVENTS / 20);

    // 2. The offsets: user stages stored the same offsets; B's item stages also read B's own copies.
    const [offsetsA, offsetsB] = [await storedOffsets(redis, versionA), await storedOffsets(redis, versionB)];
    expect([...offsetsB.keys()].sort()).toEqual([...offsetsA.keys()].sort());
    const activityEnd = await endOffsets(topics.itemActivity);
    for (const [field, offset] of offsetsA) {
      const partition = Number(/\{p(\d+)\}/.exec(field)?.[1]);
      if (allUserFields.some((name) => field.endsWith(` ${name}`))) expect(offsetsB.get(field), field).toBe(offset);
      else {
        expect(BigInt(offset), field).toBe((activityAfterA[partition] ?? 0n) - 1n);
        expect(BigInt(offsetsB.get(field) ?? '-1'), field).toBe((activityEnd[partition] ?? 0n) - 1n);
      }
    }

    // 3. Pass B's user stages, killed 10+ times, re-sent every repartition record pass A's wrote, nothing else.
    const dedupIds = await repartitionDedupIds(kafka, topics.itemActivity, activityAfterA);
    expect(dedupIds.second.size).toBe(dedupIds.first.size);
    expect([...dedupIds.second].filter((id) => !dedupIds.first.has(id)).slice(0, 10)).toEqual([]);

    // 4. Recounts: item counts equal the distinct event ids per item, counted from the generated data.
    const expected = distinctEventsPerItem(workload.interactions);
    const recounts: { name: string; perItem: () => Promise<Map<number, number>> }[] = [
      { name: `redis ${versionA}`, perItem: () => redisCountsPerItem(versionA) },
      { name: 'clickhouse', perItem: () => clickHouseEventsPerItem(clickhouse, topics.interactions) },
    ];
    for (const recount of recounts) {
      const actual = await recount.perItem();
      const wrong = [...expected].filter(([item, count]) => actual.get(item) !== count).map(([item, count]) => `${recount.name}: item ${item} ${actual.get(item)} ≠ ${count}`);
      expect(wrong.slice(0, 10)).toEqual([]);
    }
    expect([...expected.values()].reduce((sum, count) => sum + count, 0)).toBe(workload.interactions.length - workload.duplicates);
    // The sink, killed as often as the others, inserted no Kafka record twice.
    expect(await recordsInsertedTwice(clickhouse, topics.interactions)).toBe(0);

    // 5. Pair increments: each interaction's pairs committed once per pass, whatever was killed when.
    const pairs = recountPairs(workload.interactions);
    const totalPairs = [...pairs.values()].reduce((sum, total) => sum + total.pairCount, 0);
    const emitted = { clean: await readPairsTopic(kafka, pairsTopics.clean), sink: await clickHouseIncrements(clickhouse, pairsTopics.chaos) };
    const view = await clickHouseCooccurrence(clickhouse, { first: firstItemId, last: firstItemId + ITEMS - 1 });
    console.log(`kill-replay: ${pairs.size} (day, pair) totals, ${totalPairs} pairings recounted; ClickHouse holds ${emitted.sink.size}, the view ${view.totals.size}`);
    expect(totalPairs).toBeGreaterThan(EVENTS / 10);
    expect(pairDifferences(pairs, emitted.clean)).toEqual([]);
    expect(pairDifferences(pairs, emitted.sink)).toEqual([]);
    expect(pairDifferences(pairs, view.totals)).toEqual([]);
    expect(view.asymmetric.slice(0, 10)).toEqual([]);
    const [twice] = await (await clickhouse.query({ query: `SELECT toString(count() - uniqExact(kafka_partition, kafka_offset)) AS extra FROM streamrec.cooccurrence_increments WHERE kafka_topic = '${pairsTopics.chaos}'`, format: 'JSONEachRow' })).json<{ extra: string }>();
    expect(twice?.extra).toBe('0');
  }, 1_800_000);
});
