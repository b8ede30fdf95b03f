import { describe, expect, it } from 'vitest';
import { flushDecision } from './flush-policy.js';

const policy = { maxRows: 1_000, maxDelayMs: 1_000 };

describe('flush policy', () => {
  it('inserts at once when maxRows rows are buffered, however recent the last insert', () => {
    expect(flushDecision(1_000, 5_000, 5_001, policy)).toEqual({ flush: 'now' });
    expect(flushDecision(4_000, 5_000, 5_000, policy)).toEqual({ flush: 'now' });
  });

  it('inserts the first rows of a table at once', () => {
    expect(flushDecision(1, undefined, 5_000, policy)).toEqual({ flush: 'now' });
  });

  it('holds a small buffer until maxDelayMs after the previous insert', () => {
    expect(flushDecision(10, 5_000, 5_300, policy)).toEqual({ flush: 'later', inMs: 700 });
    expect(flushDecision(10, 5_000, 6_000, policy)).toEqual({ flush: 'now' });
    expect(flushDecision(999, 5_000, 9_000, policy)).toEqual({ flush: 'now' });
  });

  it('has nothing to do without rows', () => {
    expect(flushDecision(0, undefined, 5_000, policy)).toEqual({ flush: 'nothing' });
  });

  it('inserts everything at once with maxDelayMs 0', () => {
    expect(flushDecision(1, 5_000, 5_000, { maxRows: 1_000, maxDelayMs: 0 })).toEqual({ flush: 'now' });
  });
});
