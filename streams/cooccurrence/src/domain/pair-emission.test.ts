import { describe, expect, it } from 'vitest';
import { PairEmissionSkip, pairEmissionPlan } from './pair-emission.js';

describe('which records of a batch emit their pairs', () => {
  it('continues the chain: emits from the progress on, and stores the batch end as the new progress', () => {
    expect(pairEmissionPlan({ firstOffset: 10n, lastOffset: 19n, next: 10n, logStart: 0n })).toEqual({ emit: true, from: 10n, next: 20n });
    // A batch re-read after a crash between the transaction and the Redis apply: the first records are out already.
    expect(pairEmissionPlan({ firstOffset: 10n, lastOffset: 24n, next: 20n, logStart: 0n })).toEqual({ emit: true, from: 20n, next: 25n });
  });

  it('emits nothing for a batch the output already has (a retry, a replay, another state version behind)', () => {
    expect(pairEmissionPlan({ firstOffset: 10n, lastOffset: 19n, next: 20n, logStart: 0n })).toEqual({ emit: false, reason: PairEmissionSkip.AlreadyEmitted });
    expect(pairEmissionPlan({ firstOffset: 0n, lastOffset: 5n, next: 900n, logStart: 0n })).toEqual({ emit: false, reason: PairEmissionSkip.AlreadyEmitted });
  });

  it('refuses to jump over records nobody emitted (a process whose state starts after the output stops)', () => {
    expect(pairEmissionPlan({ firstOffset: 21n, lastOffset: 30n, next: 20n, logStart: 0n })).toEqual({ emit: false, reason: PairEmissionSkip.Gap });
  });

  it('starts a new chain only at the partition’s first retained record', () => {
    expect(pairEmissionPlan({ firstOffset: 0n, lastOffset: 9n, next: undefined, logStart: 0n })).toEqual({ emit: true, from: 0n, next: 10n });
    expect(pairEmissionPlan({ firstOffset: 500n, lastOffset: 509n, next: undefined, logStart: 500n })).toEqual({ emit: true, from: 500n, next: 510n });
    // Started from the latest offset, or state older than the output: it cannot know what came before.
    expect(pairEmissionPlan({ firstOffset: 7n, lastOffset: 9n, next: undefined, logStart: 0n })).toEqual({ emit: false, reason: PairEmissionSkip.NoChainStart });
  });
});
