import { AppError, ErrorCode } from './errors.js';

/**
 * The only way values reach SQL text (the retraining and data-quality jobs, the eval's cleanup).
 * ClickHouse 18.16 has no server-side query parameters,
 * so every value interpolated into a query goes through one of these: strings are escaped here and only
 * here, numbers must be finite (integers where the column is), identifiers must be plain names.
 */
export const sql = {
  /** A string literal: backslash and quote escaped, control characters as escapes (\n, \0, \xHH). */
  string(value: string): string {
    let out = "'";
    for (const char of value) {
      const code = char.codePointAt(0) ?? 0;
      if (char === '\\') out += '\\\\';
      else if (char === "'") out += "\\'";
      else if (char === '\n') out += '\\n';
      else if (char === '\r') out += '\\r';
      else if (char === '\t') out += '\\t';
      else if (code === 0) out += '\\0';
      else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
      else out += char;
    }
    return `${out}'`;
  },

  /** An array literal of strings, e.g. ['a', 'b']. */
  stringArray(values: readonly string[]): string {
    return `[${values.map((value) => sql.string(value)).join(', ')}]`;
  },

  /** A tuple of strings for `IN`, e.g. ('a', 'b'): 18.16's IN refuses array literals. At least one value. */
  stringTuple(values: readonly string[]): string {
    if (values.length === 0) throw invalid('an IN list needs at least one value');
    return `(${values.map((value) => sql.string(value)).join(', ')})`;
  },

  /** A non-negative integer (epoch milliseconds, counts, ids). */
  uint(value: number): string {
    if (!Number.isSafeInteger(value) || value < 0) throw invalid(`not a non-negative integer for SQL: ${String(value)}`);
    return String(value);
  },

  /** A finite number (thresholds, ratios), written without exponent. */
  number(value: number): string {
    if (!Number.isFinite(value)) throw invalid(`not a finite number for SQL: ${String(value)}`);
    return Number.isInteger(value) ? String(value) : value.toFixed(12).replace(/\.?0+$/, '');
  },

  /** A database, table or column name: plain identifiers only (from validated config or code, never from data). */
  identifier(value: string): string {
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(value)) throw invalid(`not a plain SQL identifier: '${value}'`);
    return value;
  },

  /** `database.table`, both parts checked. */
  table(database: string, table: string): string {
    return `${sql.identifier(database)}.${sql.identifier(table)}`;
  },

  /** A DateTime from epoch milliseconds (floored to the second), independent of the server's time zone. */
  dateTime(epochMs: number): string {
    return `toDateTime(${sql.uint(Math.floor(epochMs / 1_000))})`;
  },
} as const;

function invalid(message: string): AppError {
  return new AppError(ErrorCode.InvalidArgument, message);
}
