import { describe, expect, it } from 'vitest';
import { ErrorCode } from './errors.js';
import { sql } from './sql.js';

describe('sql literals', () => {
  it.each([
    ['plain', "'plain'"],
    ["it's", "'it\\'s'"],
    ['back\\slash', "'back\\\\slash'"],
    ["\\' OR 1=1 --", "'\\\\\\' OR 1=1 --'"],
    ['line\nbreak\ttab\rcr', "'line\\nbreak\\ttab\\rcr'"],
    ['nul\u0000bell\u0007del\u007f', "'nul\\0bell\\x07del\\x7f'"],
    ['ünïcødé 数据', "'ünïcødé 数据'"],
  ])('quotes %j as a ClickHouse string literal', (value, literal) => {
    expect(sql.string(value)).toBe(literal);
  });

  it('never lets a quote end the literal early', () => {
    for (const hostile of ["'", "\\'", "\\\\'", "'; DROP TABLE x; --", '\\', "dlq.x'||'"]) {
      const body = sql.string(hostile).slice(1, -1);
      for (const match of body.matchAll(/(\\*)'/g)) expect((match[1] ?? '').length % 2).toBe(1);
      expect((/(\\+)$/.exec(body)?.[1]?.length ?? 0) % 2).toBe(0);
    }
  });

  it('writes an IN tuple of escaped strings, and refuses an empty one', () => {
    expect(sql.stringTuple(["a'b", 'c'])).toBe("('a\\'b', 'c')");
    expect(() => sql.stringTuple([])).toThrow();
  });

  it('writes integers and finite numbers, and refuses anything else', () => {
    expect(sql.uint(1796423084395)).toBe('1796423084395');
    expect(sql.number(0.015)).toBe('0.015');
    expect(sql.number(-3)).toBe('-3');
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) expect(() => sql.uint(bad)).toThrow(expect.objectContaining({ code: ErrorCode.InvalidArgument }) as Error);
    expect(() => sql.number(Number.NaN)).toThrow(/finite/);
  });

  it('writes a DateTime from epoch milliseconds, floored to the second', () => {
    expect(sql.dateTime(Date.UTC(2026, 11, 4, 10, 0, 0, 999))).toBe('toDateTime(1796378400)');
  });

  it('accepts plain identifiers only', () => {
    expect(sql.table('streamrec', 'dq_runs')).toBe('streamrec.dq_runs');
    for (const bad of ['stream rec', 'db;DROP', '1db', '', 'a.b', '`x`']) expect(() => sql.identifier(bad)).toThrow(/not a plain SQL identifier/);
  });
});

describe('SQL literals against hostile input', () => {
  it.each([
    ['plain', "'plain'"],
    ["it's", "'it\\'s'"],
    ['back\\slash', "'back\\\\slash'"],
    ["\\' OR 1=1 --", "'\\\\\\' OR 1=1 --'"],
    ['line\nbreak\ttab\rcr', "'line\\nbreak\\ttab\\rcr'"],
    ['nul\u0000bell\u0007del\u007f', "'nul\\0bell\\x07del\\x7f'"],
    ['ünïcødé 数据', "'ünïcødé 数据'"],
  ])('quotes %j as a ClickHouse string literal', (value, literal) => {
    expect(sql.string(value)).toBe(literal);
  });

  it('never lets a quote end the literal early', () => {
    for (const hostile of ["'", "\\'", "\\\\'", "'; DROP TABLE x; --", "\\"]) {
      const literal = sql.string(hostile);
      const body = literal.slice(1, -1);
      // every quote inside the body is escaped by an odd run of backslashes
      for (const match of body.matchAll(/(\\*)'/g)) expect((match[1] ?? '').length % 2).toBe(1);
      expect(body.endsWith('\\') ? (/(\\+)$/.exec(body)?.[1]?.length ?? 0) % 2 : 0).toBe(0);
    }
  });

  it('writes string arrays', () => {
    expect(sql.stringArray(['a', "b'c"])).toBe("['a', 'b\\'c']");
    expect(sql.stringArray([])).toBe('[]');
  });

  it.each([[0, '0'], [1796423084395, '1796423084395']])('writes the integer %d', (value, text) => {
    expect(sql.uint(value)).toBe(text);
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])('refuses %d as an integer literal', (value) => {
    expect(() => sql.uint(value)).toThrow(expect.objectContaining({ code: ErrorCode.InvalidArgument }) as Error);
  });

  it('accepts plain identifiers only', () => {
    expect(sql.identifier('streamrec')).toBe('streamrec');
    for (const bad of ['stream rec', 'db;DROP', '1db', '', 'a.b', '`x`']) expect(() => sql.identifier(bad)).toThrow(/not a plain SQL identifier/);
  });
});
