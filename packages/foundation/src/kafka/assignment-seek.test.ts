import { describe, expect, it } from 'vitest';
import { checkStartAgainstLog, groupStarts, partitionStart, pinLatestStarts, resolvePartitionStarts } from './assignment-seek.js';

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

  it('refuses to resume a partition whose log contradicts its stored offset: truncated below it, or deleted past it', () => {
    const stored = partitionStart('t', 3, 99n, undefined);
    expect(checkStartAgainstLog(stored, { low: 0n, high: 100n })).toBeUndefined(); // applied through the last record
    expect(checkStartAgainstLog(stored, { low: 100n, high: 100n })).toBeUndefined(); // everything applied, then all deleted
    expect(checkStartAgainstLog(stored, { low: 0n, high: 40n })).toEqual({
      topic: 't',
      partition: 3,
      kind: 'truncated',
      message: 't/3: the state has applied up to offset 99, but the log ends at 39 (records lost by the broker, or the topic recreated)',
    });
    expect(checkStartAgainstLog(stored, { low: 150n, high: 200n })).toMatchObject({ kind: 'deleted', message: 't/3: the state needs offset 100 next, but the log starts at 150 (deleted by retention before they were applied)' });
    // Starts at a timestamp are the operator's choice of a partial history: not checked.
    expect(checkStartAgainstLog(partitionStart('t', 0, undefined, 7n), { low: 50n, high: 60n })).toBeUndefined();
    expect(checkStartAgainstLog(stored, undefined)).toBeUndefined();
  });

  it('refuses to build a new state from the beginning of a partition whose first records were deleted', () => {
    expect(checkStartAgainstLog(partitionStart('t', 2, undefined, undefined, 0n), undefined)).toBeUndefined();
    expect(checkStartAgainstLog(partitionStart('t', 2, undefined, undefined, 4n), { low: 4n, high: 9n })).toEqual({
      topic: 't',
      partition: 2,
      kind: 'deleted',
      message: "t/2: a new state would start at offset 4, the log's first; offsets 0..3 were deleted (retention), so it would miss them; build it from the CDC topics, or start it at a timestamp (START_AT) to accept a partial history",
    });
    // Left to the group (no state): not checked.
    expect(checkStartAgainstLog(partitionStart('t', 2, undefined, undefined), { low: 4n, high: 9n })).toBeUndefined();
  });

  it('pins a partition left to the group with nothing committed to the log end of its first assignment, so a rejoin does not skip what was written meanwhile', () => {
    const pinned = new Map<string, bigint>();
    const first = [partitionStart('t', 0, undefined, undefined), partitionStart('t', 1, undefined, undefined), partitionStart('t', 2, 9n, undefined)];
    expect(groupStarts(first).map((start) => start.partition)).toEqual([0, 1]);
    expect(pinLatestStarts(first, pinned, { committed: new Set(['t/1']), logEnds: new Map([['t/0', 50n], ['t/1', 60n], ['t/2', 70n]]) })).toEqual([
      { topic: 't', partition: 0, from: 'latest', offset: 50n },
      { topic: 't', partition: 1, from: 'group' }, // committed: kafkajs resumes at the commit
      { topic: 't', partition: 2, from: 'stored', offset: 10n },
    ]);
    // The broker restarted and producers wrote 30 records before the rejoin: partition 0 still starts at 50.
    expect(pinLatestStarts(first, pinned, { committed: new Set(['t/1']), logEnds: new Map([['t/0', 80n], ['t/1', 90n]]) })[0]).toEqual({ topic: 't', partition: 0, from: 'latest', offset: 50n });
    // Once the group has committed it, the commit decides and the pin is dropped.
    expect(pinLatestStarts(first, pinned, { committed: new Set(['t/0', 't/1']), logEnds: new Map([['t/0', 80n]]) })[0]).toEqual({ topic: 't', partition: 0, from: 'group' });
    expect(pinned.has('t/0')).toBe(false);
    // A partition whose end is unknown stays with the group rule.
    expect(pinLatestStarts([partitionStart('u', 0, undefined, undefined)], pinned, { committed: new Set(), logEnds: new Map() })).toEqual([{ topic: 'u', partition: 0, from: 'group' }]);
  });
});
