/**
 * Integration (needs the local stack: MariaDB with Debezium streaming to cdc.*, Kafka, Redis): through
 * the real chain — MariaDB rows → Debezium → cdc.* → normalize → events.interactions.v1 → features,
 * cooccurrence, trending (all in-process, a fresh state version and groups at the latest offsets) —
 * Debezium duplicates change no counter. A duplicate is what Connect re-sends after a crash: the same
 * key and payload at a new offset (test/integration/cdc-connect-crash.test.ts kills the worker for
 * real and counts them); here the test re-produces exact copies of its rows' change events, which is
 * deterministic and does not disturb the shared Connect worker.
 *
 * Round 1: copies reach the running normalize, whose emitted-id memory drops them.
 * Round 2: copies again, to a normalize restarted under a fresh state version (as after its own state
 * loss, or beyond its dedup window): it re-emits the same event ids and the downstream guards must drop them.
 * Both times, the counters of the touched users and items equal the number of distinct source rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { Redis } from 'ioredis';
import type { Connection, ResultSetHeader } from 'mysql2/promise';
import { createRootLogger, type RunningProcess } from '@streamrec/foundation/process';
import { offsetsKey, parseStateVersion, type StateVersion } from '@streamrec/foundation';
import { AvroSchemaName, createEventCodec } from '@streamrec/schemas/avro';
import { type Interaction } from '@streamrec/schemas';
import { itemActivityTopic, itemIdOf, userIdOf, type StreamContext } from '@streamrec/streams-common';
import { startNormalize, type RunningNormalize } from '@streamrec/normalize/app';
import { loadNormalizeConfig } from '@streamrec/normalize/app';
import { normalizeOffsetsKey, offsetField } from '@streamrec/normalize/app';
import { startFeatures } from '@streamrec/features/app';
import { parseFeaturesConfig } from '@streamrec/features/app';
import { USER_STAGE_FIELD as FEATURES_USER } from '@streamrec/features';
import { ITEM_STAGE_FIELD as FEATURES_ITEM } from '@streamrec/features';
import { itemFeatureKeys, userFeatureKeys } from '@streamrec/features';
import { startCooccurrence } from '@streamrec/cooccurrence/app';
import { parseCooccurrenceConfig } from '@streamrec/cooccurrence/app';
import { USER_STAGE_FIELD as COOC_USER } from '@streamrec/cooccurrence';
import { ITEM_STAGE_FIELD as COOC_ITEM } from '@streamrec/cooccurrence';
import { neighbourKeys } from '@streamrec/cooccurrence';
import { startTrending } from '@streamrec/trending/app';
import { parseTrendingConfig } from '@streamrec/trending/app';
import { ITEM_STAGE_FIELD as TRENDING_ITEM } from '@streamrec/trending';
import { writeFavorite, writeMatomoRows, writeShopRows } from '../helpers/normalize-rows.js';
import { cleanUpProcessTest, processTestConfig } from '../helpers/process-test.js';
import { createRedis, scanKeys } from '../helpers/redis.js';
import { canonicalContent } from '../helpers/state-compare.js';
import { connectMariaDb, createKafka, kafkaAdminVariables, uniqueSuffix } from '../helpers/stack.js';
import { TopicTail, type TailedRecord } from '../helpers/topic-tail.js';
import { waitFor } from '../helpers/wait-for.js';

const suffix = uniqueSuffix();
const randomVersion = (): StateVersion => parseStateVersion(`v${900_000 + Math.floor(Math.random() * 90_000)}`);
const version = randomVersion();
const normalizeVersions = [randomVersion(), randomVersion()];
const groupVersion = `dbzdup-${suffix}`;
const context: StreamContext = { version, userPartitions: 6, itemPartitions: 6 };
const kafka = createKafka('test-debezium-duplicates');
const cdcTopics = ['cdc.shop.orders', 'cdc.shop.order_items', 'cdc.shop.favorites', 'cdc.matomo.matomo_log_action', 'cdc.matomo.matomo_log_visit', 'cdc.matomo.matomo_log_link_visit_action'];
// The test's own state version repartitions through its own topic (the processors create it); the live
// system's v1 topic carries the same events' records too, at offsets the test's stages never see.
const ITEM_ACTIVITY_TOPIC = itemActivityTopic(version);
const tail = new TopicTail(kafka, [AvroSchemaName.Interactions, ...cdcTopics]);
const activityTail = new TopicTail(kafka, [ITEM_ACTIVITY_TOPIC]);
const activityCodec = createEventCodec(AvroSchemaName.ItemActivity);
const interactionCodec = createEventCodec(AvroSchemaName.Interactions);
const log = createRootLogger({ name: 'debezium-duplicates-test', level: 'warn', pretty: false });
let redis: Redis;
let shop: Connection;
let matomo: Connection;
let normalize: RunningNormalize | undefined;
const processes: RunningProcess[] = [];

async function startNormalizeAt(normalizeVersion: StateVersion, round: number): Promise<RunningNormalize> {
  const config = loadNormalizeConfig({
    ...kafkaAdminVariables,
    STREAMREC_NORMALIZE_STATE_VERSION: normalizeVersion,
    STREAMREC_NORMALIZE_GROUP_ID: `test-dbzdup-normalize-${suffix}-${round}`,
    STREAMREC_NORMALIZE_FROM_BEGINNING: 'false',
    STREAMREC_NORMALIZE_MAX_RETRY_DELAY_MS: '1000',
  });
  const running = await startNormalize(config, { log, serveMetrics: false });
  await running.fetching();
  return running;
}

beforeAll(async () => {
  redis = createRedis();
  [shop, matomo] = await Promise.all([connectMariaDb('shop'), connectMariaDb('matomo')]);
  await tail.start();
  normalize = await startNormalizeAt(normalizeVersions[0]!, 0);
  const common = processTestConfig('debezium-duplicates', { suffix, version, groupVersion });
  const silent = pino({ level: 'silent' });
  processes.push(await startFeatures(parseFeaturesConfig(common), silent), await startCooccurrence(parseCooccurrenceConfig(common), silent), await startTrending(parseTrendingConfig(common), silent));
  await Promise.all(processes.map((running) => running.ready()));
  await activityTail.start();
});

afterAll(async () => {
  await Promise.all(processes.map((running) => running.stop()));
  await normalize?.stop();
  await tail.stop();
  await activityTail.stop();
  await Promise.all([shop.end(), matomo.end()]);
  const groups = ['features-user', 'features-item', 'features-exposures', 'cooccurrence-user', 'cooccurrence-item', 'trending-item', 'trending-catalogue'].map((group) => `${group}-${groupVersion}`);
  await cleanUpProcessTest(kafka, redis, { groups: [...groups, `test-dbzdup-normalize-${suffix}-0`, `test-dbzdup-normalize-${suffix}-1`], version });
  for (const normalizeVersion of normalizeVersions) {
    const keys = await scanKeys(redis, `sr:${normalizeVersion}:*`);
    if (keys.length > 0) await redis.del(...keys);
  }
  await redis.quit();
});

/** The test's interactions on events.interactions.v1 (other tests may write other payloads there: skipped). */
function testInteractions(eventIds: ReadonlySet<string>): Interaction[] {
  return tail.of(AvroSchemaName.Interactions).flatMap((record) => {
    try {
      const interaction = interactionCodec.decode(record.value ?? Buffer.alloc(0));
      const original = interaction.event_id.replace(/^stitch:[^:]+:/, '');
      return eventIds.has(original) ? [interaction] : [];
    } catch {
      return [];
    }
  });
}

