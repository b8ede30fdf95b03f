import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { AppError, ErrorCode, OpKind, type ApplyBatchInput, type StateStore } from '@streamrec/foundation';
import { type ConsumedRecord } from '@streamrec/foundation/kafka';
import { SourceTable } from '@streamrec/cdc';
import { createInMemoryState, createNormalizer, transactionalState } from '../domain/index.js';
import { Rows, VISITOR, cdcFixture } from '../domain/testing/cdc-fixtures.js';
import { createNormalizeBatchHandler, INVALID_JSON_REASON } from './batch-handler.js';
import type { EventPublisher, NormalizedOutputs } from './event-producer.js';
import { normalizeOffsetsKey, offsetField } from './redis-normalize-state.js';
import type { ErasureGate } from '@streamrec/streams-common/adapters';

const version = 'v7' as const;
const topic = 'cdc.shop.favorites';

/** An in-memory StateStore with the script's offset rule: ops at or below the stored offset are skipped. */
function memoryStore(options: { failApplies?: number; gaps?: number } = {}): StateStore & { applied: ApplyBatchInput[]; offsets: Map<string, bigint> } {
  const offsets = new Map<string, bigint>();
  const applied: ApplyBatchInput[] = [];
  let failures = options.failApplies ?? 0;
  let gaps = options.gaps ?? 0;
  return {
    applied,
    offsets,
    applyBatch(input) {
      if (failures > 0) {
        failures -= 1;
        return Promise.reject(new AppError(ErrorCode.DependencyUnavailable, 'redis down', { retriable: true }));
      }
      if (gaps > 0) {
        gaps -= 1;
        return Promise.reject(new AppError(ErrorCode.StateOffsetGap, 'the state store is behind the consumer', { retriable: true, details: { resumeAt: '0' } }));
      }
      applied.push(input);
      offsets.set(`${input.offsetsKey}/${input.field}`, input.lastOffset);
      return Promise.resolve({ applied: input.records.length, skipped: 0, storedOffset: input.lastOffset });
    },
    storedOffset: (key, field) => Promise.resolve(offsets.get(`${key}/${field}`)),
  };
}

/** An erasure list in memory: `erase` lists subjects and moves the generation, as the erase command does. */
function memoryErasures(): ErasureGate & { erase(...subjects: string[]): void } {
  const listed = new Set<string>();
  let moved = false;
  return {
    erase(...subjects) {
      for (const subject of subjects) listed.add(subject);
      moved = true;
    },
    refresh() {
      const was = moved;
      moved = false;
      return Promise.resolve(was);
    },
    isErased: (subject) => listed.has(subject),
    get size() {
      return listed.size;
    },
  };
}

function harness(store = memoryStore(), reloadResident?: () => Promise<void>, visitorPseudonym: (visitor: string) => string = (visitor) => visitor, erasures?: ErasureGate) {
  const state = transactionalState(createInMemoryState());
  const published: NormalizedOutputs[] = [];
  const publisher: EventPublisher = { publish: (outputs) => Promise.resolve(void published.push(outputs)) };
  const handler = createNormalizeBatchHandler({
    version,
    normalizer: createNormalizer({ state }),
    visitorPseudonym,
    state,
    store,
    publisher,
    metrics: { count: () => undefined, erased: () => undefined },
    log: pino({ level: 'silent' }),
    now: () => 1_000,
    reloadResident,
    erasures,
  });
  return { handler, store, published };
}

const cdc = cdcFixture();
const favorite = (id: number): unknown => cdc.create(SourceTable.ShopFavorites, Rows.favorite(id)).value;
const record = (offset: number, value: unknown): ConsumedRecord => ({
  topic,
  partition: 2,
  offset: BigInt(offset),
  key: Buffer.from(`k${offset}`),
  value: value === null ? null : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
  timestampMs: 0,
});

