/**
 * Integration (needs the local stack: Kafka, Redis, MariaDB with Debezium streaming to cdc.*):
 * streams/normalize turns the test's own shop and Matomo rows into interactions exactly once, sends
 * poison to dlq.normalize while good records keep flowing, and keeps its dedup state across a restart.
 * The processor's new group starts at the latest offsets (STREAMREC_NORMALIZE_FROM_BEGINNING=false), so the test need not catch up on
 * the demo data (a full replay is measured separately, see streams/normalize/README.md).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import type { Connection } from 'mysql2/promise';
import { type DeadLetter } from '@streamrec/foundation';
import { AvroSchemaName, createEventCodec } from '@streamrec/schemas/avro';
import { type Interaction } from '@streamrec/schemas';
import { keyedVisitorPseudonym } from '@streamrec/normalize/app';
import { normalizeOffsetsKey, offsetField } from '@streamrec/normalize/app';
import { writeFavorite, writeMatomoRows, writeShopRows, type ShopRows } from '../helpers/normalize-rows.js';
import { startOwnNormalize, type OwnNormalize } from '../helpers/own-normalize.js';
import { createRedis } from '../helpers/redis.js';
import { connectMariaDb, createKafka, uniqueSuffix } from '../helpers/stack.js';
import { TopicTail } from '../helpers/topic-tail.js';
import { waitFor } from '../helpers/wait-for.js';

const suffix = uniqueSuffix();
const kafka = createKafka('test-normalize');
const interactionCodec = createEventCodec(AvroSchemaName.Interactions);
const sourceTopics = ['cdc.shop.favorites', 'cdc.matomo.matomo_log_link_visit_action'];
const tail = new TopicTail(kafka, [AvroSchemaName.Interactions, AvroSchemaName.Items, 'dlq.normalize', ...sourceTopics]);
let shop: Connection;
let matomo: Connection;
let redis: Redis;
let normalize: OwnNormalize | undefined;
let rows: ShopRows;
let expectedIds: string[] = [];

/** Decoded interactions; other tests on the shared stack may write other payloads to the topic, skipped here. */
const decodedInteractions = (): Interaction[] =>
  tail.of(AvroSchemaName.Interactions).flatMap((record) => {
    try {
      return [interactionCodec.decode(record.value ?? Buffer.alloc(0))];
    } catch {
      return [];
    }
  });

/** The decoded interactions the processor produced about the test's dataset. */
const testInteractions = (): Interaction[] => decodedInteractions().filter((interaction) => interaction.item_id === rows.datasetId);

const originalIds = (interactions: readonly Interaction[]): string[] => [...new Set(interactions.map((i) => i.event_id).filter((id) => !id.startsWith('stitch:')))].sort();

beforeAll(async () => {
  [shop, matomo] = await Promise.all([connectMariaDb('shop'), connectMariaDb('matomo')]);
  redis = createRedis();
  await tail.start();
  normalize = await startOwnNormalize('normalize', suffix, 900_000);
});

afterAll(async () => {
  await normalize?.stop();
  await tail.stop();
  await redis.quit();
  await Promise.all([shop.end(), matomo.end()]);
});

