import { describe, expect, it } from 'vitest';
import { StoredOffsets, recordsAfter } from './stored-offsets.js';

function loaderOf(tables: Record<string, Map<number, bigint>>): { load: (table: string, topic: string) => Promise<Map<number, bigint>>; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    load: (table, topic) => {
      calls.push(`${table}/${topic}`);
      return Promise.resolve(new Map(tables[topic] ?? []));
    },
  };
}

describe('stored offsets', () => {
  it('reads a topic once at first sight and answers its other partitions from memory', async () => {
    const { load, calls } = loaderOf({ t: new Map([[0, 10n], [1, 3n]]) });
    const offsets = new StoredOffsets(load);
    expect(await offsets.get('items', 't', 0)).toBe(10n);
    expect(await offsets.get('items', 't', 1)).toBe(3n);
    expect(calls).toEqual(['items/t']);
  });

  it('answers -1 for a partition with nothing stored, so offset 0 is new', async () => {
    const offsets = new StoredOffsets(loaderOf({}).load);
    const stored = await offsets.get('items', 't', 2);
    expect(stored).toBe(-1n);
    expect(recordsAfter([{ offset: 0n }, { offset: 1n }], stored)).toEqual([{ offset: 0n }, { offset: 1n }]);
  });

  it('advances after an insert without asking ClickHouse again, and never moves back', async () => {
    const { load, calls } = loaderOf({ t: new Map([[0, 10n]]) });
    const offsets = new StoredOffsets(load);
    await offsets.get('items', 't', 0);
    offsets.advance('t', 0, 25n);
    offsets.advance('t', 0, 20n);
    expect(await offsets.get('items', 't', 0)).toBe(25n);
    expect(calls).toHaveLength(1);
  });

  it('re-reads a forgotten partition (after a failed insert or a rebalance)', async () => {
    const stored = new Map([[0, 10n]]);
    const { load, calls } = loaderOf({ t: stored });
    const offsets = new StoredOffsets(load);
    await offsets.get('items', 't', 0);
    stored.set(0, 30n); // the failed-looking insert landed after all
    offsets.forget('t', 0);
    expect(await offsets.get('items', 't', 0)).toBe(30n);
    offsets.forgetAll();
    await offsets.get('items', 't', 0);
    expect(calls).toHaveLength(3);
  });

  it('drops the records at or below the stored offset', () => {
    expect(recordsAfter([{ offset: 9n }, { offset: 10n }, { offset: 11n }], 10n)).toEqual([{ offset: 11n }]);
  });
});