/**
 * Waits until every stage has applied every record about the test's events: their interactions (user
 * stages) and the repartition records derived from them (item stages), found by offset in the tail.
 * (Not the topics' end offsets: the topics are shared, and another test may recreate the repartition topic.)
 */
async function waitForDownstream(eventIds: ReadonlySet<string>): Promise<void> {
  const waitStored = async (topic: string, records: readonly TailedRecord[], fields: readonly string[]): Promise<void> => {
    for (const record of records) {
      let stored: (string | null)[] = [];
      await waitFor(
        async () => {
          stored = await redis.hmget(offsetsKey(version, record.partition), ...fields);
          return stored.every((value) => value !== null && BigInt(value) >= BigInt(record.offset));
        },
        { timeoutMs: 60_000, description: `${fields.join(', ')} to apply ${topic}/${record.partition}@${record.offset}` },
      ).catch((error: unknown) => {
        throw new Error(`${(error as Error).message} (stored: ${stored.join(', ')})`);
      });
    }
  };
  const ours = (id: string): boolean => eventIds.has(id.replace(/^stitch:[^:]+:/, ''));
  await waitFor(() => tail.caughtUp(AvroSchemaName.Interactions), { timeoutMs: 30_000, description: 'the tail to read the interactions' });
  const interactions = tail.of(AvroSchemaName.Interactions).filter((record) => decoded(interactionCodec, record, (value) => ours(value.event_id)));
  await waitStored(AvroSchemaName.Interactions, interactions, [FEATURES_USER, COOC_USER]);
  await waitFor(() => activityTail.caughtUp(ITEM_ACTIVITY_TOPIC), { timeoutMs: 30_000, description: 'the tail to read the repartition topic' });
  const derived = activityTail.of(ITEM_ACTIVITY_TOPIC).filter((record) => decoded(activityCodec, record, (value) => ours(eventIdOfDedupId(value.dedup_id))));
  await waitStored(ITEM_ACTIVITY_TOPIC, derived, [FEATURES_ITEM, COOC_ITEM, TRENDING_ITEM]);
}

