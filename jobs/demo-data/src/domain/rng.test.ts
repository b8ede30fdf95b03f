import { describe, expect, it } from 'vitest';
import { Rng } from './rng.js';

describe('Rng', () => {
  it('replays the same sequence for the same seed', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    expect(Array.from({ length: 20 }, () => a.nextUint32())).toEqual(Array.from({ length: 20 }, () => b.nextUint32()));
  });

  it('gives different sequences for different seeds', () => {
    const a = new Rng(1);
    const b = new Rng(2);
    expect(Array.from({ length: 5 }, () => a.next())).not.toEqual(Array.from({ length: 5 }, () => b.next()));
  });

  it('derives forks from the label only, not from how much the parent was used', () => {
    const fresh = new Rng('seed').fork('users').next();
    const used = new Rng('seed');
    for (let i = 0; i < 100; i++) used.next();
    expect(used.fork('users').next()).toBe(fresh);
    expect(used.fork('datasets').next()).not.toBe(fresh);
  });

  it('draws uniform floats in [0, 1) with the expected mean', () => {
    const rng = new Rng(7);
    const draws = Array.from({ length: 20_000 }, () => rng.next());
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    expect(draws.reduce((sum, x) => sum + x, 0) / draws.length).toBeCloseTo(0.5, 1);
  });

  it('draws Poisson counts with the requested mean', () => {
    const rng = new Rng(9);
    const draws = Array.from({ length: 20_000 }, () => rng.poisson(2.5));
    expect(draws.reduce((sum, x) => sum + x, 0) / draws.length).toBeCloseTo(2.5, 1);
  });

  it('picks weighted indexes in proportion to their weights', () => {
    const rng = new Rng(3);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[rng.weightedIndex([1, 2, 7])]! += 1;
    expect(counts[2]! / 30_000).toBeCloseTo(0.7, 1);
    expect(counts[0]! / 30_000).toBeCloseTo(0.1, 1);
  });

  it('makes Matomo-style pageview ids of 6 alphanumeric characters', () => {
    expect(new Rng(5).token(6)).toMatch(/^[a-zA-Z0-9]{6}$/);
  });
});
