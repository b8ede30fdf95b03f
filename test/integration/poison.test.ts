/**
 * Integration (needs the local stack: Kafka, Redis, MariaDB with Debezium streaming to cdc.*, and the
 * dlq.* topics from `npm run topics -- apply`): poison messages land in the DLQ with their code, reason
 * and the original bytes (a Matomo row's with its visitor id pseudonymised), while the good records
 * around them are applied.
 *
 * Complements normalize.test.ts (bad JSON, an envelope without op) and features.test.ts (bytes without
 * the single-object marker): here normalize gets an unmapped Matomo URL (real MariaDB rows through
 * Debezium), a truncate (`op: t`), a column of the wrong type and an envelope without a binlog position;
 * features gets an Avro single-object with an unknown schema fingerprint, a truncated Avro body and a
 * tombstone. "A record from an unknown table" cannot reach normalize through Kafka: it subscribes to the
 * ten captured cdc topics by name, so another table's topic is never read (the domain's `unknown_table`
 * rejection is covered by its unit tests).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { Partitioners, type Producer } from 'kafkajs';
import type { Redis } from 'ioredis';
import type { Connection, ResultSetHeader } from 'mysql2/promise';
import { ErrorCode, offsetsKey, parseStateVersion, type DeadLetter, type StateVersion } from '@streamrec/foundation';
import { createRootLogger } from '@streamrec/foundation/process';
import { AvroSchemaName, createEventCodec } from '@streamrec/schemas/avro';
import { type Interaction } from '@streamrec/schemas';
import { itemIdOf, userIdOf, type StreamContext } from '@streamrec/streams-common';
import { startFeatures, type RunningFeatures } from '@streamrec/features/app';
import { parseFeaturesConfig } from '@streamrec/features/app';
import { USER_STAGE_FIELD } from '@streamrec/features';
import { itemFeatureKeys, userFeatureKeys } from '@streamrec/features';
import { startNormalize, type RunningNormalize } from '@streamrec/normalize/app';
import { keyedVisitorPseudonym, loadNormalizeConfig } from '@streamrec/normalize/app';
import { normalizeOffsetsKey, offsetField } from '@streamrec/normalize/app';
import { writeFavorite, writeShopRows } from '../helpers/normalize-rows.js';
import { cleanUpProcessTest, processTestConfig } from '../helpers/process-test.js';
import { createRedis, scanKeys } from '../helpers/redis.js';
import { connectMariaDb, createKafka, kafkaAdminVariables, uniqueSuffix } from '../helpers/stack.js';
import { TopicTail, type TailedRecord } from '../helpers/topic-tail.js';
import { waitFor } from '../helpers/wait-for.js';
import { processorGroupIds } from '@streamrec/streams-common';
import { featuresManifest } from '@streamrec/features';
import { createTopicsReady } from '@streamrec/foundation/kafka';

const suffix = uniqueSuffix();
const randomVersion = (): StateVersion => parseStateVersion(`v${900_000 + Math.floor(Math.random() * 90_000)}`);
const kafka = createKafka('test-poison');
let redis: Redis;
let producer: Producer;

beforeAll(async () => {
  redis = createRedis();
  producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
});

afterAll(async () => {
  await producer.disconnect();
  await redis.quit();
});

/** The dead letters a tail read from a DLQ, decoded. */
const lettersIn = (tail: TopicTail, dlq: string): DeadLetter[] => tail.of(dlq).map((record) => JSON.parse(record.value?.toString() ?? '{}') as DeadLetter);
const bytesOf = (letter: DeadLetter): Buffer | null => (letter.value === null ? null : Buffer.from(letter.value.data, letter.value.encoding));

