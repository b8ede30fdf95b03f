import { describe, expect, it } from 'vitest';
import { leftoverVersions, leftoverWarning } from './leftovers.js';

describe('leftoverVersions', () => {
  it('keeps only the eval range v800000–v899999, biggest first', () => {
    const present = new Map([
      ['v1', 143_790],
      ['v799999', 10],
      ['v800000', 5],
      ['v836792', 320_000],
      ['v899999', 7],
      ['v900000', 9],
      ['v961357', 8_592],
    ]);
    expect(leftoverVersions(present)).toEqual([
      { version: 'v836792', keys: 320_000 },
      { version: 'v899999', keys: 7 },
      { version: 'v800000', keys: 5 },
    ]);
  });
});

describe('leftoverWarning', () => {
  it('says nothing when there is nothing left', () => {
    expect(leftoverWarning([])).toBeUndefined();
  });

  it('names the versions, the key total and both ways to delete them', () => {
    const warning = leftoverWarning([
      { version: 'v836792', keys: 320_000 },
      { version: 'v800000', keys: 5 },
    ]);
    expect(warning).toContain('320,005 keys of 2 state version(s)');
    expect(warning).toContain('v836792 (320,000 keys), v800000 (5 keys).');
    expect(warning).toContain('--clean-leftovers');
    expect(warning).toContain('npm run replay -- drop --version vN');
  });

  it('lists at most five versions', () => {
    const many = Array.from({ length: 7 }, (_, index) => ({ version: `v80000${index}`, keys: 1 }));
    expect(leftoverWarning(many)).toContain('v800004 (1 keys), …');
    expect(leftoverWarning(many)).not.toContain('v800005');
  });
});
