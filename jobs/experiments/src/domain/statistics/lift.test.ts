import { describe, expect, it } from 'vitest';
import { seededRandom } from '@streamrec/foundation';
import { ratioOfMeans } from './estimates.js';
import { interval, relativeLift } from './lift.js';
import { bootstrap, percentile, pooledRatio, simulatedUsers } from '../../testing/statistics-references.js';

const Z95 = 1.959963984540054;

describe('relative lift with a delta-method interval on the log ratio', () => {
  it('computes the interval by hand', () => {
    // T = 0.12 (SE 0.01), C = 0.10 (SE 0.008): ln 1.2 ± 1.96 · √((0.01/0.12)² + (0.008/0.1)²)
    const se = Math.sqrt((0.01 / 0.12) ** 2 + (0.008 / 0.1) ** 2);
    const lift = relativeLift({ value: 0.12, variance: 0.0001, n: 500 }, { value: 0.1, variance: 0.000064, n: 500 }, 0.95);
    expect(lift.relative).toBeCloseTo(0.2, 14);
    expect(lift.lower).toBeCloseTo(Math.exp(Math.log(1.2) - Z95 * se) - 1, 12);
    expect(lift.upper).toBeCloseTo(Math.exp(Math.log(1.2) + Z95 * se) - 1, 12);
    expect(lift.absolute).toBeCloseTo(0.02, 14);
    expect(lift.absoluteUpper - lift.absolute).toBeCloseTo(Z95 * Math.sqrt(0.000164), 12);
    expect(lift.significant).toBe(false);
    const bounds = interval({ value: 0.1, variance: 0.0001, n: 9 }, 0.95);
    expect(bounds.lower).toBeCloseTo(0.1 - Z95 * 0.01, 12);
    expect(bounds.upper).toBeCloseTo(0.1 + Z95 * 0.01, 12);
  });

  it('covers the true lift about 95 % of the time (400 simulated experiments)', () => {
    const random = seededRandom(2024);
    let covered = 0;
    const experiments = 400;
    for (let run = 0; run < experiments; run++) {
      const control = simulatedUsers(random, 300, 0.05);
      const treatment = simulatedUsers(random, 300, 0.06);
      const lift = relativeLift(ratioOfMeans(treatment.clicks, treatment.exposures), ratioOfMeans(control.clicks, control.exposures), 0.95);
      if (lift.lower <= 0.2 && 0.2 <= lift.upper) covered++;
    }
    expect(covered / experiments).toBeGreaterThan(0.92);
    expect(covered / experiments).toBeLessThan(0.98);
  });

  it('agrees with the percentile bootstrap interval of the lift', () => {
    const control = simulatedUsers(seededRandom(5), 500, 0.05);
    const treatment = simulatedUsers(seededRandom(6), 500, 0.065);
    const lift = relativeLift(ratioOfMeans(treatment.clicks, treatment.exposures), ratioOfMeans(control.clicks, control.exposures), 0.95);
    const random = seededRandom(7);
    const resampled = bootstrap(500, 2_000, random, (indices) => {
      const other = Array.from({ length: 500 }, () => Math.floor(random() * 500));
      return pooledRatio(treatment.clicks, treatment.exposures, indices) / pooledRatio(control.clicks, control.exposures, other) - 1;
    });
    expect(Math.abs(lift.lower - percentile(resampled, 0.025))).toBeLessThan(0.03);
    expect(Math.abs(lift.upper - percentile(resampled, 0.975))).toBeLessThan(0.03);
  });

  it('reports a point lift but no interval when a variant has no events', () => {
    const lift = relativeLift({ value: 0, variance: 0, n: 50 }, { value: 0.1, variance: 0.0001, n: 50 }, 0.95);
    expect(lift.relative).toBe(-1);
    expect(lift.lower).toBeNaN();
    expect(lift.significant).toBe(false);
    expect(relativeLift({ value: 0.1, variance: 0.0001, n: 50 }, { value: 0, variance: 0, n: 50 }, 0.95).relative).toBeNaN();
  });
});