describe('the normalize batch handler', () => {
  it('publishes the interactions and stores HSET ops with the partition offset under the {normalize} tag', async () => {
    const { handler, store, published } = harness();
    const prepared = await handler.prepare({ topic, partition: 2, records: [record(10, favorite(1))] });
    expect(published.flatMap((outputs) => outputs.interactions.map((interaction) => interaction.event_id))).toHaveLength(1);
    await prepared.commit();
    const input = store.applied[0];
    expect(input).toMatchObject({ offsetsKey: 'sr:v7:{normalize}:offsets', field: 'normalize/cdc.shop.favorites/2', lastOffset: 10n, expectedStoredOffset: 'none' });
    expect(input?.records[0]?.ops.every((op) => op.kind === OpKind.HSet && op.key.startsWith('sr:v7:{normalize}:'))).toBe(true);
  });

  it('dead-letters text that is not JSON as REC_PAYLOAD_INVALID and a garbage envelope with the domain reason', async () => {
    const { handler } = harness();
    const prepared = await handler.prepare({ topic, partition: 2, records: [record(1, 'not json {'), record(2, { hello: 'world' })] });
    expect(prepared.deadLetters.map((letter) => [letter.offset, letter.code, letter.reason])).toEqual([
      [1n, ErrorCode.PayloadInvalid, INVALID_JSON_REASON],
      [2n, ErrorCode.CdcEnvelopeInvalid, 'missing_op'],
    ]);
  });

  it('dead-letters a rejected Matomo record as the normalizer read it: with the visitor pseudonym, never the raw visitor id', async () => {
    const { handler } = harness(memoryStore(), undefined, () => 'feedfacefeedface');
    const broken = cdc.create(SourceTable.MatomoLinkVisitAction, Rows.pageview(41, 3, { server_time: 'not a time' })).value;
    const prepared = await handler.prepare({ topic: 'cdc.matomo.matomo_log_link_visit_action', partition: 0, records: [{ ...record(5, broken), topic: 'cdc.matomo.matomo_log_link_visit_action' }] });
    expect(prepared.deadLetters.map((letter) => letter.reason)).toEqual(['wrong_type']);
    const letter = prepared.deadLetters[0]?.value?.toString() ?? '';
    expect(letter).not.toContain(VISITOR);
    expect(JSON.parse(letter)).toMatchObject({ after: { idlink_va: 41, idvisitor: 'feedfacefeedface', server_time: 'not a time' } });
  });

  it('drops the rows and outputs of an erased person (their offsets still stored) and reads the state again when the list moves', async () => {
    const erasures = memoryErasures();
    let reloads = 0;
    const { handler, store, published } = harness(memoryStore(), () => Promise.resolve(void (reloads += 1)), (visitor) => visitor, erasures);
    const visitTopic = 'cdc.matomo.matomo_log_link_visit_action';
    const first = await handler.prepare({ topic, partition: 2, records: [record(1, favorite(1))] });
    await first.commit();
    expect(published.at(-1)?.interactions.map((event) => event.user_id)).toEqual(['227']);
    expect(reloads).toBe(0);

    erasures.erase('227', `anon:${VISITOR}`);
    const other = cdc.create(SourceTable.ShopFavorites, Rows.favorite(3, { user_id: 228 })).value;
    const second = await handler.prepare({ topic, partition: 2, records: [record(2, favorite(2)), record(3, other)] });
    await second.commit();
    expect(reloads).toBe(1);
    expect(published.at(-1)?.interactions.map((event) => event.user_id)).toEqual(['228']);
    expect(store.applied.at(-1)).toMatchObject({ lastOffset: 3n });

    const visit = cdc.create(SourceTable.MatomoLinkVisitAction, Rows.pageview(41, 3)).value;
    const third = await handler.prepare({ topic: visitTopic, partition: 0, records: [{ ...record(4, visit), topic: visitTopic }] });
    await third.commit();
    expect(published.at(-1)?.interactions).toEqual([]);
    expect(third.deadLetters).toEqual([]);
    // Not even parked: the row of an erased visitor leaves no state behind.
    expect(store.applied.at(-1)).toMatchObject({ lastOffset: 4n, records: [] });
    expect(reloads).toBe(1);
  });

  it('skips records at or below the stored offset and stores the offset of a tombstone', async () => {
    const store = memoryStore();
    store.offsets.set(`${normalizeOffsetsKey(version)}/${offsetField(topic, 2)}`, 5n);
    const { handler, published } = harness(store);
    const prepared = await handler.prepare({ topic, partition: 2, records: [record(5, favorite(1)), record(6, null)] });
    await prepared.commit();
    expect(published.flatMap((outputs) => outputs.interactions)).toHaveLength(0);
    expect(store.applied[0]).toMatchObject({ lastOffset: 6n, records: [], expectedStoredOffset: 5n });
  });

  it('a retried batch after a failed apply yields the same outputs instead of taking its records for duplicates', async () => {
    const { handler, store, published } = harness(memoryStore({ failApplies: 1 }));
    const batch = { topic, partition: 2, records: [record(3, favorite(9))] };
    const first = await handler.prepare(batch);
    await expect(first.commit()).rejects.toMatchObject({ retriable: true });
    const second = await handler.prepare(batch);
    await second.commit();
    const ids = published.map((outputs) => outputs.interactions.map((interaction) => interaction.event_id));
    expect(ids[1]).toEqual(ids[0]);
    expect(ids[0]).toHaveLength(1);
    expect(store.applied).toHaveLength(1);
  });

  it('reads the resident state again before the next batch when Redis was found behind the consumer (rolled back)', async () => {
    let reloads = 0;
    const { handler, store } = harness(memoryStore({ gaps: 1 }), () => Promise.resolve(void (reloads += 1)));
    const batch = { topic, partition: 2, records: [record(3, favorite(9))], readFrom: { offset: 3n, freshStart: 0n } };
    const first = await handler.prepare(batch);
    await expect(first.commit()).rejects.toMatchObject({ code: ErrorCode.StateOffsetGap });
    expect(reloads).toBe(0);
    const second = await handler.prepare(batch);
    expect(reloads).toBe(1);
    await second.commit();
    expect(store.applied[0]).toMatchObject({ lastOffset: 3n, readFrom: { offset: 3n, freshStart: 0n } });
    await (await handler.prepare({ ...batch, records: [record(4, favorite(10))], readFrom: { offset: 4n, freshStart: 0n } })).commit();
    expect(reloads).toBe(1);
  });
});
