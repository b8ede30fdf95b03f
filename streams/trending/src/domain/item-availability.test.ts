import { describe, expect, it } from 'vitest';
import { partitionForKey } from '@streamrec/foundation';
import type { ItemChange } from '@streamrec/schemas';
import { ITEM_ACTIVITY_TOPIC } from '@streamrec/streams-common';
import { availabilityRecordFor } from './item-availability.js';
import { T0, streamContext } from './test-fixtures.js';

const change = (overrides: Partial<ItemChange>): ItemChange => ({
  id: 77,
  title: 't',
  description: '',
  tags: ['weather'],
  industry: 'agriculture',
  price: Buffer.from([0]),
  status: 'listed',
  available: true,
  deleted: false,
  created_at: T0,
  updated_at: T0,
  source_version: 5,
  ...overrides,
});

describe('catalogue relay', () => {
  it('announces an unavailable or deleted item to its owner partition, keyed by the item', () => {
    const keyed = availabilityRecordFor(change({ available: false, status: 'unlisted' }), streamContext);
    expect(keyed).toMatchObject({ topic: ITEM_ACTIVITY_TOPIC, key: '77', partition: partitionForKey('77', 6) });
    expect(keyed?.value).toEqual({ kind: 'availability', dedupId: 'availability:77:5', item: '77', eventTime: T0, available: false, deleted: false, industry: 'agriculture', tags: ['weather'], sourceVersion: 5 });
    expect(availabilityRecordFor(change({ deleted: true }), streamContext)?.value).toMatchObject({ deleted: true });
  });

  it('says nothing about an available item', () => {
    expect(availabilityRecordFor(change({}), streamContext)).toBeUndefined();
  });
});
