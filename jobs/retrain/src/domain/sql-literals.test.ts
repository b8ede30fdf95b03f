import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@streamrec/foundation';
import { sqlIdentifier, sqlString, sqlStringArray, sqlUInt } from './sql-literals.js';

describe('SQL literals', () => {
  it.each([
    ['plain', "'plain'"],
    ["it's", "'it\\'s'"],
    ['back\\slash', "'back\\\\slash'"],
    ["\\' OR 1=1 --", "'\\\\\\' OR 1=1 --'"],
    ['line\nbreak\ttab\rcr', "'line\\nbreak\\ttab\\rcr'"],
    ['nul\u0000bell\u0007del\u007f', "'nul\\0bell\\x07del\\x7f'"],
    ['ünïcødé 数据', "'ünïcødé 数据'"],
  ])('quotes %j as a ClickHouse string literal', (value, literal) => {
    expect(sqlString(value)).toBe(literal);
  });

  it('never lets a quote end the literal early', () => {
    for (const hostile of ["'", "\\'", "\\\\'", "'; DROP TABLE x; --", "\\"]) {
      const literal = sqlString(hostile);
      const body = literal.slice(1, -1);
      // every quote inside the body is escaped by an odd run of backslashes
      for (const match of body.matchAll(/(\\*)'/g)) expect((match[1] ?? '').length % 2).toBe(1);
      expect(body.endsWith('\\') ? (/(\\+)$/.exec(body)?.[1]?.length ?? 0) % 2 : 0).toBe(0);
    }
  });

  it('writes string arrays', () => {
    expect(sqlStringArray(['a', "b'c"])).toBe("['a', 'b\\'c']");
    expect(sqlStringArray([])).toBe('[]');
  });

  it.each([[0, '0'], [1796423084395, '1796423084395']])('writes the integer %d', (value, text) => {
    expect(sqlUInt(value)).toBe(text);
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])('refuses %d as an integer literal', (value) => {
    expect(() => sqlUInt(value)).toThrow(expect.objectContaining({ code: ErrorCode.InvalidArgument }) as Error);
  });

  it('accepts plain identifiers only', () => {
    expect(sqlIdentifier('streamrec')).toBe('streamrec');
    for (const bad of ['stream rec', 'db;DROP', '1db', '', 'a.b', '`x`']) expect(() => sqlIdentifier(bad)).toThrow(/not a plain SQL identifier/);
  });
});
