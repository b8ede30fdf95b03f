import { describe, expect, it } from 'vitest';
import { splitByRequestTime } from './split.js';

describe('time-based split', () => {
  it('holds out the newest requests and validates on the ones just before', () => {
    expect(splitByRequestTime(100, { valid: 0.1, holdout: 0.1 })).toEqual({ train: { start: 0, end: 80 }, valid: { start: 80, end: 90 }, holdout: { start: 90, end: 100 } });
    expect(splitByRequestTime(1000, { valid: 0.05, holdout: 0.2 })).toEqual({ train: { start: 0, end: 750 }, valid: { start: 750, end: 800 }, holdout: { start: 800, end: 1000 } });
  });

  it('gives every split at least one request', () => {
    expect(splitByRequestTime(3, { valid: 0.1, holdout: 0.1 })).toEqual({ train: { start: 0, end: 1 }, valid: { start: 1, end: 2 }, holdout: { start: 2, end: 3 } });
    expect(splitByRequestTime(5, { valid: 0.01, holdout: 0.01 })).toEqual({ train: { start: 0, end: 3 }, valid: { start: 3, end: 4 }, holdout: { start: 4, end: 5 } });
  });

  it('refuses too few requests with a clear reason', () => {
    expect(() => splitByRequestTime(2, { valid: 0.1, holdout: 0.1 })).toThrow(/not enough data: 2 request\(s\)/);
    expect(() => splitByRequestTime(0, { valid: 0.1, holdout: 0.1 })).toThrow(/not enough data/);
    expect(() => splitByRequestTime(4, { valid: 0.45, holdout: 0.45 })).toThrow(/leave none for training/);
  });
});