/** The interaction behind a repartition record: `activity:<event id>`, `co-items:<event id>:<item>`. */
function eventIdOfDedupId(dedupId: string): string {
  if (dedupId.startsWith('activity:')) return dedupId.slice('activity:'.length);
  if (dedupId.startsWith('co-items:')) return dedupId.slice('co-items:'.length).replace(/:\d+$/, '');
  return dedupId;
}

/** Whether a record decodes and its value matches (other tests may write other payloads: false). */
function decoded<T>(codec: { decode(payload: Buffer): T }, record: TailedRecord, matches: (value: T) => boolean): boolean {
  try {
    return matches(codec.decode(record.value ?? Buffer.alloc(0)));
  } catch {
    return false;
  }
}

/** Content of every state key of the touched user and items (counters, affinities, neighbours, hot-list buckets excluded: they are shared). */
async function touchedState(user: string, items: readonly number[]): Promise<Record<string, string>> {
  const keys = [...(await scanKeys(redis, `sr:${version}:*:user:${user}:*`)), ...(await Promise.all(items.map((item) => scanKeys(redis, `sr:${version}:*:item:${item}:*`)))).flat()];
  const state: Record<string, string> = {};
  for (const key of keys) state[key] = await canonicalContent(redis, key);
  return state;
}

/** Exact copies (key, value, partition) of the cdc records about the test's rows, re-sent at new offsets. */
async function resendCopies(copies: readonly TailedRecord[]): Promise<TailedRecord[]> {
  const producer = kafka.producer();
  await producer.connect();
  const sent: TailedRecord[] = [];
  try {
    for (const copy of copies) {
      const [meta] = await producer.send({ topic: copy.topic, acks: -1, messages: [{ key: copy.key, value: copy.value, partition: copy.partition }] });
      sent.push({ ...copy, offset: meta?.baseOffset ?? '-1' });
    }
  } finally {
    await producer.disconnect();
  }
  return sent;
}

