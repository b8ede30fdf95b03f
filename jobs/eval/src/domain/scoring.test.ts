import { describe, expect, it } from 'vitest';
import { parseSequences } from './dataset.js';
import { scoreAnswers } from './scoring.js';

describe('scoring a stage', () => {
  const users = parseSequences('1 10 20 30\n2 40 50\n');

  it("ranks each user's target in the served list and counts broken answers", () => {
    const score = scoreAnswers(users, [{ items: [30, 99], degraded: [] }, { items: [40, 7, 50], degraded: ['redis_timeout'] }], 2);
    expect(score.metrics['HR@5']).toBe(1);
    expect(score.metrics['NDCG@5']).toBeCloseTo((1 + 1 / Math.log2(4)) / 2, 12);
    expect(score).toMatchObject({ users: 2, excludeViolations: 1, degradedAnswers: 1, shortAnswers: 0 });
  });

  it('refuses answers that do not match the users', () => {
    expect(() => scoreAnswers(users, [], 20)).toThrow(RangeError);
  });
});
