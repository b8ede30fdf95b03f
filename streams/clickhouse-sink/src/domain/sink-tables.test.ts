import { describe, expect, it } from 'vitest';
import { ErrorCode, isAppError } from '@streamrec/foundation';
import { parsePresentOffsets, parseStoredOffsets, positionColumns, presentOffsetsQuery, storedOffsetsQuery } from './sink-tables.js';

describe('stored offsets query', () => {
  it('asks one table for the highest offset per partition of one topic', () => {
    expect(storedOffsetsQuery('streamrec', 'interactions', 'events.interactions.v1')).toBe(
      "SELECT kafka_partition, toString(max(kafka_offset)) AS max_offset FROM streamrec.interactions WHERE kafka_topic = 'events.interactions.v1' GROUP BY kafka_partition",
    );
  });

  it('never inlines a name that is not a plain identifier or topic name', () => {
    const attempts = [() => storedOffsetsQuery('streamrec', 'items', "x' OR '1'='1"), () => storedOffsetsQuery('db; DROP', 'items', 't'), () => storedOffsetsQuery('streamrec', 'secrets' as 'items', 't')];
    for (const attempt of attempts) expect(() => attempt()).toThrow(expect.objectContaining({ code: ErrorCode.InvalidArgument }) as Error);
  });

  it('parses the rows into partition → offset, exact beyond 2^53', () => {
    const offsets = parseStoredOffsets([{ kafka_partition: 0, max_offset: '41' }, { kafka_partition: 5, max_offset: '9007199254740993' }]);
    expect([...offsets]).toEqual([[0, 41n], [5, 9_007_199_254_740_993n]]);
  });

  it('refuses a row it does not understand', () => {
    try {
      parseStoredOffsets([{ kafka_partition: 'x', max_offset: 1 }]);
      expect.unreachable('should throw');
    } catch (error) {
      expect(isAppError(error, ErrorCode.InvalidArgument)).toBe(true);
    }
  });
});

describe('position columns', () => {
  it('carries topic, partition and offset into every row', () => {
    expect(positionColumns({ topic: 't', partition: 2, offset: 17n })).toEqual({ kafka_topic: 't', kafka_partition: 2, kafka_offset: 17 });
  });
});

describe('presentOffsetsQuery', () => {
  it('selects one partition’s offsets in a range, with every inlined value checked', () => {
    expect(presentOffsetsQuery('streamrec', 'interactions', 'events.interactions.v1', 2, 10n, 20n)).toBe(
      "SELECT DISTINCT toString(kafka_offset) AS offset FROM streamrec.interactions WHERE kafka_topic = 'events.interactions.v1' AND kafka_partition = 2 AND kafka_offset >= 10 AND kafka_offset <= 20",
    );
    expect(() => presentOffsetsQuery('streamrec', 'interactions', "t' OR 1=1 --", 0, 0n, 1n)).toThrow(/invalid topic name/);
    expect(() => presentOffsetsQuery('streamrec', 'interactions', 't', -1, 0n, 1n)).toThrow(/invalid partition/);
    expect(() => presentOffsetsQuery('streamrec', 'interactions', 't', 0, 5n, 1n)).toThrow(/invalid offset range/);
    expect(parsePresentOffsets([{ offset: '10' }, { offset: '12' }])).toEqual(new Set([10n, 12n]));
    expect(() => parsePresentOffsets([{ offset: 'x' }])).toThrow(/unexpected present-offset row/);
  });
});