describe('poison messages for features', () => {
  const version = randomVersion();
  const context: StreamContext = { version, userPartitions: 6, itemPartitions: 6 };
  const groupVersion = `poison-${suffix}`;
  const topics = { interactions: `test.poison.${suffix}.interactions`, items: `test.poison.${suffix}.items`, itemActivity: `test.poison.${suffix}.item-activity`, exposures: `test.poison.${suffix}.exposures`, users: `test.poison.${suffix}.users` };
  const user = userIdOf(`poison-${suffix}`);
  const item = 8_300_000_000 + Math.floor(Math.random() * 1_000_000);
  const codec = createEventCodec(AvroSchemaName.Interactions);
  const tail = new TopicTail(kafka, ['dlq.features']);
  let app: RunningFeatures | undefined;

  beforeAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await createTopicsReady(admin, {
      topics: [
        { topic: topics.interactions, numPartitions: 6 },
        { topic: topics.items, numPartitions: 3 },
        { topic: topics.itemActivity, numPartitions: 6 },
        { topic: topics.exposures, numPartitions: 6 },
        { topic: topics.users, numPartitions: 3 },
      ],
    });
    await admin.disconnect();
    await tail.start();
    app = await startFeatures(parseFeaturesConfig({ ...processTestConfig('features', { suffix, version, groupVersion }), startFrom: 'earliest', topics }), pino({ level: 'silent' }));
    await app.ready();
  });

  afterAll(async () => {
    await app?.stop();
    await tail.stop();
    await cleanUpProcessTest(kafka, redis, { groups: processorGroupIds(featuresManifest, groupVersion), topics: Object.values(topics), version });
  });

  it('dead-letters an unknown fingerprint, a truncated body and a tombstone with their codes and bytes; the events around them apply', async () => {
    const at = Date.now() - 60_000;
    const event = (n: number, action: Interaction['action']): Interaction => ({
      event_id: `poison:${suffix}:${n}`,
      user_id: user,
      visitor_id: null,
      item_id: item,
      action,
      event_time: at + n,
      source: 'beacon',
      session_id: null,
      price: null,
      quantity: null,
      request_id: null,
      ingest_time: at + 1_000,
    });
    const valid = codec.encode(event(3, 'download'));
    // Single-object marker C3 01, then a fingerprint no schema of the topic has, then a valid body.
    const unknownFingerprint = Buffer.concat([Buffer.from([0xc3, 0x01]), randomBytes(8), valid.subarray(10)]);
    const truncated = valid.subarray(0, valid.length - 7);
    const [meta] = await producer.send({
      topic: topics.interactions,
      acks: -1,
      messages: [codec.encode(event(1, 'view')), unknownFingerprint, truncated, null, codec.encode(event(2, 'click'))].map((value) => ({ key: user, value })),
    });
    const base = BigInt(meta?.baseOffset ?? '0');
    const partition = meta?.partition ?? -1;

    await waitFor(async () => ((await redis.hget(offsetsKey(version, partition), USER_STAGE_FIELD)) ?? '-1') === String(base + 4n), {
      timeoutMs: 60_000,
      description: 'the user stage to store the offset of the last good event',
    });
    expect(await redis.hgetall(userFeatureKeys(context, user).counts)).toEqual({ view: '1', click: '1' });
    await waitFor(async () => Object.keys(await redis.hgetall(itemFeatureKeys(context, itemIdOf(String(item))).counts)).length === 2, {
      timeoutMs: 30_000,
      description: 'the item stage to count both good events',
    });
    expect(await redis.hgetall(itemFeatureKeys(context, itemIdOf(String(item))).counts)).toEqual({ view: '1', click: '1' });

    const letters = await waitFor(
      () => {
        const found = lettersIn(tail, 'dlq.features').filter((letter) => letter.source.topic === topics.interactions);
        return found.length >= 3 ? found : undefined;
      },
      { timeoutMs: 30_000, description: 'three dead letters in dlq.features' },
    );
    const byOffset = new Map(letters.map((letter) => [letter.source.offset, letter]));
    expect(letters).toHaveLength(3);
    const fingerprintLetter = byOffset.get(String(base + 1n));
    expect(fingerprintLetter).toMatchObject({ processor: 'features', code: ErrorCode.SchemaUnknownFingerprint, source: { partition }, key: { encoding: 'utf8', data: user } });
    expect(fingerprintLetter?.reason).toContain(unknownFingerprint.subarray(2, 10).toString('hex'));
    expect(bytesOf(fingerprintLetter!)?.equals(unknownFingerprint)).toBe(true);
    const truncatedLetter = byOffset.get(String(base + 2n));
    expect(truncatedLetter).toMatchObject({ code: ErrorCode.PayloadInvalid, key: { data: user } });
    expect(truncatedLetter?.reason).toContain('cannot decode Avro body');
    expect(bytesOf(truncatedLetter!)?.equals(truncated)).toBe(true);
    const tombstoneLetter = byOffset.get(String(base + 3n));
    expect(tombstoneLetter).toMatchObject({ code: ErrorCode.PayloadInvalid, value: null, key: { data: user } });
    expect(tombstoneLetter?.reason).toContain('tombstone');
  });
});

