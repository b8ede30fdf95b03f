import { describe, expect, it } from 'vitest';
import { gini, iqrFences, lorenzCurve, mean, quantileSorted, standardDeviation, topShare, zFences, zScore } from './statistics.js';

describe('statistics, against values computed by hand', () => {
  it('interpolates quantiles between order statistics', () => {
    // [1,2,3,4,5,6,7,8]: position of Q1 = 7·0.25 = 1.75 → 2 + 0.75·1 = 2.75; median 4.5; Q3 at 5.25 → 6.25
    const sorted = [1, 2, 3, 4, 5, 6, 7, 8];
    expect(quantileSorted(sorted, 0.25)).toBe(2.75);
    expect(quantileSorted(sorted, 0.5)).toBe(4.5);
    expect(quantileSorted(sorted, 0.75)).toBe(6.25);
    expect(quantileSorted([], 0.5)).toBeNaN();
  });

  it('puts Tukey fences 1.5 IQR outside the quartiles', () => {
    // sorted [10,12,14,16,18,20,100]: Q1 at 1.5 → 13, Q3 at 4.5 → 19, IQR 6, fences 4 and 28
    const fences = iqrFences([100, 10, 12, 14, 16, 18, 20]);
    expect(fences).toEqual({ q1: 13, q3: 19, iqr: 6, lower: 4, upper: 28 });
  });

  it('computes the population standard deviation and z fences', () => {
    // [2,4,4,4,5,5,7,9]: mean 5, squared deviations 9+1+1+1+0+0+4+16 = 32, /8 = 4, sd 2
    const values = [2, 4, 4, 4, 5, 5, 7, 9];
    expect(mean(values)).toBe(5);
    expect(standardDeviation(values)).toBe(2);
    const fences = zFences(values, 3);
    expect(fences).toEqual({ mean: 5, sd: 2, lower: -1, upper: 11 });
    expect(zScore(9, fences)).toBe(2);
    expect(zScore(3, zFences([3, 3, 3]))).toBe(0);
  });

  it('computes the Gini coefficient', () => {
    // equal amounts → 0
    expect(gini([5, 5, 5, 5])).toBe(0);
    // one of four holds everything: Σ(2i−n−1)x = (2·4−5)·10 = 30; / (4·10) = 0.75
    expect(gini([0, 0, 0, 10])).toBe(0.75);
    // [1,2,3,4]: (−3·1 −1·2 +1·3 +3·4) = 10; / (4·10) = 0.25
    expect(gini([4, 1, 3, 2])).toBe(0.25);
    expect(gini([])).toBeNaN();
    expect(gini([0, 0])).toBeNaN();
  });

  it('takes the share of the top 1 % (at least one holder)', () => {
    // 10 items → 1 holder; 60 of 100 events
    expect(topShare([60, 5, 5, 5, 5, 5, 5, 5, 3, 2], 0.01)).toEqual({ share: 0.6, holders: 1 });
    // 250 items of 4 events → ceil(2.5) = 3 holders → 12 / 1000
    expect(topShare(new Array<number>(250).fill(4), 0.01)).toEqual({ share: 0.012, holders: 3 });
  });

  it('draws the Lorenz curve from (0,0) to (1,1)', () => {
    expect(lorenzCurve([3, 1])).toEqual([{ x: 0, y: 0 }, { x: 0.5, y: 0.25 }, { x: 1, y: 1 }]);
    expect(lorenzCurve([])).toEqual([]);
    expect(lorenzCurve(new Array<number>(1000).fill(1), 10)).toHaveLength(11);
  });
});
