import { describe, expect, it } from 'vitest';
import { seededRandom } from '@streamrec/foundation';
import { meanPerUser, ratioOfMeans, standardError } from './estimates.js';
import { bootstrap, jackknifeStandardError, pooledRatio, sampleStandardDeviation, simulatedUsers } from '../../testing/statistics-references.js';

describe('estimates clustered by user', () => {
  it('reduces to the variance of the mean clicks when every user has the same exposures (exact)', () => {
    // CTR = mean(c) / 10, so Var = s²(c) / (n · 100); c = 0,1,2,3,4: mean 2, s² = 10/4 = 2.5, n = 5 → 2.5 / 500
    const estimate = ratioOfMeans([0, 1, 2, 3, 4], [10, 10, 10, 10, 10]);
    expect(estimate.value).toBeCloseTo(0.2, 15);
    expect(estimate.variance).toBeCloseTo(2.5 / 500, 15);
  });

  it('agrees with the brute-force jackknife on 400 heterogeneous users (within 5 %)', () => {
    const { clicks, exposures } = simulatedUsers(seededRandom(11), 400, 0.08);
    const delta = standardError(ratioOfMeans(clicks, exposures));
    const jackknife = jackknifeStandardError(clicks, exposures);
    expect(Math.abs(delta / jackknife - 1)).toBeLessThan(0.05);
  });

  it('agrees with a seeded bootstrap over users (within 10 %)', () => {
    const { clicks, exposures } = simulatedUsers(seededRandom(12), 300, 0.05);
    const delta = standardError(ratioOfMeans(clicks, exposures));
    const resampled = bootstrap(300, 2_000, seededRandom(13), (indices) => pooledRatio(clicks, exposures, indices));
    expect(Math.abs(delta / sampleStandardDeviation(resampled) - 1)).toBeLessThan(0.1);
  });

  it('is wider than the binomial interval when a user’s clicks go together', () => {
    // half the users click everything, half nothing: 200 users × 10 items, CTR 0.5
    const clicks = Array.from({ length: 200 }, (_, user) => (user % 2 === 0 ? 10 : 0));
    const exposures = new Array<number>(200).fill(10);
    const clustered = standardError(ratioOfMeans(clicks, exposures));
    const binomial = Math.sqrt((0.5 * 0.5) / 2_000);
    // all 10 items of a user move together: the design effect is 1 + (10 − 1)·1 = 10, SE × √10
    expect(clustered / binomial).toBeCloseTo(Math.sqrt(10 * (2_000 / 1_990)), 2);
  });

  it('computes a share with variance s²/n', () => {
    // 3 of 10 converted: mean 0.3, s² = (3·0.49 + 7·0.09)/9 = 2.1/9, Var = 2.1/90
    const share = meanPerUser([1, 1, 1, 0, 0, 0, 0, 0, 0, 0]);
    expect(share.value).toBeCloseTo(0.3, 15);
    expect(share.variance).toBeCloseTo(2.1 / 90, 15);
  });

  it('returns NaN where nothing can be estimated', () => {
    expect(ratioOfMeans([], []).value).toBeNaN();
    expect(ratioOfMeans([0, 0], [0, 0]).value).toBeNaN();
    expect(ratioOfMeans([1], [4]).variance).toBeNaN();
    expect(meanPerUser([]).value).toBeNaN();
  });
});
