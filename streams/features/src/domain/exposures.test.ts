import { describe, expect, it } from 'vitest';
import { partitionForKey } from '@streamrec/foundation';
import { exposureRecords } from './exposures.js';
import { NOV_25, streamContext } from './test-fixtures.js';

describe('exposure repartition', () => {
  it('emits one record per shown item, keyed and partitioned by the item', () => {
    const records = exposureRecords({ request_id: 'r-1', user_id: '42', event_time: NOV_25, items: [{ item_id: 9, position: 0, shown: true }, { item_id: 31, position: 1, shown: true }] }, streamContext);
    expect(records.map((record) => [record.key, record.partition, record.value.dedupId])).toEqual([
      ['9', partitionForKey('9', 6), 'exposure:r-1:0'],
      ['31', partitionForKey('31', 6), 'exposure:r-1:1'],
    ]);
  });

  it('counts only shown items as impressions: sampled unshown candidates are logged for training, not shown', () => {
    const records = exposureRecords({ request_id: 'r-2', user_id: '42', event_time: NOV_25, items: [{ item_id: 9, position: 0, shown: true }, { item_id: 31, position: 1, shown: false }] }, streamContext);
    expect(records.map((record) => record.key)).toEqual(['9']);
  });

  it('rejects a repeated or negative position', () => {
    expect(() => exposureRecords({ request_id: 'r', user_id: '1', event_time: 1, items: [{ item_id: 1, position: 0, shown: true }, { item_id: 2, position: 0, shown: true }] }, streamContext)).toThrow(/position 0/);
    expect(() => exposureRecords({ request_id: 'r', user_id: '1', event_time: 1, items: [{ item_id: 1, position: -1, shown: true }] }, streamContext)).toThrow(/position -1/);
  });
});
