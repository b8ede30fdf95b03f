import { describe, expect, it } from 'vitest';
import { formatDuration, partitionApplied, phaseProgress, progressLine, rateAndEta, type PartitionTarget } from './progress.js';

const target = (partition: number, start: bigint, end: bigint): PartitionTarget => ({ stage: 's', topic: 't', partition, start, end });

describe('replay progress', () => {
  it('counts a partition as covered up to its stored offset, clamped to the captured range', () => {
    const p = target(0, 10n, 20n);
    expect(partitionApplied(p, undefined)).toBe(0n);
    expect(partitionApplied(p, 5n)).toBe(0n);
    expect(partitionApplied(p, 14n)).toBe(5n);
    expect(partitionApplied(p, 19n)).toBe(10n);
    expect(partitionApplied(p, 99n)).toBe(10n); // the live topic moved on: still just done
  });

  it('is done when every partition reached its end offset; empty partitions are done from the start', () => {
    const targets = [target(0, 0n, 5n), target(1, 3n, 3n), target(2, 0n, 4n)];
    const stored = new Map<number, bigint | undefined>([[0, 4n], [1, undefined], [2, 1n]]);
    expect(phaseProgress(targets, (t) => stored.get(t.partition))).toEqual({ applied: 7n, total: 9n, done: false, pending: 1 });
    stored.set(2, 3n);
    expect(phaseProgress(targets, (t) => stored.get(t.partition))).toEqual({ applied: 9n, total: 9n, done: true, pending: 0 });
  });

  it('derives rate and ETA from the samples, unknown until two samples exist', () => {
    expect(rateAndEta([{ atMs: 0, applied: 0n }], 100n)).toEqual({ perSecond: undefined, etaSeconds: undefined });
    expect(rateAndEta([{ atMs: 0, applied: 0n }, { atMs: 2_000, applied: 40n }], 100n)).toEqual({ perSecond: 20, etaSeconds: 3 });
    expect(rateAndEta([{ atMs: 0, applied: 10n }, { atMs: 1_000, applied: 10n }], 100n)).toEqual({ perSecond: 0, etaSeconds: undefined });
  });

  it('prints records, percentage, rate, ETA and the partitions left', () => {
    const line = progressLine('source stages', { applied: 12_000n, total: 50_000n, done: false, pending: 3 }, { perSecond: 5_200, etaSeconds: 7.3 });
    expect(line).toBe('source stages: 12,000 / 50,000 records (24.0%), 5,200 rec/s, ETA 8 s, 3 partitions left');
    expect(progressLine('x', { applied: 0n, total: 0n, done: true, pending: 0 }, { perSecond: undefined, etaSeconds: undefined })).toBe('x: 0 / 0 records (100.0%), rate —, ETA —, done');
    expect(formatDuration(3_725)).toBe('1 h 2 min');
    expect(formatDuration(75)).toBe('1 min 15 s');
  });
});
