import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './stack.js';

/** One ```sql block of docs/analytics.md with the bold heading above it (`**1. Top 5 items per industry…**`). */
export interface DocumentedQuery {
  readonly title: string;
  readonly sql: string;
}

export function documentedQueries(): DocumentedQuery[] {
  const text = readFileSync(join(repoRoot, 'docs', 'analytics.md'), 'utf8');
  const queries: DocumentedQuery[] = [];
  let title = '';
  for (const part of text.split(/(```sql\n[\s\S]*?```)/)) {
    if (part.startsWith('```sql')) queries.push({ title, sql: part.slice('```sql\n'.length, -3).trim() });
    else {
      const headings = [...part.matchAll(/\*\*([^*]+)\*\*/g)];
      if (headings.length > 0) title = (headings.at(-1)?.[1] ?? '').trim();
    }
  }
  return queries;
}

/**
 * The same query over one test's rows only: every `streamrec.<table>[ FINAL]` becomes a subquery of the
 * table's rows that `scopes[table]` keeps (all columns, materialized ones included, so the query reads
 * exactly what it reads from the table). The documented text is otherwise untouched, so its logic —
 * joins, windows, filters, rounding, order, limits — is what gets checked against a recount.
 */
export function scopedQuery(sql: string, scopes: Readonly<Record<string, string>>, columns: ReadonlyMap<string, readonly string[]>): string {
  return sql.replace(/streamrec\.([a-z_]+)(\s+FINAL)?\b/g, (_match, table: string, final: string | undefined) => {
    const scope = scopes[table];
    const names = columns.get(table);
    if (scope === undefined || names === undefined) throw new Error(`docs/analytics.md reads streamrec.${table}, which the analytics test has no scope for`);
    return `(SELECT ${names.join(', ')} FROM streamrec.${table}${final ?? ''} WHERE ${scope})`;
  });
}

export type QueryRow = Readonly<Record<string, unknown>>;

/** Numbers (JSON numbers or ClickHouse's quoted 64-bit integers) within `tolerance`, everything else as JSON. */
export function sameValue(expected: unknown, actual: unknown, tolerance: number): boolean {
  const number = (value: unknown): number | undefined => (typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+(\.\d+)?(e-?\d+)?$/.test(value) ? Number(value) : undefined);
  const [a, b] = [number(expected), number(actual)];
  if (a !== undefined && b !== undefined) return Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(a));
  return JSON.stringify(expected) === JSON.stringify(actual);
}

/**
 * Differences between expected rows and the rows a query returned, in order, column by column (only the
 * expected columns are compared). `tolerances` per column (relative to the value, at least absolute);
 * default 1e-9, enough for the rounding of ratios computed the same way.
 */
export function rowDifferences(expected: readonly QueryRow[], actual: readonly QueryRow[], tolerances: Readonly<Record<string, number>> = {}): string[] {
  const differences: string[] = [];
  if (expected.length !== actual.length) differences.push(`${actual.length} rows, expected ${expected.length}`);
  for (let index = 0; index < Math.min(expected.length, actual.length) && differences.length < 10; index += 1) {
    for (const [column, value] of Object.entries(expected[index] ?? {})) {
      const got = actual[index]?.[column];
      if (!sameValue(value, got, tolerances[column] ?? 1e-9)) differences.push(`row ${index} ${column}: ${JSON.stringify(got)}, expected ${JSON.stringify(value)}`);
    }
  }
  return differences;
}
