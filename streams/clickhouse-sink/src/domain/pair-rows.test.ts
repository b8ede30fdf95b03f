import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@streamrec/foundation';
import { pairIncrementRow } from './pair-rows.js';

const position = { topic: 'events.cooccurrence.v1', partition: 3, offset: 12n };
const increment = { event_date: 20_417, item_id: 7, other_item_id: 42, pair_count: 3, weight: 12 };

describe('a pair increment as a cooccurrence_increments row', () => {
  it('writes the day as ClickHouse date text, the pair smaller id first, and where it came from', () => {
    expect(pairIncrementRow(increment, position)).toEqual({
      event_date: '2025-11-25',
      low_item_id: 7,
      high_item_id: 42,
      pair_count: 3,
      weight: 12,
      kafka_topic: 'events.cooccurrence.v1',
      kafka_partition: 3,
      kafka_offset: 12,
    });
    expect(pairIncrementRow({ ...increment, event_date: 0 }, position).event_date).toBe('1970-01-01');
  });

  it('refuses a record no producer of the topic writes', () => {
    const bad = [
      { ...increment, item_id: 42, other_item_id: 7 },
      { ...increment, other_item_id: 7 },
      { ...increment, pair_count: 0 },
      { ...increment, weight: Number.NaN },
      { ...increment, event_date: -1 },
    ];
    for (const value of bad) expect(() => pairIncrementRow(value, position)).toThrow(expect.objectContaining({ code: ErrorCode.PayloadInvalid }) as Error);
  });
});
