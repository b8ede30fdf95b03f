import { describe, expect, it } from 'vitest';
import { ErrorCode, isAppError, parseStateVersion, partitionForKey } from '@streamrec/foundation';
import { itemIdOf, userIdOf } from './ids.js';
import { ITEM_ACTIVITY_TOPIC, ItemActivityKind, keyedItemActivity, type ExposureRecord } from './item-activity.js';
import { assertOwned, itemKey, partitionKey, userKey } from './stream-context.js';

const context = { version: parseStateVersion('v3'), userPartitions: 6, itemPartitions: 6 };

describe('stream keys and ownership', () => {
  it('puts user state in the slot of the user’s interactions partition and item state in the item’s repartition slot', () => {
    expect(userKey(context, userIdOf('anon:00ff00ff00ff00ff'), 'counts')).toBe(`sr:v3:{p${partitionForKey('anon:00ff00ff00ff00ff', 6)}}:user:anon:00ff00ff00ff00ff:counts`);
    expect(itemKey(context, itemIdOf(42), 'counts')).toBe(`sr:v3:{p${partitionForKey('42', 6)}}:item:42:counts`);
    expect(partitionKey(context, 2, 'trending', 'global', 'day-5')).toBe('sr:v3:{p2}:trending:global:day-5');
    expect(() => partitionKey(context, 2, 'Trending', 'x', 'y')).toThrow(/bad key part/);
  });

  it('rejects a record routed to a partition that does not own it, as a non-retriable payload error', () => {
    let caught: unknown;
    try {
      assertOwned({ ...context, partition: 1 }, 3, 'user 7');
    } catch (error) {
      caught = error;
    }
    expect(isAppError(caught, ErrorCode.PayloadInvalid)).toBe(true);
    expect(isAppError(caught) && caught.retriable).toBe(false);
  });

  it('repartition records are keyed by item id and sent to murmur2(item) % partitions', () => {
    const record: ExposureRecord = { kind: ItemActivityKind.Exposure, dedupId: 'exposure:r1:0', item: itemIdOf(1234), eventTime: 1, requestId: 'r1', user: userIdOf('9'), position: 0 };
    const keyed = keyedItemActivity({ ...context, itemPartitions: 12 }, record);
    expect(keyed).toEqual({ topic: ITEM_ACTIVITY_TOPIC, key: '1234', partition: partitionForKey('1234', 12), value: record });
  });

  it('accepts only canonical non-negative item ids', () => {
    expect(itemIdOf('77')).toBe('77');
    for (const bad of ['077', '-1', '1.5', '', 'x']) expect(() => itemIdOf(bad)).toThrow(/item id/);
    expect(() => itemIdOf(2 ** 60)).toThrow(/item id/);
  });
});
