import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { capturedColumns, columnIncludeList, tableIncludeList } from './captured-columns.js';
import { signalColumns, signalTable } from './signal-table.js';
import { SourceTable } from './source-tables.js';

const repoFile = (path: string): string => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');
const connector = JSON.parse(repoFile('connectors/config/cdc-mariadb.json')) as { config: Record<string, string> };

/** Debezium matches each expression of the list against the whole `<db>.<table>.<column>` name. */
function captured(qualifiedColumn: string): boolean {
  const list = connector.config['column.include.list'] ?? '';
  return list.split(',').some((expression) => new RegExp(`^(?:${expression})$`).test(qualifiedColumn));
}

/** The columns of `table` in schemas/sql/<db>.sql (Matomo's tables carry the matomo_ prefix there too). */
function declaredColumns(table: string): string[] {
  const [database, name] = table.split('.') as [string, string];
  const ddl = repoFile(`schemas/sql/${database}.sql`);
  const body = new RegExp(`CREATE TABLE IF NOT EXISTS ${name} \\(([\\s\\S]*?)\\n\\)`).exec(ddl)?.[1];
  if (body === undefined) throw new Error(`no CREATE TABLE ${name} in schemas/sql/${database}.sql`);
  return body.split('\n').map((line) => /^\s+([a-z_0-9]+)\s+[A-Z]/.exec(line)?.[1]).filter((column): column is string => column !== undefined && !['PRIMARY', 'UNIQUE', 'INDEX', 'KEY'].includes(column));
}

describe('the connector captures only the columns the consumers read', () => {
  it('connectors/config/cdc-mariadb.json carries the include list derived from the row specs', () => {
    expect(connector.config['column.include.list']).toBe(columnIncludeList());
  });

  it('every captured table has its column list, and nothing else has one; the signal table is read too', () => {
    expect(connector.config['table.include.list']).toBe(tableIncludeList());
    expect(connector.config['signal.data.collection']).toBe(signalTable);
    const tables = (connector.config['table.include.list'] ?? '').split(',').map((expression) => expression.replace(/\\\./g, '.'));
    expect(tables.sort()).toEqual([...Object.values(SourceTable), signalTable].sort());
    expect(Object.keys(capturedColumns).sort()).toEqual(Object.values(SourceTable).sort());
  });

  it('the signal table has the columns Debezium reads, in its order, and all of them are captured', () => {
    expect(declaredColumns(signalTable)).toEqual(signalColumns);
    for (const column of signalColumns) expect(captured(`${signalTable}.${column}`), column).toBe(true);
  });

  it('every captured column exists in the source schema (a typo would silently drop a column)', () => {
    for (const [table, columns] of Object.entries(capturedColumns)) {
      const declared = declaredColumns(table);
      for (const column of columns) expect(declared, `${table}.${column}`).toContain(column);
    }
  });

  it('keeps the read columns and drops personal data: emails, names, IP addresses, device fingerprints, locations, referrers', () => {
    for (const [table, columns] of Object.entries(capturedColumns)) for (const column of columns) expect(captured(`${table}.${column}`), `${table}.${column}`).toBe(true);
    const personal = [
      'shop.users.email',
      'shop.users.display_name',
      'shop.users.company',
      'matomo.matomo_log_visit.location_ip',
      'matomo.matomo_log_visit.config_id',
      'matomo.matomo_log_visit.location_city',
      'matomo.matomo_log_visit.location_latitude',
      'matomo.matomo_log_visit.referer_url',
      'matomo.matomo_log_conversion.location_ip',
      'matomo.matomo_log_conversion.idvisitor',
      'matomo.matomo_log_link_visit_action.idpageview',
    ];
    for (const column of personal) expect(captured(column), column).toBe(false);
    // Every column the schema declares that no consumer reads is left out, whatever its name.
    for (const table of Object.values(SourceTable)) {
      for (const column of declaredColumns(table)) expect(captured(`${table}.${column}`), `${table}.${column}`).toBe((capturedColumns[table] ?? []).includes(column));
    }
  });
});
