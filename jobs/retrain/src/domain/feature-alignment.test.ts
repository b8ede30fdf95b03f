import { describe, expect, it } from 'vitest';
import { featureAligner } from './feature-alignment.js';

describe('featureAligner', () => {
  const align = featureAligner(['fused_score', 'item_ctr', 'user_views'], [
    { id: '1', featureNames: ['item_ctr', 'fused_score', 'extra'] },
    { id: '2', featureNames: ['fused_score', 'item_ctr', 'user_views'] },
  ]);

  it("maps a row's logged values to the run's columns by name, NaN for a column the list lacks", () => {
    expect([...align('1', [0.25, 1.5, 9])]).toEqual([1.5, 0.25, Number.NaN]);
    expect([...align('2', [1, 2, 3])]).toEqual([1, 2, 3]);
  });

  it('turns null and non-finite logged values into NaN (missing)', () => {
    expect([...align('2', [null, Number.POSITIVE_INFINITY, Number.NaN])]).toEqual([Number.NaN, Number.NaN, Number.NaN]);
  });

  it('refuses a row of a list it was not given', () => {
    expect(() => align('3', [1])).toThrow(/unknown feature list 3/);
  });
});
