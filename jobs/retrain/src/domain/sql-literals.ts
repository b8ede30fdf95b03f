import { AppError, ErrorCode } from '@streamrec/foundation';

/**
 * The only way values reach SQL text in this job. ClickHouse 18.16 has no server-side query
 * parameters, so every value interpolated into a query goes through one of these: strings are escaped
 * here (and only here), numbers must be integers in range, identifiers must match a fixed pattern.
 */

/** A ClickHouse string literal: backslash and single quote escaped, control characters as escapes. */
export function sqlString(value: string): string {
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
}

/** An array literal of strings, e.g. ['a', 'b']. */
export function sqlStringArray(values: readonly string[]): string {
  return `[${values.map(sqlString).join(', ')}]`;
}

/** A non-negative integer literal (epoch milliseconds, counts, lengths); anything else is a bug upstream. */
export function sqlUInt(value: number): string {
  if (!Number.isSafeInteger(value) || value < 0) throw new AppError(ErrorCode.InvalidArgument, `not a non-negative integer for SQL: ${String(value)}`);
  return String(value);
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** A database or table name; only plain identifiers pass (they come from validated config, never from data). */
export function sqlIdentifier(value: string): string {
  if (!IDENTIFIER.test(value)) throw new AppError(ErrorCode.InvalidArgument, `not a plain SQL identifier: '${value}'`);
  return value;
}
