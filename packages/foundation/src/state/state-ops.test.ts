import { describe, expect, it } from 'vitest';
import { decayAdd, decayedCounter, encodeBatch, OpKind } from './state-ops.js';

describe('encodeBatch', () => {
  it('lists each key once after the offsets key and refers to keys by 1-based index', () => {
    const batch = encodeBatch('sr:v1:{p0}:offsets', [
      { offset: 7n, ops: [{ kind: OpKind.HIncrBy, key: 'sr:v1:{p0}:a', field: 'view', by: 1 }] },
      { offset: 9n, ops: [{ kind: OpKind.ZIncrBy, key: 'sr:v1:{p0}:a', member: 'i', by: 0.25 }, { kind: OpKind.Del, key: 'sr:v1:{p0}:b' }] },
    ]);
    expect(batch.keys).toEqual(['sr:v1:{p0}:offsets', 'sr:v1:{p0}:a', 'sr:v1:{p0}:b']);
    // Flat: per record offset and op count, then per op kind code, key index and the kind's args.
    expect(JSON.parse(batch.opsJson)).toEqual(['7', 1, 8, 2, 'view', '1', '9', 2, 2, 2, '0.25', 'i', 17, 3]);
    expect(batch.opCount).toBe(3);
    expect(batch.lastRecordOffset).toBe(9n);
  });

  it('leaves out a delete of a key the batch already deleted when no op named it since', () => {
    const del = (key: string) => ({ kind: OpKind.Del, key }) as const;
    const guard = (key: string, id: string) => ({ kind: OpKind.Guard, key, id }) as const;
    const deletedKeys = new Set<string>();
    const batch = encodeBatch(
      'o',
      [
        { offset: 1n, ops: [del('old'), del('older'), guard('today', 'a')] },
        { offset: 2n, ops: [del('old'), del('older'), guard('today', 'b')] },
        // A late event re-creates `old`: the next delete of it must stay.
        { offset: 3n, ops: [guard('old', 'c')] },
        { offset: 4n, ops: [del('old'), del('older'), guard('today', 'd')] },
      ],
      deletedKeys,
    );
    const ops = JSON.parse(batch.opsJson) as unknown[];
    expect(ops).toEqual(['1', 3, 17, 2, 17, 3, 1, 4, 'a', '2', 1, 1, 4, 'b', '3', 1, 1, 2, 'c', '4', 2, 17, 2, 1, 4, 'd']);
    expect(batch.opCount).toBe(7);
    // The next chunk of the same batch knows both keys are gone.
    const next = encodeBatch('o', [{ offset: 5n, ops: [del('old'), del('older'), guard('today', 'e')] }], deletedKeys);
    expect(next.opCount).toBe(1);
  });

  it('escapes member text that JSON must escape', () => {
    const batch = encodeBatch('o', [{ offset: 0n, ops: [{ kind: OpKind.SAdd, key: 'k', member: 'a "quoted"\\ tag\n' }] }]);
    expect((JSON.parse(batch.opsJson) as unknown[])[4]).toBe('a "quoted"\\ tag\n');
  });

  it('passes floats as their exact shortest text', () => {
    const batch = encodeBatch('o', [{ offset: 0n, ops: [{ kind: OpKind.HIncrByFloat, key: 'k', field: 'f', by: 0.1 + 0.2 }] }]);
    expect((JSON.parse(batch.opsJson) as unknown[])[5]).toBe('0.30000000000000004');
  });

  it('refuses records out of offset order, non-finite numbers and unsafe integers', () => {
    const op = { kind: OpKind.SAdd, key: 'k', member: 'm' } as const;
    expect(() => encodeBatch('o', [{ offset: 2n, ops: [op] }, { offset: 2n, ops: [op] }])).toThrow(/increasing offset order/);
    expect(() => encodeBatch('o', [{ offset: 0n, ops: [{ kind: OpKind.ZAdd, key: 'k', member: 'm', score: Number.NaN }] }])).toThrow(/finite/);
    expect(() => encodeBatch('o', [{ offset: 0n, ops: [{ kind: OpKind.HIncrBy, key: 'k', field: 'f', by: 2 ** 60 }] }])).toThrow(/safe integer/);
  });

  it('encodes a decayed counter as field, increment, time and half-life, and refuses a half-life that is not positive', () => {
    const batch = encodeBatch('o', [{ offset: 0n, ops: [{ kind: OpKind.HDecayAdd, key: 'k', field: 'events_1h', by: 1, time: 7_200_000, halfLifeMs: 3_600_000 }] }]);
    expect(JSON.parse(batch.opsJson)).toEqual(['0', 1, 19, 2, 'events_1h', '1', '7200000', '3600000']);
    expect(() => encodeBatch('o', [{ offset: 0n, ops: [{ kind: OpKind.HDecayAdd, key: 'k', field: 'f', by: 1, time: 0, halfLifeMs: 0 }] }])).toThrow(/half-life/);
  });
});

describe('decayed counters', () => {
  const hour = 3_600_000;
  it('halves a count per half-life and adds late events decayed to the held time', () => {
    let state = decayAdd(0, undefined, 1, 0, hour);
    expect(state).toEqual({ value: 1, time: 0 });
    state = decayAdd(state.value, state.time, 1, hour, hour); // 1·½ + 1
    expect(state).toEqual({ value: 1.5, time: hour });
    state = decayAdd(state.value, state.time, 4, -hour, hour); // late by two half-lives: 4·¼
    expect(state).toEqual({ value: 2.5, time: hour });
    expect(decayedCounter(state.value, state.time, 3 * hour, hour)).toBeCloseTo(0.625, 15);
    expect(decayedCounter(undefined, undefined, 3 * hour, hour)).toBe(0);
    expect(decayedCounter(2, 10, 5, hour)).toBe(2); // a read before the held time does not grow the count
  });
});

