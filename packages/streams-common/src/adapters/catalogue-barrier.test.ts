import { describe, expect, it } from 'vitest';
import { itemIdOf, type ItemId } from '../domain/ids.js';
import type { ItemInfo } from '../domain/item-catalogue.js';
import { createCatalogueBarrier, type CatalogueWaitOutcome } from './catalogue-barrier.js';

const info: ItemInfo = { industry: 'finance', tags: [], price: 10, available: true };
const ids = (...values: number[]): ItemId[] => values.map((value) => itemIdOf(value));

function world(readToEndResult: boolean): { known: Set<string>; waits: [CatalogueWaitOutcome, number, number][]; barrier: ReturnType<typeof createCatalogueBarrier>; arriving: Set<string> } {
  const known = new Set<string>();
  const arriving = new Set<string>();
  const waits: [CatalogueWaitOutcome, number, number][] = [];
  const barrier = createCatalogueBarrier({
    lookup: (item) => (known.has(item) ? info : undefined),
    readToEnd: () => {
      for (const item of arriving) known.add(item);
      arriving.clear();
      return Promise.resolve(readToEndResult);
    },
    timeoutMs: 100,
    onWait: (outcome, unknown) => waits.push([outcome, unknown.before, unknown.after]),
  });
  return { known, waits, barrier, arriving };
}

describe('the catalogue barrier', () => {
  it('does not wait when the catalogue knows every item of the batch', async () => {
    const { known, waits, barrier } = world(true);
    known.add('1');
    await barrier(ids(1, 1), 0);
    expect(waits).toEqual([]);
  });

  it('waits once per batch that names unknown items, whatever their number, and again for the next such batch', async () => {
    const { waits, barrier, arriving, known } = world(true);
    known.add('1');
    arriving.add('2');
    await barrier(ids(1, 2, 3, 3), 0);
    expect(waits).toEqual([['caught_up', 2, 1]]);
    expect(known.has('2')).toBe(true);
    arriving.add('3'); // dataset 3 is created at last
    await barrier(ids(3), 0);
    expect(known.has('3')).toBe(true);
    expect(waits).toEqual([['caught_up', 2, 1], ['caught_up', 1, 0]]);
  });

  it('reports a wait that timed out, and one that could not ask for the end, and lets the batch go on', async () => {
    const { waits, barrier } = world(false);
    await barrier(ids(1), 0);
    expect(waits).toEqual([['timeout', 1, 1]]);
    const failed: CatalogueWaitOutcome[] = [];
    const unreachable = createCatalogueBarrier({ lookup: () => undefined, readToEnd: () => Promise.reject(new Error('broker down')), timeoutMs: 100, onWait: (outcome) => failed.push(outcome) });
    await expect(unreachable(ids(1), 0)).resolves.toBeUndefined();
    expect(failed).toEqual(['failed']);
  });
});
