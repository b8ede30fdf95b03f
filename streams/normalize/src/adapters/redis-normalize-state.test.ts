import { describe, expect, it } from 'vitest';
import { OpKind } from '@streamrec/foundation';
import { normalizeOffsetsKey, offsetField, stateChangeOps, storeKey } from './redis-normalize-state.js';

describe('normalize state keys and ops', () => {
  it('puts every store and the offsets under the one {normalize} hash tag', () => {
    expect(storeKey('v3', 'emitted')).toBe('sr:v3:{normalize}:emitted');
    expect(normalizeOffsetsKey('v3')).toBe('sr:v3:{normalize}:offsets');
    expect(offsetField('cdc.shop.orders', 1)).toBe('normalize/cdc.shop.orders/1');
  });

  it('maps a written value to HSET of its JSON and a deleted key to HDEL', () => {
    expect(
      stateChangeOps('v1', [
        { store: 'cursors', key: 'parked', value: 4 },
        { store: 'parked', key: 'matomo:lva:1', value: null },
      ]),
    ).toEqual([
      { kind: OpKind.HSet, key: 'sr:v1:{normalize}:cursors', field: 'parked', value: '4' },
      { kind: OpKind.HDel, key: 'sr:v1:{normalize}:parked', field: 'matomo:lva:1' },
    ]);
  });
});
