import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from './policy.js';
import { buildReadout } from './readout.js';
import { buildTimeline } from './timeline.js';
import { activity, HOUR, population, readoutInput, T0 } from '../testing/fixtures.js';

describe('the experiment over time', () => {
  it('fills quiet buckets with zeros between the first and the last', () => {
    const timeline = buildTimeline([activity('a', 'control'), activity('b', 'treatment', { bucketMs: T0 + 3 * HOUR, clicks: 4 })], [], ['control', 'treatment'], 'control', HOUR, DEFAULT_POLICY);
    expect(timeline.buckets).toEqual([T0, T0 + HOUR, T0 + 2 * HOUR, T0 + 3 * HOUR]);
    const treatment = timeline.variants.find((variant) => variant.variant === 'treatment');
    expect(treatment?.exposures).toEqual([0, 0, 0, 10]);
    expect(treatment?.ctr).toEqual([null, null, null, 0.4]);
    expect(treatment?.users).toEqual([0, 0, 0, 1]);
  });

  it('ends the cumulative lift where the whole readout is, and starts it from the first bucket’s users', () => {
    // in the first hour only users 0–29 of each variant, in the second all 60
    const rows = population({ control: 60, treatment: 60 }, { treatment: 1 }).filter((row) => row.bucketMs > T0 || Number(row.userId.split('-')[1]) < 30);
    const readout = buildReadout(readoutInput({ activity: rows }));
    const cumulative = readout.timeline.cumulativeLift.find((entry) => entry.metric === 'ctr');
    const overall = readout.lifts.find((lift) => lift.metric === 'ctr');
    expect(cumulative?.points.map((point) => point.atMs)).toEqual([T0 + HOUR, T0 + 2 * HOUR]);
    const last = cumulative?.points.at(-1);
    expect(last?.relative).toBeCloseTo(overall?.relative ?? Number.NaN, 12);
    expect(last?.lower).toBeCloseTo(overall?.lower ?? Number.NaN, 12);
    // after one hour half the users: a lift in the same direction with a wider interval
    const first = cumulative?.points[0];
    expect(first?.relative).toBeGreaterThan(0);
    expect((first?.upper ?? 0) - (first?.lower ?? 0)).toBeGreaterThan((last?.upper ?? 0) - (last?.lower ?? 0));
  });
});
