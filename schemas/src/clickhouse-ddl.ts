import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError, ErrorCode } from '@streamrec/foundation';
import { schemaPaths } from './schema-files.js';

/**
 * The ClickHouse DDL in `schemas/clickhouse/NNN_name.sql`, in file order, split into single
 * statements so a tool can apply them one by one over HTTP (which runs one statement per request;
 * `clickhouse-client --multiquery < file` is the shell equivalent). Every statement is idempotent,
 * so applying all files again is harmless.
 */

export interface DdlFile {
  readonly name: string;
  readonly sequence: number;
  readonly statements: readonly string[];
}

export const DDL_FILE_PATTERN = /^(\d{3})_[a-z0-9_]+\.sql$/;

/** The DDL file names in application order; other files are ignored, a malformed `.sql` name is an error. */
export function orderDdlFiles(fileNames: readonly string[]): string[] {
  const bySequence = new Map<number, string>();
  for (const fileName of fileNames) {
    if (!fileName.endsWith('.sql')) continue;
    const match = DDL_FILE_PATTERN.exec(fileName);
    if (!match) {
      throw new AppError(ErrorCode.SchemaInvalid, `ClickHouse DDL file ${fileName} is not named NNN_lower_snake.sql`);
    }
    const sequence = Number(match[1]);
    const clash = bySequence.get(sequence);
    if (clash !== undefined) {
      throw new AppError(ErrorCode.SchemaInvalid, `ClickHouse DDL files ${clash} and ${fileName} share the number ${match[1]}`);
    }
    bySequence.set(sequence, fileName);
  }
  return [...bySequence.entries()].sort(([a], [b]) => a - b).map(([, fileName]) => fileName);
}

/**
 * Split SQL text on `;` outside string literals ('...' with backslash or doubled-quote escapes),
 * quoted identifiers ("..." and `...`) and comments (-- to end of line, block comments). Returns
 * trimmed statements without the `;`; pieces holding only whitespace and comments are dropped.
 */
export function splitSqlStatements(sql: string): string[] {
  const statements: string[] = [];
  let start = 0;
  let hasCode = false;
  let index = 0;
  while (index < sql.length) {
    const char = sql[index];
    const next = sql[index + 1];
    if (char === '-' && next === '-') {
      index = skipComment(sql, index, '\n');
      continue;
    }
    if (char === '/' && next === '*') {
      index = skipComment(sql, index, '*/');
      continue;
    }
    if (char === "'" || char === '"' || char === '`') {
      index = skipQuoted(sql, index, char);
      hasCode = true;
      continue;
    }
    if (char === ';') {
      if (hasCode) statements.push(sql.slice(start, index).trim());
      start = index + 1;
      hasCode = false;
    } else if (char !== undefined && !/\s/.test(char)) {
      hasCode = true;
    }
    index += 1;
  }
  if (hasCode) statements.push(sql.slice(start).trim());
  return statements;
}

/** Read and split every DDL file of a directory (default `schemas/clickhouse`), in order. */
export function loadClickHouseDdl(directory: string = schemaPaths.clickhouseDir): DdlFile[] {
  return orderDdlFiles(readdirSync(directory)).map((name) => ({
    name,
    sequence: Number(name.slice(0, 3)),
    statements: splitSqlStatements(readFileSync(join(directory, name), 'utf8')),
  }));
}

/** From a comment opener (`--` or `/*`) to just after its terminator; a line comment may end the text. */
function skipComment(sql: string, opener: number, terminator: '\n' | '*/'): number {
  const end = sql.indexOf(terminator, opener + 2);
  if (end >= 0) return end + terminator.length;
  if (terminator === '\n') return sql.length;
  throw unterminated('block comment', opener);
}

function skipQuoted(sql: string, from: number, quote: string): number {
  let index = from + 1;
  while (index < sql.length) {
    const char = sql[index];
    if (char === '\\') {
      index += 2;
      continue;
    }
    if (char === quote) {
      if (sql[index + 1] === quote) {
        index += 2;
        continue;
      }
      return index + 1;
    }
    index += 1;
  }
  throw unterminated(quote === "'" ? 'string literal' : 'quoted identifier', from);
}

function unterminated(what: string, offset: number): AppError {
  return new AppError(ErrorCode.SchemaInvalid, `unterminated ${what} starting near offset ${offset}`, {
    details: { offset },
  });
}
