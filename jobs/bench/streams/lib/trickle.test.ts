import { describe, expect, it } from 'vitest';
import { rowsDue } from './trickle.js';

describe('rowsDue', () => {
  it('keeps the committed rows on the requested rate, whatever the tick lengths', () => {
    let inserted = 0;
    for (const elapsed of [50, 100, 170, 200, 1_000]) inserted += rowsDue(elapsed, 1_000, inserted);
    expect(inserted).toBe(1_000);
    expect(rowsDue(1_049, 1_000, 1_000)).toBe(49);
  });

  it('catches up over several INSERTs of at most 1,000 rows after a stall, and is off at rate 0', () => {
    expect(rowsDue(5_000, 1_000, 0)).toBe(1_000);
    expect(rowsDue(5_000, 1_000, 4_500)).toBe(500);
    expect(rowsDue(5_000, 0, 0)).toBe(0);
    expect(rowsDue(0, 1_000, 0)).toBe(0);
  });
});
