import { describe, expect, it } from 'vitest';
import { mapColumns, selectColumns } from './champion-columns.js';
import { maxAbsDifference, withinParity } from './parity.js';

describe('champion columns', () => {
  it('maps the champion features to the run columns by name, in the champion order', () => {
    expect(mapColumns(['a', 'b', 'c'], ['c', 'a'])).toEqual({ columns: [2, 0], missing: [] });
    expect(mapColumns(['a', 'b'], ['b', 'x', 'y'])).toEqual({ columns: [1, -1, -1], missing: ['x', 'y'] });
  });

  it('builds the champion input from the run rows', () => {
    const rows = Float32Array.from([1, 2, 3, 4, 5, 6]); // 2 rows × [a, b, c]
    expect([...selectColumns(rows, 3, [2, 0])]).toEqual([3, 1, 6, 4]);
    expect([...selectColumns(rows, 3, [-1])]).toEqual([Number.NaN, Number.NaN]);
    expect(() => selectColumns(rows, 4, [0])).toThrow(/not rows of 4/);
  });
});

describe('ONNX parity', () => {
  it('finds the largest difference and its row', () => {
    expect(maxAbsDifference([1, 2, 3], [1, 2.5, 2.9])).toEqual({ maxAbs: 0.5, row: 1 });
    expect(maxAbsDifference([], [])).toEqual({ maxAbs: 0, row: -1 });
  });

  it('treats NaN as an infinite difference and fails the bound on it', () => {
    const result = maxAbsDifference([1, Number.NaN], [1, 1]);
    expect(result).toEqual({ maxAbs: Number.POSITIVE_INFINITY, row: 1 });
    expect(withinParity(result.maxAbs)).toBe(false);
  });

  it('accepts up to 1e-5', () => {
    expect(withinParity(1e-5)).toBe(true);
    expect(withinParity(1.0001e-5)).toBe(false);
    expect(() => maxAbsDifference([1], [1, 2])).toThrow(/1 scores against 2/);
  });
});
