import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError, ErrorCode } from '@streamrec/foundation';
import type { SinkTable } from '../domain/sink-tables.js';
import { createTableWriter, RowsRefusedError } from './table-writer.js';
import type { SinkRow } from './table-routes.js';

const row = (offset: number): SinkRow => ({ id: offset, user_id: '1', status: 'paid', total_amount: 1, currency: 'CNY', created_at: 0, paid_at: null, updated_at: 0, deleted: 0, source_version: 1, kafka_topic: 't', kafka_partition: 0, kafka_offset: offset });

function recordingInsert(): { inserts: { table: SinkTable; offsets: number[] }[]; insert: (table: SinkTable, rows: readonly SinkRow[]) => Promise<void>; fail: { next: boolean } } {
  const inserts: { table: SinkTable; offsets: number[] }[] = [];
  const fail = { next: false };
  return {
    inserts,
    fail,
    insert: (table, rows) => {
      if (fail.next) {
        fail.next = false;
        return Promise.reject(new AppError(ErrorCode.DependencyUnavailable, 'down', { retriable: true }));
      }
      inserts.push({ table, offsets: rows.map((candidate) => candidate.kafka_offset) });
      return Promise.resolve();
    },
  };
}

describe('table writer', () => {
  beforeEach(() => vi.useFakeTimers({ now: 10_000 }));
  afterEach(() => vi.useRealTimers());

  it('inserts the first rows at once and holds later small writes until 1 s after the previous insert', async () => {
    const { inserts, insert } = recordingInsert();
    const writer = createTableWriter({ insert, policy: { maxRows: 1_000, maxDelayMs: 1_000 }, now: Date.now });
    await writer.write('orders', [row(1)]);
    expect(inserts).toEqual([{ table: 'orders', offsets: [1] }]);
    let settled = 0;
    const second = writer.write('orders', [row(2)]).then(() => (settled += 1));
    const third = writer.write('orders', [row(3)]).then(() => (settled += 1));
    await vi.advanceTimersByTimeAsync(999);
    expect(settled).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    await Promise.all([second, third]);
    expect(inserts).toEqual([{ table: 'orders', offsets: [1] }, { table: 'orders', offsets: [2, 3] }]);
  });

  it('inserts as soon as maxRows rows are buffered', async () => {
    const { inserts, insert } = recordingInsert();
    const writer = createTableWriter({ insert, policy: { maxRows: 3, maxDelayMs: 60_000 }, now: Date.now });
    await writer.write('orders', [row(1)]);
    const pending = writer.write('orders', [row(2), row(3)]);
    await writer.write('orders', [row(4)]);
    await pending;
    expect(inserts.map((insert) => insert.offsets)).toEqual([[1], [2, 3, 4]]);
  });

  it('keeps tables apart', async () => {
    const { inserts, insert } = recordingInsert();
    const writer = createTableWriter({ insert, policy: { maxRows: 1_000, maxDelayMs: 1_000 }, now: Date.now });
    await writer.write('orders', [row(1)]);
    await writer.write('order_items', [row(1)]);
    expect(inserts.map((insert) => insert.table)).toEqual(['orders', 'order_items']);
  });

  it('rejects every write of a failed insert, and inserts later writes again', async () => {
    const { inserts, insert, fail } = recordingInsert();
    const writer = createTableWriter({ insert, policy: { maxRows: 1_000, maxDelayMs: 0 }, now: Date.now });
    fail.next = true;
    await expect(writer.write('orders', [row(1)])).rejects.toMatchObject({ code: ErrorCode.DependencyUnavailable, retriable: true });
    await writer.write('orders', [row(1)]);
    expect(inserts).toEqual([{ table: 'orders', offsets: [1] }]);
  });

  it('drains what is buffered on stop', async () => {
    const { inserts, insert } = recordingInsert();
    const writer = createTableWriter({ insert, policy: { maxRows: 1_000, maxDelayMs: 60_000 }, now: Date.now });
    await writer.write('orders', [row(1)]);
    const pending = writer.write('orders', [row(2)]);
    await writer.drain();
    await pending;
    expect(inserts.map((insert) => insert.offsets)).toEqual([[1], [2]]);
  });

  it('bisects a block ClickHouse refuses for one row: the other writes resolve, the one with the row learns which it was', async () => {
    const inserts: number[][] = [];
    const insert = (_table: SinkTable, rows: readonly SinkRow[]): Promise<void> => {
      if (rows.some((candidate) => candidate.kafka_offset === 3)) return Promise.reject(new AppError(ErrorCode.PayloadInvalid, 'Code 27: cannot parse'));
      inserts.push(rows.map((candidate) => candidate.kafka_offset));
      return Promise.resolve();
    };
    const writer = createTableWriter({ insert, policy: { maxRows: 5, maxDelayMs: 60_000 }, now: Date.now });
    await writer.write('orders', [row(0)]);
    const clean = writer.write('orders', [row(1), row(2)]);
    const poisoned = writer.write('orders', [row(3), row(4), row(5)]).then(
      () => undefined,
      (error: unknown) => error,
    );
    await clean;
    const error = await poisoned;
    expect(error).toBeInstanceOf(RowsRefusedError);
    expect((error as RowsRefusedError).refused.map(({ row: refused, refusal }) => [refused.kafka_offset, refusal.message])).toEqual([[3, 'Code 27: cannot parse']]);
    expect((error as RowsRefusedError).retriable).toBe(true);
    expect(inserts.flat().sort((a, b) => a - b)).toEqual([0, 1, 2, 4, 5]);
  });
});