describe('streams/normalize on the local stack', () => {
  it('emits each interaction of the test-owned shop and Matomo rows exactly once', async () => {
    rows = await writeShopRows(shop, suffix);
    const matomoRows = await writeMatomoRows(matomo, rows.datasetId, rows.userId);
    expectedIds = [...rows.eventIds, ...matomoRows.eventIds].sort();

    await waitFor(() => originalIds(testInteractions()).length >= expectedIds.length, { timeoutMs: 40_000, description: 'the test rows as interactions' });

    // Stitched copies (`stitch:` ids) depend on whether the visit or its actions were read first; the originals do not.
    expect(originalIds(testInteractions())).toEqual(expectedIds);
    const originals = testInteractions().filter((interaction) => !interaction.event_id.startsWith('stitch:'));
    expect(originals).toHaveLength(expectedIds.length);
    expect(new Set(originals.map((interaction) => interaction.action))).toEqual(new Set(['purchase', 'favorite', 'view', 'download']));
    const shopEvents = originals.filter((interaction) => interaction.source === 'shop');
    expect(shopEvents.every((interaction) => interaction.user_id === String(rows.userId))).toBe(true);
    // Matomo's visitor id never leaves normalize: the interactions carry its keyed pseudonym.
    const matomoEvents = originals.filter((interaction) => interaction.source === 'matomo');
    expect(matomoEvents).toHaveLength(2);
    const pseudonym = keyedVisitorPseudonym(normalize?.config.visitorPseudonymKey ?? '')(matomoRows.visitor);
    expect(pseudonym).not.toBe(matomoRows.visitor);
    expect(matomoEvents.map((interaction) => interaction.visitor_id)).toEqual([pseudonym, pseudonym]);
    await waitFor(() => tail.of(AvroSchemaName.Items).some((record) => record.key?.toString() === String(rows.datasetId)), {
      timeoutMs: 10_000,
      description: 'the dataset on events.items.v1',
    });
  });

  it('dead-letters bad JSON and a fingerprintless garbage envelope with their reasons while later rows still flow', async () => {
    const poisonKey = `poison-${suffix}`;
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: 'cdc.shop.favorites',
      messages: [
        { key: `${poisonKey}-json`, value: 'not json {' },
        { key: `${poisonKey}-garbage`, value: JSON.stringify({ hello: 'world' }) },
      ],
    });
    await producer.disconnect();
    const laterFavorite = await writeFavorite(shop, rows.userId, (await writeShopRows(shop, `${suffix}b`)).datasetId);

    const letters = await waitFor(
      () => {
        const found = tail
          .of('dlq.normalize')
          .filter((record) => record.key?.toString().startsWith(poisonKey) === true)
          .map((record) => JSON.parse(record.value?.toString() ?? '{}') as DeadLetter);
        return found.length >= 2 ? found : undefined;
      },
      { timeoutMs: 30_000, description: 'both poison records on dlq.normalize' },
    );
    expect(letters.map((letter) => [letter.key?.data, letter.code, letter.reason]).sort()).toEqual([
      [`${poisonKey}-garbage`, 'REC_CDC_ENVELOPE_INVALID', 'missing_op'],
      [`${poisonKey}-json`, 'REC_PAYLOAD_INVALID', 'invalid_json'],
    ]);
    expect(letters.every((letter) => letter.source.topic === 'cdc.shop.favorites' && letter.processor === 'normalize')).toBe(true);
    await waitFor(
      () => decodedInteractions().some((interaction) => interaction.event_id === laterFavorite),
      { timeoutMs: 30_000, description: 'the favourite written after the poison' },
    );
  });

  it('does not emit the test rows again after a restart, even when their change events are delivered again', async () => {
    const before = testInteractions().length;
    await normalize?.restart();

    // Debezium is at-least-once: the same change events again, at new offsets.
    const copies = tail.records.filter((record) => sourceTopics.includes(record.topic) && record.value !== null && mentionsTestRows(record.value));
    expect(copies.length).toBeGreaterThan(0);
    const producer = kafka.producer();
    await producer.connect();
    const sent = await Promise.all(
      sourceTopics.filter((topic) => copies.some((copy) => copy.topic === topic)).map((topic) =>
        producer.send({ topic, acks: -1, messages: copies.filter((copy) => copy.topic === topic).map((copy) => ({ key: copy.key, value: copy.value, partition: copy.partition })) }),
      ),
    );
    await producer.disconnect();

    const targets = sent.flat().map((meta) => ({ field: offsetField(meta.topicName, meta.partition), offset: BigInt(meta.baseOffset ?? '0') }));
    await waitFor(
      async () => {
        const stored = await redis.hmget(normalizeOffsetsKey(normalize?.version ?? 'v1'), ...targets.map((target) => target.field));
        return targets.every((target, index) => stored[index] !== null && BigInt(stored[index] ?? '-1') >= target.offset);
      },
      { timeoutMs: 30_000, description: 'the restarted processor to apply the re-delivered copies' },
    );
    await waitFor(() => tail.caughtUp(AvroSchemaName.Interactions), { timeoutMs: 10_000, description: 'the tail to read all interactions' });
    expect(testInteractions()).toHaveLength(before);
    expect(originalIds(testInteractions())).toEqual(expectedIds);
  });
});

/** Whether a cdc record is one of the test's favourite or link_visit_action rows (by the ids in the expected event ids). */
function mentionsTestRows(value: Buffer): boolean {
  let after: { id?: number; idlink_va?: number } | null | undefined;
  try {
    after = (JSON.parse(value.toString()) as { after?: typeof after }).after;
  } catch {
    return false; // the test's own poison
  }
  if (after === null || after === undefined) return false;
  return expectedIds.some((id) => id === `matomo:lva:${after.idlink_va}` || id.startsWith(`shop:favorites:${after.id}:`));
}
