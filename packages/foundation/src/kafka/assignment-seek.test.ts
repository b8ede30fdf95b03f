import { describe, expect, it } from 'vitest';
import { partitionStart, resolvePartitionStarts } from './assignment-seek.js';

describe('partition starts on assignment', () => {
  it('resumes after the stored offset, else at the timestamp, else by the group rule', () => {
    expect(partitionStart('t', 0, 41n, 7n)).toEqual({ topic: 't', partition: 0, from: 'stored', offset: 42n });
    expect(partitionStart('t', 0, undefined, 7n)).toEqual({ topic: 't', partition: 0, from: 'timestamp', offset: 7n });
    expect(partitionStart('t', 0, undefined, undefined)).toEqual({ topic: 't', partition: 0, from: 'group' });
  });

  it('looks timestamps up once per topic and only when some partition has no stored offset', async () => {
    const timestampLookups: string[] = [];
    const stored = new Map([['a/0', 10n], ['a/1', 20n], ['b/0', 5n]]);
    const starts = await resolvePartitionStarts(
      { a: [0, 1], b: [0, 1, 2] },
      {
        storedOffset: (topic, partition) => Promise.resolve(stored.get(`${topic}/${partition}`)),
        offsetsAtTimestamp: (topic) => {
          timestampLookups.push(topic);
          return Promise.resolve(new Map([[1, 100n], [2, 200n]]));
        },
        startAtTimestampMs: 1_000,
      },
    );
    expect(timestampLookups).toEqual(['b']);
    expect(starts).toEqual([
      { topic: 'a', partition: 0, from: 'stored', offset: 11n },
      { topic: 'a', partition: 1, from: 'stored', offset: 21n },
      { topic: 'b', partition: 0, from: 'stored', offset: 6n },
      { topic: 'b', partition: 1, from: 'timestamp', offset: 100n },
      { topic: 'b', partition: 2, from: 'timestamp', offset: 200n },
    ]);
  });

  it('starts a stateful stage without stored offsets at the first offset when it starts from the beginning', async () => {
    const earliestLookups: string[] = [];
    const lookups = {
      storedOffset: (_topic: string, partition: number) => Promise.resolve(partition === 0 ? 9n : undefined),
      earliestOffsets: (topic: string) => {
        earliestLookups.push(topic);
        return Promise.resolve(new Map([[0, 0n], [1, 3n]]));
      },
    };
    // A group commit without state behind it (Redis lost, or a new version under an old group) must not decide.
    expect(await resolvePartitionStarts({ a: [0, 1] }, { ...lookups, fromBeginning: true })).toEqual([
      { topic: 'a', partition: 0, from: 'stored', offset: 10n },
      { topic: 'a', partition: 1, from: 'earliest', offset: 3n },
    ]);
    expect(earliestLookups).toEqual(['a']);
    // Starting from the latest records, the group rule stays; a stateless stage never asks.
    expect(await resolvePartitionStarts({ a: [1] }, { ...lookups, fromBeginning: false })).toEqual([{ topic: 'a', partition: 1, from: 'group' }]);
    expect(await resolvePartitionStarts({ a: [1] }, { earliestOffsets: lookups.earliestOffsets, fromBeginning: true })).toEqual([{ topic: 'a', partition: 1, from: 'group' }]);
    expect(earliestLookups).toEqual(['a']);
  });

  it('leaves every partition to the group without a store or a start time', async () => {
    const starts = await resolvePartitionStarts({ a: [0] }, { offsetsAtTimestamp: () => Promise.resolve(new Map([[0, 1n]])) });
    expect(starts).toEqual([{ topic: 'a', partition: 0, from: 'group' }]);
  });
});