describe('poison messages for normalize', () => {
  const version = randomVersion();
  const sourceTopics = ['cdc.shop.favorites', 'cdc.matomo.matomo_log_action', 'cdc.matomo.matomo_log_link_visit_action'];
  const tail = new TopicTail(kafka, [AvroSchemaName.Interactions, 'dlq.normalize', ...sourceTopics]);
  const log = createRootLogger({ name: 'poison-test', level: 'warn', pretty: false });
  let processor: RunningNormalize | undefined;
  let pseudonymKey = '';
  let shop: Connection;
  let matomo: Connection;

  beforeAll(async () => {
    [shop, matomo] = await Promise.all([connectMariaDb('shop'), connectMariaDb('matomo')]);
    await tail.start();
    const config = loadNormalizeConfig({
      ...kafkaAdminVariables,
      STREAMREC_NORMALIZE_STATE_VERSION: version,
      STREAMREC_NORMALIZE_GROUP_ID: `test-poison-normalize-${suffix}`,
      STREAMREC_NORMALIZE_FROM_BEGINNING: 'false',
      STREAMREC_NORMALIZE_MAX_RETRY_DELAY_MS: '1000',
    });
    pseudonymKey = config.visitorPseudonymKey;
    processor = await startNormalize(config, { log, serveMetrics: false });
    await processor.fetching();
  });

  afterAll(async () => {
    await processor?.stop();
    await tail.stop();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteGroups([`test-poison-normalize-${suffix}`]).catch(() => undefined);
    await admin.disconnect();
    const keys = await scanKeys(redis, `sr:${version}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await Promise.all([shop.end(), matomo.end()]);
  });

  const interactionCodec = createEventCodec(AvroSchemaName.Interactions);
  /** Interactions read so far; other tests on the shared stack may write other payloads to the topic, skipped here. */
  const decodedInteractions = (): Interaction[] =>
    tail.of(AvroSchemaName.Interactions).flatMap((record) => {
      try {
        return [interactionCodec.decode(record.value ?? Buffer.alloc(0))];
      } catch {
        return [];
      }
    });
  const emitted = (eventId: string): boolean => decodedInteractions().some((interaction) => interaction.event_id === eventId);

  /** Waits until normalize has stored an offset at or past the record's (it has applied or rejected it). */
  const applied = (record: TailedRecord): Promise<boolean> =>
    waitFor(async () => BigInt((await redis.hget(normalizeOffsetsKey(version), offsetField(record.topic, record.partition))) ?? '-1') >= BigInt(record.offset), {
      timeoutMs: 30_000,
      description: `normalize to pass ${record.topic}/${record.partition}@${record.offset}`,
    });

  it('dead-letters an unmapped URL, a truncate, a wrong column type and a missing binlog position with reasons and original bytes; good rows flow', async () => {
    const rows = await writeShopRows(shop, `poison-${suffix}`);
    const firstFavorite = rows.eventIds.find((id) => id.startsWith('shop:favorites:')) ?? '';
    await waitFor(() => emitted(firstFavorite), { timeoutMs: 40_000, description: 'the first favourite as an interaction' });
    const favoriteRecord = tail.of('cdc.shop.favorites').find((record) => record.value?.toString().includes(`"dataset_id":${rows.datasetId}`) === true);
    expect(favoriteRecord).toBeDefined();
    const envelope = JSON.parse(favoriteRecord?.value?.toString() ?? '{}') as { after: Record<string, unknown>; source: Record<string, unknown> };

    // Matomo: a dataset page whose id is not a number, viewed. The action row is applied first, so the view is not parked.
    const url = `market.example.com/datasets/not-a-dataset-${suffix}`;
    const [action] = await matomo.execute<ResultSetHeader>(`INSERT INTO matomo_log_action (name, hash, type) VALUES (?, CRC32(?), 1)`, [url, url]);
    const actionRecord = await waitFor(() => tail.of('cdc.matomo.matomo_log_action').find((record) => record.value?.toString().includes(url) === true), { timeoutMs: 30_000, description: 'the action row on its cdc topic' });
    await applied(actionRecord);
    const visitor = randomBytes(8).toString('hex');
    const [view] = await matomo.execute<ResultSetHeader>(
      `INSERT INTO matomo_log_link_visit_action (idsite, idvisitor, idvisit, server_time, idaction_url, pageview_position) VALUES (1, UNHEX(?), ?, UTC_TIMESTAMP(), ?, 1)`,
      [visitor, 900_000_000 + Math.floor(Math.random() * 1e8), action.insertId],
    );

    // Envelopes a broken or different producer could write: the favourite's own, altered.
    const poisonKey = (name: string): string => JSON.stringify({ id: `poison-${suffix}-${name}` });
    const poison = [
      { name: 'truncate', value: JSON.stringify({ before: null, after: null, op: 't', ts_ms: Date.now(), source: envelope.source }), reason: 'unsupported_op' },
      { name: 'wrong-type', value: JSON.stringify({ ...envelope, after: { ...envelope.after, user_id: 'not-a-user' } }), reason: 'wrong_type' },
      { name: 'no-position', value: JSON.stringify({ ...envelope, source: { ...envelope.source, pos: undefined, file: undefined } }), reason: 'missing_source_position' },
    ];
    // Its own producer: the shared one still tracks the features part's deleted topics.
    const cdcProducer = kafka.producer();
    await cdcProducer.connect();
    await cdcProducer.send({ topic: 'cdc.shop.favorites', acks: -1, messages: poison.map(({ name, value }) => ({ key: poisonKey(name), value })) });
    await cdcProducer.disconnect();
    const laterFavorite = await writeFavorite(shop, rows.userId, (await writeShopRows(shop, `poison-${suffix}-b`)).datasetId);

    const viewRecord = await waitFor(() => tail.of('cdc.matomo.matomo_log_link_visit_action').find((record) => record.value?.toString().includes(`"idlink_va":${view.insertId}`) === true), {
      timeoutMs: 30_000,
      description: 'the view row on its cdc topic',
    });
    const letters = await waitFor(
      () => {
        const all = lettersIn(tail, 'dlq.normalize');
        const fromPoison = all.filter((letter) => letter.key?.data.includes(`poison-${suffix}-`) === true);
        const fromView = all.find((letter) => letter.source.topic === viewRecord.topic && letter.source.offset === viewRecord.offset);
        return fromPoison.length >= poison.length && fromView !== undefined ? { fromPoison, fromView } : undefined;
      },
      { timeoutMs: 40_000, description: 'the poison records and the unmapped view on dlq.normalize' },
    );
    expect(letters.fromView).toMatchObject({ processor: 'normalize', code: 'REC_UNMAPPABLE_EVENT', reason: 'unmapped_url' });
    // Dead-lettered as normalize read it: the same envelope with the visitor id replaced by its pseudonym.
    const original = JSON.parse(viewRecord.value?.toString() ?? '{}') as { after: Record<string, unknown> };
    const lettered = bytesOf(letters.fromView)?.toString() ?? '';
    expect(JSON.parse(lettered)).toEqual({ ...original, after: { ...original.after, idvisitor: keyedVisitorPseudonym(pseudonymKey)(visitor) } });
    expect(lettered.toLowerCase()).not.toContain(visitor);
    expect(letters.fromView.key?.data).toBe(viewRecord.key?.toString());
    for (const { name, value, reason } of poison) {
      const letter = letters.fromPoison.find((candidate) => candidate.key?.data === poisonKey(name));
      expect(letter, name).toMatchObject({ processor: 'normalize', code: 'REC_CDC_ENVELOPE_INVALID', reason, source: { topic: 'cdc.shop.favorites' }, value: { encoding: 'utf8', data: value } });
    }
    expect(letters.fromPoison).toHaveLength(poison.length);
    // The rows written after the poison still become interactions, exactly once.
    await waitFor(() => emitted(laterFavorite), { timeoutMs: 30_000, description: 'the favourite written after the poison' });
    await applied(viewRecord);
    const decoded = decodedInteractions();
    expect(decoded.filter((interaction) => interaction.event_id === laterFavorite || interaction.event_id === firstFavorite)).toHaveLength(2);
    expect(decoded.some((interaction) => interaction.event_id === `matomo:lva:${view.insertId}`)).toBe(false);
  });
});
