import { describe, expect, it } from 'vitest';
import { encodeBatch, OpKind } from './state-ops.js';

describe('encodeBatch', () => {
  it('lists each key once after the offsets key and refers to keys by 1-based index', () => {
    const batch = encodeBatch('sr:v1:{p0}:offsets', [
      { offset: 7n, ops: [{ kind: OpKind.HIncrBy, key: 'sr:v1:{p0}:a', field: 'view', by: 1 }] },
      { offset: 9n, ops: [{ kind: OpKind.ZIncrBy, key: 'sr:v1:{p0}:a', member: 'i', by: 0.25 }, { kind: OpKind.Del, key: 'sr:v1:{p0}:b' }] },
    ]);
    expect(batch.keys).toEqual(['sr:v1:{p0}:offsets', 'sr:v1:{p0}:a', 'sr:v1:{p0}:b']);
    expect(JSON.parse(batch.opsJson)).toEqual([
      ['7', 'hincrby', 2, 'view', '1'],
      ['9', 'zincrby', 2, '0.25', 'i'],
      ['9', 'del', 3],
    ]);
    expect(batch.opCount).toBe(3);
  });

  it('passes floats as their exact shortest text', () => {
    const batch = encodeBatch('o', [{ offset: 0n, ops: [{ kind: OpKind.HIncrByFloat, key: 'k', field: 'f', by: 0.1 + 0.2 }] }]);
    expect((JSON.parse(batch.opsJson) as string[][])[0]?.[4]).toBe('0.30000000000000004');
  });

  it('refuses records out of offset order, non-finite numbers and unsafe integers', () => {
    const op = { kind: OpKind.SAdd, key: 'k', member: 'm' } as const;
    expect(() => encodeBatch('o', [{ offset: 2n, ops: [op] }, { offset: 2n, ops: [op] }])).toThrow(/increasing offset order/);
    expect(() => encodeBatch('o', [{ offset: 0n, ops: [{ kind: OpKind.ZAdd, key: 'k', member: 'm', score: Number.NaN }] }])).toThrow(/finite/);
    expect(() => encodeBatch('o', [{ offset: 0n, ops: [{ kind: OpKind.HIncrBy, key: 'k', field: 'f', by: 2 ** 60 }] }])).toThrow(/safe integer/);
  });
});
