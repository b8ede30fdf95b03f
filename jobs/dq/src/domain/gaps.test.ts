import { describe, expect, it } from 'vitest';
import { HOUR_MS, completeness, denseSeries, hourStarts } from './gaps.js';

const t0 = Date.UTC(2001, 2, 10);

describe('time completeness', () => {
  it('finds interior runs of empty hours and the longest', () => {
    //            0  1  2  3  4  5  6  7  8  9
    const counts = [0, 4, 0, 3, 0, 0, 0, 2, 5, 0];
    const result = completeness(counts, t0);
    expect(result.gaps).toEqual([{ fromMs: t0 + 2 * HOUR_MS, hours: 1 }, { fromMs: t0 + 4 * HOUR_MS, hours: 3 }]);
    expect(result).toMatchObject({ hours: 10, hoursWithEvents: 4, gapHours: 4, longestGapHours: 3, leadingEmptyHours: 1, trailingEmptyHours: 1 });
  });

  it('sees no gap in a full series or an empty one', () => {
    expect(completeness([1, 2, 3], t0)).toMatchObject({ gaps: [], longestGapHours: 0, leadingEmptyHours: 0, trailingEmptyHours: 0 });
    expect(completeness([0, 0], t0)).toMatchObject({ gaps: [], hoursWithEvents: 0, leadingEmptyHours: 2, trailingEmptyHours: 2 });
  });

  it('lays out the hours of a window and fills the ones without rows with 0', () => {
    const hours = hourStarts(t0 + 30 * 60_000, t0 + 3 * HOUR_MS);
    expect(hours).toEqual([t0, t0 + HOUR_MS, t0 + 2 * HOUR_MS]);
    expect(hourStarts(t0, t0 + 2 * HOUR_MS)).toHaveLength(2);
    expect(denseSeries(hours, [{ hourMs: t0 + HOUR_MS, count: 3 }, { hourMs: t0 + HOUR_MS, count: 2 }, { hourMs: t0 - HOUR_MS, count: 9 }])).toEqual([0, 5, 0]);
  });
});
