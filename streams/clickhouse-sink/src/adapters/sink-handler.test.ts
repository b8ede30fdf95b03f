import { describe, expect, it } from 'vitest';
import { AppError, ErrorCode } from '@streamrec/foundation';
import { type ConsumedRecord } from '@streamrec/foundation/kafka';
import { createEventCodec } from '@streamrec/schemas/avro';
import { interactionFixture } from '@streamrec/streams-common/testing';
import { StoredOffsets } from '../domain/stored-offsets.js';
import type { SinkTable } from '../domain/sink-tables.js';
import { createSinkHandler, type SinkHandlerDependencies } from './sink-handler.js';
import { createTableRoutes, type SinkRow } from './table-routes.js';
import { RowsRefusedError, type TableWriter } from './table-writer.js';

const quietMetrics = { alreadyStored: { inc: () => undefined }, rowsRefused: { inc: () => undefined } } as unknown as SinkHandlerDependencies['metrics'];
const topics = { interactions: 'i', exposures: 'e', items: 'it', users: 'u', orders: 'o', orderItems: 'oi', pairs: 'p' };
const codec = createEventCodec('events.interactions.v1');
const record = (topic: string, offset: number, value: Buffer | null): ConsumedRecord => ({ topic, partition: 0, offset: BigInt(offset), key: null, value, timestampMs: 0 });
const interaction = (offset: number): ConsumedRecord => record('i', offset, codec.encode(interactionFixture({ event_id: `e${offset}`, event_time: 1_000 + offset })));

/** A table that holds, per partition, the offsets 0..N given (`stored`), plus whatever is written or `land`ed. */
function fakes(stored: Map<number, bigint>, failInserts = false) {
  const held = new Map<number, Set<bigint>>();
  const land = (partition: number, offset: bigint): void => {
    const offsets = held.get(partition) ?? new Set<bigint>();
    offsets.add(offset);
    held.set(partition, offsets);
  };
  for (const [partition, max] of stored) for (let offset = 0n; offset <= max; offset += 1n) land(partition, offset);
  const written: { table: SinkTable; rows: readonly SinkRow[] }[] = [];
  const writer: TableWriter = {
    write: (table, rows) => {
      if (failInserts) return Promise.reject(new AppError(ErrorCode.DependencyUnavailable, 'down', { retriable: true }));
      written.push({ table, rows });
      for (const row of rows) land(row.kafka_partition, BigInt(row.kafka_offset));
      return Promise.resolve();
    },
    drain: () => Promise.resolve(),
  };
  const maxima = (): Map<number, bigint> => new Map([...held].map(([partition, offsets]) => [partition, [...offsets].reduce((a, b) => (b > a ? b : a), -1n)]));
  const offsets = new StoredOffsets(
    () => Promise.resolve(maxima()),
    (_table, _topic, partition, from, to) => Promise.resolve(new Set([...(held.get(partition) ?? [])].filter((offset) => offset >= from && offset <= to))),
  );
  return { writer, written, offsets, land };
}

