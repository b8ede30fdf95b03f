import { describe, expect, it } from 'vitest';
import { insertIsolatingRefused } from './bisect-insert.js';

/** A target that refuses any block holding a bad row, and records every block it stores. */
function target(bad: ReadonlySet<number>, failOnce?: { transientAt: number }) {
  const stored: number[][] = [];
  let calls = 0;
  const insert = (rows: readonly number[]): Promise<void> => {
    calls += 1;
    if (failOnce !== undefined && calls === failOnce.transientAt) return Promise.reject(new Error('connection reset'));
    const refused = rows.find((row) => bad.has(row));
    if (refused !== undefined) return Promise.reject(new Error(`refused ${refused}`));
    stored.push([...rows]);
    return Promise.resolve();
  };
  const refusalOf = (error: unknown): string | undefined => (error instanceof Error && error.message.startsWith('refused') ? error.message : undefined);
  return { stored, insert, refusalOf, calls: () => calls };
}

describe('insert isolating refused rows', () => {
  it('a block without bad rows is one insert', async () => {
    const { stored, insert, refusalOf } = target(new Set());
    expect(await insertIsolatingRefused([1, 2, 3], insert, refusalOf)).toEqual([]);
    expect(stored).toEqual([[1, 2, 3]]);
  });

  it('leaves out exactly the refused rows and inserts every other row once, in order', async () => {
    const { stored, insert, refusalOf } = target(new Set([3, 7]));
    const rows = Array.from({ length: 10 }, (_, n) => n);
    const refused = await insertIsolatingRefused(rows, insert, refusalOf);
    expect(refused).toEqual([
      { row: 3, refusal: 'refused 3' },
      { row: 7, refusal: 'refused 7' },
    ]);
    expect(stored.flat()).toEqual([0, 1, 2, 4, 5, 6, 8, 9]);
  });

  it('a block of one bad row is refused whole', async () => {
    const { stored, insert, refusalOf } = target(new Set([5]));
    expect(await insertIsolatingRefused([5], insert, refusalOf)).toEqual([{ row: 5, refusal: 'refused 5' }]);
    expect(stored).toEqual([]);
  });

  it('any other failure, even half way through the bisection, is rethrown', async () => {
    const { stored, insert, refusalOf } = target(new Set([6]), { transientAt: 3 });
    await expect(insertIsolatingRefused([0, 1, 2, 3, 4, 5, 6, 7], insert, refusalOf)).rejects.toThrow('connection reset');
    expect(stored.flat()).toEqual([0, 1, 2, 3]);
  });
});
