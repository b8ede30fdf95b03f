import { describe, expect, it } from 'vitest';
import { ErrorCode, isAppError } from '@streamrec/foundation';
import { loadClickHouseDdl, orderDdlFiles, splitSqlStatements } from './clickhouse-ddl.js';

describe('orderDdlFiles', () => {
  it('orders NNN_name.sql files by number and ignores other files', () => {
    expect(orderDdlFiles(['010_daily.sql', 'README.md', '002_interactions.sql', '001_database.sql'])).toEqual([
      '001_database.sql',
      '002_interactions.sql',
      '010_daily.sql',
    ]);
  });

  it('rejects two files with the same number', () => {
    expect(() => orderDdlFiles(['002_a.sql', '002_b.sql'])).toThrow(/share the number 002/);
  });

  it.each(['2_interactions.sql', '002-interactions.sql', '002_Interactions.sql'])(
    'rejects the malformed name %s with REC_SCHEMA_INVALID',
    (name) => {
      try {
        orderDdlFiles([name]);
        expect.unreachable('should have thrown');
      } catch (error) {
        expect(isAppError(error, ErrorCode.SchemaInvalid)).toBe(true);
      }
    },
  );
});

describe('splitSqlStatements', () => {
  it('splits on semicolons and drops empty and comment-only pieces', () => {
    const sql = '-- header\nCREATE DATABASE IF NOT EXISTS a;\n\n  ;\nSELECT 1 ;\n-- trailing comment\n';
    expect(splitSqlStatements(sql)).toEqual(['-- header\nCREATE DATABASE IF NOT EXISTS a', 'SELECT 1']);
  });

  it('keeps a last statement that has no semicolon', () => {
    expect(splitSqlStatements('SELECT 1; SELECT 2')).toEqual(['SELECT 1', 'SELECT 2']);
  });

  it('does not split inside string literals, quoted identifiers or comments', () => {
    const sql = [
      "SELECT 'a;b', 'it''s;', 'esc\\';' AS \"x;y\", `c;d`; -- not; here",
      '/* block; comment */ SELECT 2;',
    ].join('\n');
    expect(splitSqlStatements(sql)).toEqual([
      "SELECT 'a;b', 'it''s;', 'esc\\';' AS \"x;y\", `c;d`",
      '-- not; here\n/* block; comment */ SELECT 2',
    ]);
  });

  it('rejects an unterminated string or block comment with REC_SCHEMA_INVALID', () => {
    for (const sql of ["SELECT 'open;", 'SELECT 1 /* open;']) {
      try {
        splitSqlStatements(sql);
        expect.unreachable('should have thrown');
      } catch (error) {
        expect(isAppError(error, ErrorCode.SchemaInvalid)).toBe(true);
      }
    }
  });
});

describe('schemas/clickhouse', () => {
  const files = loadClickHouseDdl();
  const statements = files.flatMap((file) => file.statements.map((statement) => ({ file: file.name, statement })));
  const withoutComments = (sql: string): string => sql.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '');

  it('starts with the database and numbers files without gaps', () => {
    expect(files[0]?.name).toBe('001_database.sql');
    expect(files.map((file) => file.sequence)).toEqual(files.map((_, index) => index + 1));
  });

  it('only creates (IF NOT EXISTS) or adds columns the bootstrap checks first, so applying the files again is harmless', () => {
    // ClickHouse 18.16 has no ADD COLUMN IF NOT EXISTS: infra/local/components/clickhouse.sh runs an
    // `ALTER TABLE streamrec.<table> ADD COLUMN <name> <type>` (one per line) only when system.columns lacks it.
    const addColumn = /^ALTER TABLE streamrec\.([a-z_]+) ADD COLUMN ([a-z_.]+) /;
    const notIdempotent = statements.filter(({ statement }) => {
      const text = withoutComments(statement).trim();
      return !/^CREATE (DATABASE|TABLE|MATERIALIZED VIEW|VIEW) IF NOT EXISTS streamrec\b/.test(text) && !(addColumn.test(text) && !text.includes('\n'));
    });
    expect(notIdempotent).toEqual([]);
    // A column added to an existing install is declared in its table's CREATE too (a new install has it).
    for (const { statement } of statements) {
      const match = addColumn.exec(withoutComments(statement).trim());
      if (match === null) continue;
      const [, table = '', column = ''] = match;
      const create = statements.find((candidate) => new RegExp(`CREATE TABLE IF NOT EXISTS streamrec\\.${table}\\b`).test(candidate.statement));
      const leaf = column.split('.').at(-1) ?? column;
      expect(create?.statement, `${table}.${column}`).toMatch(new RegExp(`\\b${leaf}\\s`));
    }
  });

  it('avoids what ClickHouse 18.16 cannot parse', () => {
    const unsupported = [
      /LowCardinality/i,
      /DateTime64/i,
      /\bTTL\b/,
      /\bCODEC\s*\(/i,
      /\bINDEX\s+\w+\s+.*\bTYPE\b/i,
      /\bIF NOT EXISTS\b(?<!CREATE (DATABASE|TABLE|MATERIALIZED VIEW|VIEW) IF NOT EXISTS)/,
      /\bPOPULATE\b/,
      /Nested\s*\([^)]*\bCOMMENT\b/,
    ];
    const offending = statements.filter(({ statement }) =>
      unsupported.some((pattern) => pattern.test(withoutComments(statement))),
    );
    expect(offending).toEqual([]);
  });

  it('uses DEFAULT only with a zero value, which 18.16 also gives fields a JSONEachRow insert omits', () => {
    const defaults = statements.flatMap(({ statement }) =>
      [...withoutComments(statement).matchAll(/\bDEFAULT\s+([^,\n]+?)(?=\s+COMMENT\b|,?\s*$)/gm)].map((match) => match[1]),
    );
    expect(defaults.length).toBeGreaterThan(0);
    expect(defaults.filter((value) => value !== "''" && value !== '0')).toEqual([]);
  });

  it('writes every materialized view into an explicit target table', () => {
    const views = statements.filter(({ statement }) => /CREATE MATERIALIZED VIEW/.test(statement));
    expect(views.length).toBeGreaterThan(0);
    for (const { statement } of views) expect(statement).toMatch(/\bTO streamrec\.\w+/);
  });

  it('lists every AggregateFunction column of a SummingMergeTree in its column list, or merges keep one part\'s state', () => {
    const forgotten = statements.flatMap(({ statement }) => {
      const engine = /ENGINE = SummingMergeTree\(\(([^)]*)\)\)/.exec(statement);
      if (!engine?.[1]) return [];
      const summed = new Set(engine[1].split(',').map((column) => column.trim()));
      const aggregates = [...withoutComments(statement).matchAll(/^\s+(\w+)\s+AggregateFunction\(/gm)].map((match) => match[1] ?? '');
      return aggregates.filter((column) => !summed.has(column));
    });
    expect(forgotten).toEqual([]);
  });

  it('creates the tables analysts and jobs rely on', () => {
    const created = statements.flatMap(({ statement }) => {
      const match = /CREATE (?:TABLE|MATERIALIZED VIEW) IF NOT EXISTS streamrec\.(\w+)/.exec(statement);
      return match?.[1] ? [match[1]] : [];
    });
    expect(created).toEqual(
      expect.arrayContaining([
        'interactions',
        'exposures',
        'items',
        'users',
        'orders',
        'order_items',
        'cooccurrence',
        'model_runs',
        'dq_runs',
        'interactions_daily',
        'interactions_daily_mv',
        'exposures_daily',
        'exposures_daily_mv',
      ]),
    );
  });
});
