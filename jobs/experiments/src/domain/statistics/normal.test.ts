import { describe, expect, it } from 'vitest';
import { logGamma, regularizedGammaQ } from './gamma.js';
import { erfc, normalCdf, normalQuantile, twoSidedPValue, twoSidedZ } from './normal.js';
import { simpsonNormalCdf } from '../../testing/statistics-references.js';

describe('the normal distribution, against an independent reference and published tables', () => {
  it('matches Φ integrated numerically from the density (Simpson, 20,000 panels)', () => {
    for (const z of [-6, -4.2, -3, -1.96, -1, -0.3, 0, 0.5, 1.2, 2.5758, 3.7, 5]) {
      expect(normalCdf(z)).toBeCloseTo(simpsonNormalCdf(z), 12);
    }
  });

  it('gives the tabulated tails and quantiles', () => {
    // Abramowitz & Stegun, table 26.1 / the usual critical values
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 14);
    expect(normalCdf(-3)).toBeCloseTo(0.0013498980316301, 15);
    expect(erfc(1)).toBeCloseTo(0.157299207050285, 14);
    expect(twoSidedPValue(1.96)).toBeCloseTo(0.04999579029644, 12);
    expect(twoSidedPValue(-1.96)).toBeCloseTo(0.04999579029644, 12);
    expect(twoSidedPValue(0)).toBe(1);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(normalQuantile(0.995)).toBeCloseTo(2.575829303548901, 12);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306167813, 12);
    expect(normalQuantile(0.5)).toBe(0);
    expect(twoSidedZ(0.95)).toBeCloseTo(1.959963984540054, 12);
    expect(twoSidedZ(0.99)).toBeCloseTo(2.575829303548901, 12);
  });

  it('keeps relative precision far in the tail, where 1 − Φ would round to 0', () => {
    // 1 − Φ(8) = 6.220960574271785e-16 (tables); 1 − normalCdf(8) would be 0 or 1.1e-16
    expect(twoSidedPValue(8) / 2 / 6.220960574271785e-16).toBeCloseTo(1, 10);
  });

  it('inverts Φ over the whole range', () => {
    for (const p of [1e-12, 1e-6, 0.01, 0.02425, 0.1, 0.3, 0.5, 0.7, 0.97575, 0.999]) expect(normalCdf(normalQuantile(p)) / p).toBeCloseTo(1, 10);
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(normalQuantile(1.5)).toBeNaN();
  });

  it('computes ln Γ and Q(a, x) at known points', () => {
    // Γ(5) = 24, Γ(½) = √π, Γ(10.5) = 1133278.3889487856
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 13);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 13);
    expect(logGamma(10.5)).toBeCloseTo(Math.log(1133278.3889487856), 12);
    // Q(1, x) = e^−x; Q(2, x) = e^−x (1 + x)
    for (const x of [0.1, 1, 2.5, 10, 40]) {
      expect(regularizedGammaQ(1, x) / Math.exp(-x)).toBeCloseTo(1, 12);
      expect(regularizedGammaQ(2, x) / (Math.exp(-x) * (1 + x))).toBeCloseTo(1, 12);
    }
    expect(regularizedGammaQ(3, 0)).toBe(1);
    expect(regularizedGammaQ(-1, 2)).toBeNaN();
  });
});
