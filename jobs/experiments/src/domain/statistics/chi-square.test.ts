import { describe, expect, it } from 'vitest';
import { chiSquareGoodnessOfFit, chiSquareSurvival } from './chi-square.js';
import { chiSquareTailClosedForm } from '../../testing/statistics-references.js';

describe('the chi-square test, against closed forms and published critical values', () => {
  it('matches the closed-form tails for 1 to 4 degrees of freedom', () => {
    for (const df of [1, 2, 3, 4] as const) {
      for (const x of [0.01, 0.5, 1, 3.84, 7.5, 12, 25, 40]) {
        const reference = chiSquareTailClosedForm(x, df);
        expect(Math.abs(chiSquareSurvival(x, df) - reference), `df ${df}, x ${x}`).toBeLessThan(1e-11 + reference * 1e-8);
      }
    }
  });

  it('gives α at the tabulated critical values', () => {
    // NIST/SEMATECH e-Handbook, table 1.3.6.7.4 (upper critical values of the chi-square distribution)
    const table: [number, number, number][] = [
      [3.841458820694124, 1, 0.05],
      [6.634896601021213, 1, 0.01],
      [10.827566170662733, 1, 0.001],
      [13.815510557964274, 2, 0.001],
      [7.814727903251178, 3, 0.05],
      [16.26623619623813, 3, 0.001],
      [18.307038053275146, 10, 0.05],
      [29.588298445074418, 10, 0.001],
    ];
    for (const [x, df, alpha] of table) expect(chiSquareSurvival(x, df) / alpha, `χ²(${df}) at ${x}`).toBeCloseTo(1, 9);
    expect(chiSquareSurvival(0, 3)).toBe(1);
  });

  it('tests users per variant against the configured shares', () => {
    // 600 vs 400 against 50/50: expected 500 each, χ² = 100²/500 · 2 = 40, p = erfc(√20) = 2.539629e-10
    const broken = chiSquareGoodnessOfFit([600, 400], [0.5, 0.5]);
    expect(broken.statistic).toBeCloseTo(40, 12);
    expect(broken.degreesOfFreedom).toBe(1);
    expect(broken.expected).toEqual([500, 500]);
    expect(broken.pValue / chiSquareTailClosedForm(40, 1)).toBeCloseTo(1, 6);
    // a healthy 3-way split 20/30/50 of 1,000 users: 210, 290, 500 → χ² = 100/200 + 100/300 + 0 = 0.8333…, df 2, p = e^(−0.41667)
    const healthy = chiSquareGoodnessOfFit([210, 290, 500], [0.2, 0.3, 0.5]);
    expect(healthy.statistic).toBeCloseTo(0.5 + 1 / 3, 12);
    expect(healthy.pValue).toBeCloseTo(Math.exp(-(0.5 + 1 / 3) / 2), 12);
  });

  it('ignores a 0 % variant nobody is in, and calls a 0 % variant with users a mismatch', () => {
    expect(chiSquareGoodnessOfFit([50, 50, 0], [0.5, 0.5, 0])).toMatchObject({ statistic: 0, degreesOfFreedom: 1, pValue: 1, unexpectedObservations: false });
    expect(chiSquareGoodnessOfFit([50, 50, 3], [0.5, 0.5, 0])).toMatchObject({ pValue: 0, unexpectedObservations: true });
    expect(chiSquareGoodnessOfFit([0, 0], [0.5, 0.5]).pValue).toBe(1);
  });
});
