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

  it('after a half-failed INSERT, finds the holes in its range below the highest stored offset instead of skipping them', async () => {
    // Offsets 1..10 were one INSERT over two months: the even offsets' part landed, the odd ones' did not.
    const held = new Set([2n, 4n, 6n, 8n, 10n]);
    const ranges: string[] = [];
    const offsets = new StoredOffsets(
      () => Promise.resolve(new Map([[0, 10n]])),
      (_table, _topic, _partition, from, to) => {
        ranges.push(`${from}..${to}`);
        return Promise.resolve(new Set([...held].filter((offset) => offset >= from && offset <= to)));
      },
    );
    offsets.failed('t', 0, 1n, 10n);
    const records = Array.from({ length: 12 }, (_, index) => ({ offset: BigInt(index + 1) }));
    expect((await offsets.fresh('interactions', 't', 0, records)).map(({ offset }) => offset)).toEqual([1n, 3n, 5n, 7n, 9n, 11n, 12n]);
    expect(ranges).toEqual(['1..10']);
    // Once its range is written the maximum decides again, without a query.
    offsets.advance('t', 0, 12n);
    expect((await offsets.fresh('interactions', 't', 0, [{ offset: 5n }, { offset: 12n }, { offset: 13n }])).map(({ offset }) => offset)).toEqual([13n]);
    expect(ranges).toHaveLength(1);
  });

  it('without a failed INSERT the maximum decides, even below it (merged-away duplicates are not holes to refill)', async () => {
    let queries = 0;
    const offsets = new StoredOffsets(
      () => Promise.resolve(new Map([[0, 10n]])),
      () => {
        queries += 1;
        return Promise.resolve(new Set<bigint>());
      },
    );
    expect(await offsets.fresh('interactions', 't', 0, [{ offset: 9n }, { offset: 10n }, { offset: 11n }])).toEqual([{ offset: 11n }]);
    expect(queries).toBe(0);
  });

  it('at first sight of a partition, checks one by one the records from the committed offset to the highest stored one (a process killed mid-INSERT)', async () => {
    // A killed process's INSERT of offsets 4..9 over two months wrote the odd offsets' part; its group had committed 4.
    const held = new Set([0n, 1n, 2n, 3n, 5n, 7n, 9n]);
    const ranges: string[] = [];
    const offsets = new StoredOffsets(
      () => Promise.resolve(new Map([[0, 9n], [1, 20n]])),
      (_table, _topic, partition, from, to) => {
        ranges.push(`${partition}:${from}..${to}`);
        return Promise.resolve(new Set([...held].filter((offset) => offset >= from && offset <= to)));
      },
      () => Promise.resolve(new Map([[0, 4n], [1, 21n]])),
    );
    const records = Array.from({ length: 8 }, (_, index) => ({ offset: BigInt(index + 4) }));
    expect((await offsets.fresh('interactions', 't', 0, records)).map(({ offset }) => offset)).toEqual([4n, 6n, 8n, 10n, 11n]);
    expect(ranges).toEqual(['0:4..9']);
    // Partition 1 committed past its highest row: nothing is in doubt, the maximum decides without a query.
    expect((await offsets.fresh('interactions', 't', 1, [{ offset: 21n }])).map(({ offset }) => offset)).toEqual([21n]);
    expect(ranges).toHaveLength(1);
  });

  it('a group without a commit (a new deployment) has nothing in doubt: the maximum decides', async () => {
    let queries = 0;
    const offsets = new StoredOffsets(
      () => Promise.resolve(new Map([[0, 10n]])),
      () => {
        queries += 1;
        return Promise.resolve(new Set<bigint>());
      },
      () => Promise.resolve(new Map()),
    );
    expect(await offsets.fresh('interactions', 't', 0, [{ offset: 0n }, { offset: 10n }, { offset: 11n }])).toEqual([{ offset: 11n }]);
    expect(queries).toBe(0);
  });
});