describe('Debezium duplicates through the whole chain', () => {
  it('re-delivered change events (same key and payload, new offsets) change no counter, with and without normalize’s dedup memory', async () => {
    const rows = await writeShopRows(shop, `dbzdup-${suffix}`);
    const matomoRows = await writeMatomoRows(matomo, rows.datasetId, rows.userId);
    const [second] = await shop.execute<ResultSetHeader>(`INSERT INTO datasets (title, description, tags, industry, price, status, seller) VALUES (?, 'dup test', 'test', 'finance', 5.00, 'listed', ?)`, [`dup ${suffix}`, `seller-${suffix}`]);
    const secondFavorite = await writeFavorite(shop, rows.userId, second.insertId);
    const eventIds = new Set([...rows.eventIds, ...matomoRows.eventIds, secondFavorite]);
    const user = userIdOf(String(rows.userId));
    const items = [rows.datasetId, second.insertId];

    // Distinct source rows: order item (purchase), favourites of both datasets, Matomo page view and download.
    const expectedUser = { purchase: '1', favorite: '2', view: '1', download: '1' };
    const expectedItems = { [rows.datasetId]: { purchase: '1', favorite: '1', view: '1', download: '1' }, [second.insertId]: { favorite: '1' } };
    const countsNow = async (): Promise<unknown> => ({
      user: await redis.hgetall(userFeatureKeys(context, user).counts),
      ...Object.fromEntries(await Promise.all(items.map(async (item) => [item, await redis.hgetall(itemFeatureKeys(context, itemIdOf(String(item))).counts)]))),
    });
    const expected = { user: expectedUser, ...expectedItems };
    await waitFor(async () => JSON.stringify(await countsNow()) === JSON.stringify(expected) && (await redis.zcard(neighbourKeys(context, itemIdOf(String(rows.datasetId))).cooc)) > 0, {
      timeoutMs: 60_000,
      intervalMs: 250,
      description: 'the counters of the test rows and the co-occurrence of both datasets',
    }).catch(() => undefined);
    expect(await countsNow()).toEqual(expected);
    expect(await redis.zcard(neighbourKeys(context, itemIdOf(String(rows.datasetId))).cooc)).toBeGreaterThan(0);
    await waitForDownstream(eventIds);
    const before = await touchedState(user, items);
    expect(Object.keys(before).length).toBeGreaterThan(8);
    const emittedOnce = testInteractions(eventIds).length;

    // The change events of the test's rows, as Debezium wrote them (Matomo actions: the ones the test's page views reference).
    const valueOf = (record: TailedRecord): Record<string, unknown> => (JSON.parse(record.value?.toString() ?? '{}') as { after?: Record<string, unknown> }).after ?? {};
    const lvaIds = new Set([...eventIds].filter((id) => id.startsWith('matomo:lva:')).map((id) => Number(id.slice('matomo:lva:'.length))));
    const views = tail.of('cdc.matomo.matomo_log_link_visit_action').filter((record) => lvaIds.has(Number(valueOf(record)['idlink_va'])));
    const actionIds = new Set<unknown>(views.flatMap((record) => ['idaction_url', 'idaction_name', 'idaction_event_category', 'idaction_event_action'].map((column) => valueOf(record)[column])).filter((id) => typeof id === 'number'));
    const ours: Record<string, (after: Record<string, unknown>) => boolean> = {
      'cdc.shop.orders': (after) => after['id'] === rows.orderId,
      'cdc.shop.order_items': (after) => after['order_id'] === rows.orderId,
      'cdc.shop.favorites': (after) => after['user_id'] === rows.userId,
      'cdc.matomo.matomo_log_action': (after) => actionIds.has(after['idaction']),
      'cdc.matomo.matomo_log_visit': (after) => after['user_id'] === String(rows.userId),
      'cdc.matomo.matomo_log_link_visit_action': (after) => lvaIds.has(Number(after['idlink_va'])),
    };
    const originals = cdcTopics.flatMap((topic) => tail.of(topic)).filter((record) => record.value !== null && ours[record.topic]?.(valueOf(record)) === true);
    expect(new Set(originals.map((record) => record.topic)).size).toBeGreaterThanOrEqual(5);

    for (const round of [1, 2]) {
      if (round === 2) {
        // Normalize loses its memory: a fresh state version re-emits every interaction with the same event id.
        await normalize?.stop();
        normalize = await startNormalizeAt(normalizeVersions[1]!, 1);
      }
      const copies = await resendCopies(originals);
      const normalizeVersion = normalizeVersions[round - 1]!;
      await waitFor(
        async () => {
          for (const copy of copies) {
            if (BigInt((await redis.hget(normalizeOffsetsKey(normalizeVersion), offsetField(copy.topic, copy.partition))) ?? '-1') < BigInt(copy.offset)) return false;
          }
          return true;
        },
        { timeoutMs: 60_000, description: `normalize to pass the round ${round} copies` },
      );
      // The cdc topics now hold each change twice (round 1) or three times: same key and payload, new offsets.
      for (const original of originals) {
        const same = tail.of(original.topic).filter((record) => record.key?.equals(original.key ?? Buffer.alloc(0)) === true && record.value?.equals(original.value ?? Buffer.alloc(0)) === true);
        expect(new Set(same.map((record) => record.offset)).size, `${original.topic} ${original.key?.toString()}`).toBe(round + 1);
      }
      if (round === 2) {
        const emittedTwice = (): boolean => [...eventIds].every((id) => testInteractions(eventIds).filter((interaction) => interaction.event_id === id).length >= 2);
        await waitFor(emittedTwice, { timeoutMs: 60_000, description: 'the restarted normalize to re-emit every interaction of the test rows' });
      } else {
        expect(testInteractions(eventIds)).toHaveLength(emittedOnce);
      }
      await waitForDownstream(eventIds);
      expect(await countsNow()).toEqual(expected);
      expect(await touchedState(user, items)).toEqual(before);
    }
    console.log(`debezium-duplicates: ${originals.length} change events re-sent twice; ${emittedOnce} interactions, ${testInteractions(eventIds).length} after normalize lost its memory`);
  });
});