describe('sink handler', () => {
  it('writes a committed pair increment into cooccurrence_increments with its position', async () => {
    const { writer, written, offsets } = fakes(new Map());
    const handler = createSinkHandler({ routes: createTableRoutes(topics), offsets, writer, metrics: { ...quietMetrics, alreadyStored: { inc: () => undefined } as never } });
    const pairs = createEventCodec('events.cooccurrence.v1');
    const value = pairs.encode({ event_date: 20_417, item_id: 3, other_item_id: 9, pair_count: 2, weight: 11 });
    const prepared = await handler.prepare({ topic: 'p', partition: 0, records: [record('p', 4, value)] });
    await prepared.commit();
    expect(written).toEqual([{ table: 'cooccurrence_increments', rows: [{ event_date: '2025-11-25', low_item_id: 3, high_item_id: 9, pair_count: 2, weight: 11, kafka_topic: 'p', kafka_partition: 0, kafka_offset: 4 }] }]);
    expect(createTableRoutes({ ...topics, pairs: null }).has('p')).toBe(false);
  });

  it('writes the rows of a batch and only then lets the loop commit', async () => {
    const { writer, written, offsets } = fakes(new Map());
    const handler = createSinkHandler({ routes: createTableRoutes(topics), offsets, writer, metrics: { ...quietMetrics, alreadyStored: { inc: () => undefined } as never } });
    const prepared = await handler.prepare({ topic: 'i', partition: 0, records: [interaction(0), interaction(1)] });
    expect(written).toEqual([]);
    await prepared.commit();
    expect(written.map((write) => [write.table, write.rows.map((row) => row.kafka_offset)])).toEqual([['interactions', [0, 1]]]);
    expect(prepared.eventTimesMs).toEqual([1_000, 1_001]);
  });

  it('skips records the table already holds, so a re-read inserts nothing twice', async () => {
    const { writer, written, offsets } = fakes(new Map([[0, 1n]]));
    let alreadyStored = 0;
    const handler = createSinkHandler({ routes: createTableRoutes(topics), offsets, writer, metrics: { ...quietMetrics, alreadyStored: { inc: (_: unknown, n: number) => (alreadyStored += n) } as never } });
    const prepared = await handler.prepare({ topic: 'i', partition: 0, records: [interaction(0), interaction(1), interaction(2)] });
    await prepared.commit();
    expect(written.flatMap((write) => write.rows.map((row) => row.kafka_offset))).toEqual([2]);
    expect(alreadyStored).toBe(2);
    const again = await handler.prepare({ topic: 'i', partition: 0, records: [interaction(2)] });
    await again.commit();
    expect(written).toHaveLength(1);
  });

  it('dead-letters poison with its code while the rest of the batch is written', async () => {
    const { writer, written, offsets } = fakes(new Map());
    const handler = createSinkHandler({ routes: createTableRoutes(topics), offsets, writer, metrics: { ...quietMetrics, alreadyStored: { inc: () => undefined } as never } });
    const prepared = await handler.prepare({ topic: 'i', partition: 0, records: [interaction(0), record('i', 1, Buffer.from('garbage')), interaction(2)] });
    expect(prepared.deadLetters.map((letter) => [letter.offset, letter.code])).toEqual([[1n, ErrorCode.PayloadInvalid]]);
    const orders = await handler.prepare({ topic: 'o', partition: 0, records: [record('o', 0, Buffer.from('{oops')), record('o', 1, null)] });
    expect(orders.deadLetters.map((letter) => letter.code)).toEqual([ErrorCode.CdcEnvelopeInvalid]);
    await prepared.commit();
    await orders.commit();
    expect(written.flatMap((write) => write.rows.map((row) => row.kafka_offset))).toEqual([0, 2]);
  });

  it('fails a commit retriably and re-reads the stored offset before the retry', async () => {
    const { writer, offsets, land } = fakes(new Map(), true);
    const handler = createSinkHandler({ routes: createTableRoutes(topics), offsets, writer, metrics: { ...quietMetrics, alreadyStored: { inc: () => undefined } as never } });
    const prepared = await handler.prepare({ topic: 'i', partition: 0, records: [interaction(0)] });
    await expect(prepared.commit()).rejects.toMatchObject({ retriable: true });
    land(0, 0n); // the insert landed although the client saw an error
    const retry = await handler.prepare({ topic: 'i', partition: 0, records: [interaction(0)] });
    expect(retry.eventTimesMs).toEqual([]);
  });

  it('after an INSERT that failed half way, the retry writes exactly the rows that did not land', async () => {
    let failNext = true;
    const { writer: table, written, offsets, land } = fakes(new Map([[0, 9n]]));
    // Offsets 10..15 go in one INSERT over two months: the part of 10, 12 and 14 lands, then it fails.
    const writer: TableWriter = {
      write: (name, rows) => {
        if (!failNext) return table.write(name, rows);
        failNext = false;
        for (const offset of [10n, 12n, 14n]) land(0, offset);
        return Promise.reject(new AppError(ErrorCode.DependencyUnavailable, 'failed after one part', { retriable: true }));
      },
      drain: () => Promise.resolve(),
    };
    const handler = createSinkHandler({ routes: createTableRoutes(topics), offsets, writer, metrics: { ...quietMetrics, alreadyStored: { inc: () => undefined } as never } });
    const records = [10, 11, 12, 13, 14, 15].map(interaction);
    await expect((await handler.prepare({ topic: 'i', partition: 0, records })).commit()).rejects.toMatchObject({ retriable: true });
    const retry = await handler.prepare({ topic: 'i', partition: 0, records });
    await retry.commit();
    expect(written.flatMap((write) => write.rows.map((row) => row.kafka_offset))).toEqual([11, 13, 15]);
  });

  it('rows ClickHouse refused are dead-lettered with its reason on the retry, and nothing that landed is inserted again', async () => {
    let refuseNext = true;
    const { writer: table, written, offsets, land } = fakes(new Map());
    // The writer's bisection landed 0, 1 and 3 and left out 2, refused by ClickHouse.
    const writer: TableWriter = {
      write: (name, rows) => {
        if (!refuseNext) return table.write(name, rows);
        refuseNext = false;
        for (const offset of [0n, 1n, 3n]) land(0, offset);
        const refusal = new AppError(ErrorCode.PayloadInvalid, 'ClickHouse refused the row (Code 27): Cannot parse input');
        return Promise.reject(new RowsRefusedError(rows.filter((row) => row.kafka_offset === 2).map((row) => ({ row, refusal }))));
      },
      drain: () => Promise.resolve(),
    };
    let refusedRows = 0;
    const metrics = { ...quietMetrics, rowsRefused: { inc: (_: unknown, n: number) => (refusedRows += n) } as never };
    const handler = createSinkHandler({ routes: createTableRoutes(topics), offsets, writer, metrics });
    const records = [0, 1, 2, 3].map(interaction);
    const first = await handler.prepare({ topic: 'i', partition: 0, records });
    expect(first.deadLetters).toEqual([]);
    await expect(first.commit()).rejects.toMatchObject({ retriable: true });
    expect(refusedRows).toBe(1);
    const retry = await handler.prepare({ topic: 'i', partition: 0, records });
    expect(retry.deadLetters.map((letter) => [letter.offset, letter.code, letter.reason])).toEqual([[2n, ErrorCode.PayloadInvalid, 'ClickHouse refused the row (Code 27): Cannot parse input']]);
    expect(retry.deadLetters[0]?.value).toEqual(records[2]?.value);
    await retry.commit();
    expect(written).toEqual([]);
    // Once its batch is through, the refusal is forgotten.
    const again = await handler.prepare({ topic: 'i', partition: 0, records: [interaction(4)] });
    expect(again.deadLetters).toEqual([]);
  });
});
