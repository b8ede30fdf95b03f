import { describe, expect, it } from 'vitest';
import { partitionForKey } from '@streamrec/foundation';
import { ITEM_ACTIVITY_TOPIC, forwardDecayedIncrement, itemIdOf, userIdOf, type CoItemsRecord, type RecentItem } from '@streamrec/streams-common';
import { coItemRecords, type PairingEvent } from './co-items.js';
import { defaultCooccurrenceParams as params } from './cooccurrence-params.js';
import { HOUR, T0, streamContext } from './test-fixtures.js';

const at = (item: number, eventTime: number): RecentItem => ({ item: itemIdOf(item), eventTime });
const event = (overrides: Partial<PairingEvent> = {}): PairingEvent => ({ eventId: 'e9', user: userIdOf('42'), item: itemIdOf(7), action: 'favorite', eventTime: T0, ...overrides });
const values = (window: RecentItem[], overrides: Partial<PairingEvent> = {}) => coItemRecords(window, event(overrides), streamContext, params).map((record) => record.value as CoItemsRecord);
const increment = (weight: number, time = T0) => forwardDecayedIncrement(weight, time, { halfLifeMs: params.halfLifeMs, epochMs: params.decayEpochMs });

describe('co-item records of one interaction', () => {
  it('pairs the item with every other window item within T, both ways, keyed by each owner', () => {
    const window = [at(3, T0 - HOUR), at(7, T0 - 2 * HOUR), at(5, T0 - 23 * HOUR), at(4, T0 - 25 * HOUR)];
    const records = coItemRecords(window, event(), streamContext, params);
    expect(records.map((record) => [record.key, record.partition])).toEqual(['7', '3', '5'].map((item) => [item, partitionForKey(item, 6)]));
    expect(records.every((record) => record.topic === ITEM_ACTIVITY_TOPIC && record.value.item === record.key)).toBe(true);
    const [current, three, five] = records.map((record) => record.value as CoItemsRecord);
    expect(current?.neighbours.map((neighbour) => neighbour.item)).toEqual(['3', '5']);
    expect(three?.neighbours).toEqual([{ item: '7', cooccurrence: increment(4), transition: increment(4) }]);
    expect(five?.dedupId).toBe('co-items:e9:5');
  });

  it('directs the transition from the earlier event to the later one', () => {
    const [current, later] = values([at(3, T0 + HOUR)]);
    expect(current?.neighbours).toEqual([{ item: '3', cooccurrence: increment(4), transition: increment(4) }]);
    expect(later?.neighbours).toEqual([{ item: '7', cooccurrence: increment(4), transition: 0 }]);
  });

  it('weights by the action and forward-decays at the event time', () => {
    const [current] = values([at(3, T0 + 10 * 24 * HOUR - HOUR)], { action: 'purchase', eventTime: T0 + 10 * 24 * HOUR });
    expect(current?.neighbours[0]?.cooccurrence).toBe(increment(10, T0 + 10 * 24 * HOUR));
    expect(increment(10, T0 + 30 * 24 * HOUR) / increment(10)).toBeCloseTo(2, 10);
  });

  it('emits nothing for an empty window, a window of only the same item, or a zero-weight action', () => {
    expect(values([])).toEqual([]);
    expect(values([at(7, T0 - HOUR)])).toEqual([]);
    expect(coItemRecords([at(3, T0)], event(), streamContext, { ...params, actionWeights: { ...params.actionWeights, favorite: 0 } })).toEqual([]);
  });
});
