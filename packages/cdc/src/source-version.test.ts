import { describe, expect, it } from 'vitest';
import { sourceVersionOf, supersedes, type SourceVersion } from './source-version.js';

describe('source versions', () => {
  it('orders by binlog file first, then by position', () => {
    const early = sourceVersionOf({ file: 'binlog.000001', pos: 999_999 });
    const late = sourceVersionOf({ file: 'binlog.000002', pos: 4 });
    expect(early).toBe(2 ** 32 + 999_999);
    expect(late).toBe(2 * 2 ** 32 + 4);
    expect(late! > early!).toBe(true);
  });

  it('refuses positions it cannot order exactly', () => {
    expect(sourceVersionOf({ file: 'binlog', pos: 4 })).toBeUndefined();
    expect(sourceVersionOf({ file: 'binlog.000001', pos: -1 })).toBeUndefined();
    expect(sourceVersionOf({ file: 'binlog.000001', pos: 2 ** 32 })).toBeUndefined();
    expect(sourceVersionOf({ file: `binlog.${2 ** 21}`, pos: 4 })).toBeUndefined();
  });

  it('lets only a strictly later change supersede the held one', () => {
    const v = (n: number): SourceVersion => n as SourceVersion;
    expect(supersedes(v(5), undefined)).toBe(true);
    expect(supersedes(v(6), v(5))).toBe(true);
    expect(supersedes(v(5), v(5))).toBe(false);
    expect(supersedes(v(4), v(5))).toBe(false);
  });
});
