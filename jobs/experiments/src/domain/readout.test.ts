import { describe, expect, it } from 'vitest';
import { activity, HALF_HALF, HOUR, population, purchase, readoutInput, T0 } from '../testing/fixtures.js';
import { buildReadout, controlVariant } from './readout.js';

describe('an experiment readout', () => {
  it('sums each variant’s users, answers, items, clicks and purchases, with CTR = Σ clicks / Σ exposures', () => {
    const readout = buildReadout(readoutInput({ purchases: [purchase('treatment-1', 30), purchase('treatment-1', 20), purchase('control-2', 10)] }));
    const [control, treatment] = readout.variants;
    expect(readout.status).toBe('valid');
    expect(readout.control).toBe('control');
    expect(control).toMatchObject({ variant: 'control', isControl: true, configuredShare: 50, users: 100, requests: 200, exposures: 2_000, purchases: 1, revenue: 10 });
    // clicks per user and bucket: i mod 3 → users 0..99 give 34·0 + 33·1 + 33·2 = 99 per bucket
    expect(control?.clicks).toBe(198);
    expect(control?.metrics.ctr.value).toBeCloseTo(198 / 2_000, 15);
    expect(treatment).toMatchObject({ users: 100, purchases: 2, revenue: 50 });
    expect(treatment?.metrics.conversion.value).toBeCloseTo(0.01, 15);
    expect(treatment?.metrics.revenue_per_user.value).toBeCloseTo(0.5, 15);
    expect(readout.users).toBe(200);
  });

  it('finds a planted lift in CTR with an interval above zero, and none in an A/A split', () => {
    const lifted = buildReadout(readoutInput({ activity: population({ control: 100, treatment: 100 }, { treatment: 1 }) }));
    const ctr = lifted.lifts.find((lift) => lift.metric === 'ctr');
    // control 198 clicks, treatment 198 + 200 (one more per answer) of 2,000 items each → 398/198 − 1
    expect(ctr).toMatchObject({ variant: 'treatment', control: 'control', significant: true });
    expect(ctr?.relative).toBeCloseTo(398 / 198 - 1, 12);
    expect(ctr?.lower).toBeGreaterThan(0);
    const same = buildReadout(readoutInput()).lifts.find((lift) => lift.metric === 'ctr');
    expect(same?.relative).toBeCloseTo(0, 12);
    expect(same?.significant).toBe(false);
    expect(same?.lower).toBeLessThan(0);
    expect(same?.upper).toBeGreaterThan(0);
  });

  it('marks the readout invalid when the users per variant do not match the shares', () => {
    const readout = buildReadout(readoutInput({ activity: population({ control: 120, treatment: 70 }) }));
    // 120 vs 70 against 95/95: χ² = 2·25²/95 = 13.16, p = 2.9e-4
    expect(readout.status).toBe('invalid');
    expect(readout.srm?.statistic).toBeCloseTo((2 * 25 ** 2) / 95, 10);
    expect(readout.srm?.mismatch).toBe(true);
    expect(readout.reasons.join(' ')).toContain('sample ratio mismatch');
    // a smaller imbalance passes: 105 vs 95, χ² = 0.5
    expect(buildReadout(readoutInput({ activity: population({ control: 105, treatment: 95 }) })).status).toBe('valid');
  });

  it('calls users in a variant the config does not have a broken split', () => {
    const readout = buildReadout(readoutInput({ activity: [...population({ control: 50, treatment: 50 }), activity('x-1', 'stale-variant')] }));
    expect(readout.status).toBe('invalid');
    expect(readout.srm?.unexpectedVariants).toEqual(['stale-variant']);
    expect(readout.variants.map((variant) => variant.variant)).toEqual(['control', 'treatment', 'stale-variant']);
  });

  it('cannot check an experiment the config does not have, and says so when nothing was logged', () => {
    const unchecked = buildReadout(readoutInput({ split: null }));
    expect(unchecked.status).toBe('unchecked');
    expect(unchecked.srm).toBeNull();
    expect(unchecked.lifts.length).toBeGreaterThan(0);
    const empty = buildReadout(readoutInput({ activity: [] }));
    expect(empty.status).toBe('no_data');
    expect(empty.variants.map((variant) => variant.users)).toEqual([0, 0]);
    expect(empty.lifts).toEqual([]);
  });

  it('warns about users seen in two variants and counts them in both', () => {
    const readout = buildReadout(readoutInput({ activity: [...population({ control: 50, treatment: 50 }), activity('control-1', 'treatment', { bucketMs: T0 + HOUR })] }));
    expect(readout.crossoverUsers).toBe(1);
    expect(readout.variants.find((variant) => variant.variant === 'treatment')?.users).toBe(51);
    expect(readout.warnings.join(' ')).toContain('1 user(s) saw more than one variant');
  });

  it('flags a variant whose answers degrade far more often than the others’', () => {
    const rows = population({ control: 100, treatment: 100 }).map((row) => (row.variant === 'treatment' ? { ...row, degradedRequests: 1 } : row));
    const readout = buildReadout(readoutInput({ activity: rows }));
    expect(readout.degraded.find((entry) => entry.variant === 'treatment')).toMatchObject({ share: 1, othersShare: 0, excess: true });
    expect(readout.status).toBe('valid');
    expect(readout.warnings.join(' ')).toContain('treatment degrades 100.00 %');
  });

  it('takes the asked control, else "control", else the config’s first variant', () => {
    expect(controlVariant('b', ['a', 'b'], null)).toBe('b');
    expect(controlVariant(undefined, ['treatment', 'control'], null)).toBe('control');
    expect(controlVariant(undefined, ['b', 'a'], { ...HALF_HALF, variants: [{ name: 'baseline', share: 50 }, { name: 'new', share: 50 }] })).toBe('baseline');
    expect(controlVariant(undefined, ['b', 'a'], null)).toBe('a');
  });
});
