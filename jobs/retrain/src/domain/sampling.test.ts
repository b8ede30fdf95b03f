import { describe, expect, it } from 'vitest';
import { sampleRequest } from './sampling.js';
import { stableHash } from './stable-hash.js';

/** Rows in served order: the index is the served position. */
const rows = (grades: readonly number[]) => grades.map((grade, index) => ({ itemId: String(1000 + index), grade, servedPosition: index }));
const settings = { maxRowsPerRequest: 100, negativesPerPositive: 2, seed: 7, hardNegativeShare: 0 };

describe('per-request sampling', () => {
  it('keeps every positive and negativesPerPositive negatives per positive', () => {
    const kept = sampleRequest('r1', rows([0, 0, 3, 0, 0, 0, 1, 0, 0, 0]), settings);
    expect(kept.filter((row) => row.grade > 0)).toHaveLength(2);
    expect(kept.filter((row) => row.grade === 0)).toHaveLength(4);
  });

  it('is deterministic whatever order the rows arrive in, and depends on the seed', () => {
    const input = rows([0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0]);
    const first = sampleRequest('r2', input, settings).map((row) => row.itemId);
    const reversed = sampleRequest('r2', [...input].reverse(), settings).map((row) => row.itemId);
    expect(reversed).toEqual(first);
    expect(sampleRequest('r2', input, settings).map((row) => row.itemId)).toEqual(first);
    const seeds = new Set([1, 2, 3, 4, 5].map((seed) => sampleRequest('r2', input, { ...settings, seed }).map((row) => row.itemId).join(',')));
    expect(seeds.size).toBeGreaterThan(1);
  });

  it('respects the row cap, positives first and the highest grades among them', () => {
    const kept = sampleRequest('r3', rows([1, 0, 5, 0, 2, 4, 0, 3]), { ...settings, maxRowsPerRequest: 3 });
    expect(kept.map((row) => row.grade).sort()).toEqual([3, 4, 5]);
  });

  it('keeps no negatives with a ratio of 0, and all positives of a request without negatives', () => {
    expect(sampleRequest('r4', rows([0, 2, 0, 1]), { ...settings, negativesPerPositive: 0 }).map((row) => row.grade).sort()).toEqual([1, 2]);
    expect(sampleRequest('r5', rows([1, 1]), settings)).toHaveLength(2);
    expect(sampleRequest('r6', rows([0, 0, 0]), settings)).toEqual([]);
  });

  it('orders the kept rows by a seeded hash, not by the logged (display) order', () => {
    const kept = sampleRequest('r7', rows([1, 1, 1, 1, 1, 1, 1, 1]), settings);
    const hashes = kept.map((row) => stableHash(7, 'order', 'r7', row.itemId));
    expect(hashes).toEqual([...hashes].sort((a, b) => a - b));
    expect(kept.map((row) => row.itemId)).not.toEqual(rows([1, 1, 1, 1, 1, 1, 1, 1]).map((row) => row.itemId));
  });

  it('hashes stably across processes (fixed values)', () => {
    expect(stableHash(0)).toBe(stableHash(0));
    expect(stableHash(1, 'a', 'bc')).not.toBe(stableHash(1, 'ab', 'c'));
    // pinned: a change of the hash silently changes every sample and row order
    expect(stableHash(42, 'request', 'item')).toBe(2690557643);
    expect(stableHash(0)).toBe(2872998923);
  });

  it('takes a share of the negatives from the top of the served order, the rest at random, deterministically', () => {
    // 2 positives → 4 negatives; half of them the two negatives served highest (positions 0 and 2).
    const input = rows([0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    const kept = sampleRequest('r8', input, { ...settings, hardNegativeShare: 0.5 });
    const negatives = kept.filter((row) => row.grade === 0);
    expect(negatives).toHaveLength(4);
    expect(negatives.map((row) => row.servedPosition)).toEqual(expect.arrayContaining([0, 2]));
    expect(sampleRequest('r8', [...input].reverse(), { ...settings, hardNegativeShare: 0.5 })).toEqual(kept);
    const allHard = sampleRequest('r8', input, { ...settings, hardNegativeShare: 1 }).filter((row) => row.grade === 0);
    expect(allHard.map((row) => row.servedPosition).sort((a, b) => a - b)).toEqual([0, 2, 3, 4]);
    // A share of 0 is the uniform choice of before.
    expect(sampleRequest('r8', input, settings).map((row) => row.itemId)).toEqual(sampleRequest('r8', input, { ...settings, hardNegativeShare: 0 }).map((row) => row.itemId));
  });
});

