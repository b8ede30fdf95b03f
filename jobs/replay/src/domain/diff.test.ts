import { describe, expect, it } from 'vitest';
import { compareOffsets, compareVerdict, countByFamily, keyStatus, setAsideUnbuiltNormalize } from './diff.js';
import { comparableString, sameBytes } from './comparable-value.js';

describe('comparing two versions', () => {
  it('classifies keys and counts them per family', () => {
    expect(keyStatus(true, true, 'equal')).toBe('equal');
    expect(keyStatus(true, true, 'rounding')).toBe('rounding');
    expect(keyStatus(true, true, 'different')).toBe('different');
    expect(keyStatus(true, false, 'different')).toBe('only-in-a');
    expect(keyStatus(false, true, 'different')).toBe('only-in-b');
    const families = countByFamily([
      { key: '{p0}:user:a:counts', status: 'equal' },
      { key: '{p1}:user:b:counts', status: 'different' },
      { key: '{p1}:item:1:counts', status: 'only-in-b' },
    ]);
    expect([...families.entries()]).toEqual([
      ['item:counts', { equal: 0, rounding: 0, different: 0, 'only-in-a': 0, 'only-in-b': 1 }],
      ['user:counts', { equal: 1, rounding: 0, different: 1, 'only-in-a': 0, 'only-in-b': 0 }],
    ]);
  });

  it('summarises offsets per stage field and says when a moved past b', () => {
    const a = new Map([['{p0}', new Map([['f-user/t', 10n], ['f-item/r', 5n]])], ['{p1}', new Map([['f-user/t', 3n]])]]);
    const b = new Map([['{p0}', new Map([['f-user/t', 9n], ['f-item/r', 7n]])]]);
    const offsets = compareOffsets(a, b);
    expect(offsets).toEqual([
      { field: 'f-item/r', counts: { equal: 0, 'a-ahead': 0, 'b-ahead': 1, 'only-in-a': 0, 'only-in-b': 0 } },
      { field: 'f-user/t', counts: { equal: 0, 'a-ahead': 1, 'b-ahead': 0, 'only-in-a': 1, 'only-in-b': 0 } },
    ]);
    const families = countByFamily([{ key: '{p0}:user:a:counts', status: 'equal' }]);
    expect(compareVerdict(families, offsets, false)).toEqual({ stateEqual: true, rounding: false, offsetsEqual: false, aMovedPast: true, equal: true });
    expect(compareVerdict(families, offsets, true).equal).toBe(false);
    expect(compareVerdict(countByFamily([{ key: '{p0}:user:a:counts', status: 'different' }]), [], false).equal).toBe(false);
    const rounded = countByFamily([{ key: '{p0}:popularity:all:decayed', status: 'rounding' }]);
    expect(compareVerdict(rounded, [], false)).toMatchObject({ equal: true, rounding: true });
    expect(compareVerdict(rounded, [], false, true).equal).toBe(false);
  });

  it("ignores an HLL's cached cardinality but nothing else", () => {
    const hll = (cache: number, register: number): Uint8Array => Uint8Array.from([0x48, 0x59, 0x4c, 0x4c, 1, 0, 0, 0, cache, 0, 0, 0, 0, 0, 0, 0x80, register]);
    expect(sameBytes(comparableString(hll(1, 7)), comparableString(hll(9, 7)))).toBe(true);
    expect(sameBytes(comparableString(hll(1, 7)), comparableString(hll(1, 8)))).toBe(false);
    expect(sameBytes(comparableString(Uint8Array.from([1, 2])), comparableString(Uint8Array.from([1, 3])))).toBe(false);
  });
});

describe('normalize state a rebuild never has', () => {
  const live = countByFamily([
    { key: '{normalize}:actions', status: 'only-in-a' },
    { key: '{normalize}:visitors', status: 'only-in-a' },
    { key: '{p0}:user:a:counts', status: 'equal' },
  ]);
  const liveOffsets = [
    { field: 'normalize/cdc.shop.users/0', counts: { equal: 0, 'a-ahead': 0, 'b-ahead': 0, 'only-in-a': 1, 'only-in-b': 0 } },
    { field: 'features-user/events.interactions.v1', counts: { equal: 6, 'a-ahead': 0, 'b-ahead': 0, 'only-in-a': 0, 'only-in-b': 0 } },
  ];

  it('is set aside when one version holds none of it: the verdict and the moved-past note ignore it', () => {
    const { families, offsets, setAside } = setAsideUnbuiltNormalize(live, liveOffsets);
    expect(setAside).toEqual({ families: 2, offsetFields: 1, side: 'a' });
    expect([...families.keys()]).toEqual(['user:counts']);
    expect(compareVerdict(families, offsets, true)).toMatchObject({ equal: true, aMovedPast: false });
    expect(compareVerdict(live, liveOffsets, false)).toMatchObject({ equal: false, aMovedPast: true });
  });

  it('is compared when both versions hold some of it', () => {
    const both = countByFamily([
      { key: '{normalize}:actions', status: 'different' },
      { key: '{normalize}:visitors', status: 'only-in-a' },
    ]);
    const { families, setAside } = setAsideUnbuiltNormalize(both, []);
    expect(setAside).toBeUndefined();
    expect(compareVerdict(families, [], false).equal).toBe(false);
  });
});
