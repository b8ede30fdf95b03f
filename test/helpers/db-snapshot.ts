import type { Connection, RowDataPacket } from 'mysql2/promise';

/** A source table's columns (in ordinal order; only `onlyColumns` when given) and primary key, read from information_schema. */
export interface TableShape {
  readonly schema: string;
  readonly table: string;
  readonly columns: readonly { name: string; dataType: string; unsigned: boolean }[];
  readonly primaryKey: readonly string[];
}

export async function readTableShape(db: Connection, schema: string, table: string, onlyColumns?: readonly string[]): Promise<TableShape> {
  const [columns] = await db.query<RowDataPacket[]>(
    'SELECT COLUMN_NAME AS name, DATA_TYPE AS dataType, COLUMN_TYPE AS columnType FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
    [schema, table],
  );
  const [keys] = await db.query<RowDataPacket[]>(
    "SELECT COLUMN_NAME AS name FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND INDEX_NAME = 'PRIMARY' ORDER BY SEQ_IN_INDEX",
    [schema, table],
  );
  if (columns.length === 0) throw new Error(`table ${schema}.${table} not found`);
  return {
    schema,
    table,
    columns: columns
      .map((row) => ({
        name: String(row['name']),
        dataType: String(row['dataType']).toLowerCase(),
        unsigned: /unsigned/i.test(String(row['columnType'])),
      }))
      .filter((column) => onlyColumns === undefined || onlyColumns.includes(column.name)),
    primaryKey: keys.map((row) => String(row['name'])),
  };
}

/** Every row of a table by its Debezium key JSON (primary key columns in key order). */
export async function snapshotRows(db: Connection, shape: TableShape): Promise<Map<string, Record<string, unknown>>> {
  const columnList = shape.columns.map((column) => `\`${column.name}\``).join(', ');
  // Names come from information_schema of a table the test chose, not from input.
  const [rows] = await db.query<RowDataPacket[]>(`SELECT ${columnList} FROM \`${shape.schema}\`.\`${shape.table}\``);
  const byKey = new Map<string, Record<string, unknown>>();
  for (const row of rows) byKey.set(debeziumKey(shape, row), { ...row });
  return byKey;
}

export function debeziumKey(shape: TableShape, row: Record<string, unknown>): string {
  const key: Record<string, unknown> = {};
  for (const name of shape.primaryKey) {
    const dataType = shape.columns.find((column) => column.name === name)?.dataType ?? '';
    key[name] = comparable(row[name], dataType);
  }
  return JSON.stringify(key);
}

/** Rows inserted, updated (any column) or deleted between two snapshots. */
export function changedKeys(before: Map<string, Record<string, unknown>>, after: Map<string, Record<string, unknown>>, shape: TableShape): string[] {
  const changed: string[] = [];
  for (const [key, row] of after) {
    const old = before.get(key);
    if (old === undefined || firstDifference(shape, old, row, 'db') !== undefined) changed.push(key);
  }
  for (const key of before.keys()) if (!after.has(key)) changed.push(key);
  return changed;
}

/**
 * The first column where a MariaDB row and a Debezium `after` image disagree, undefined when equal.
 * Debezium here writes DECIMAL as strings, BINARY as hex, DATETIME as epoch milliseconds (UTC), DATE as
 * epoch days and TIME as milliseconds of the day.
 */
export function firstDifference(
  shape: TableShape,
  dbRow: Record<string, unknown>,
  other: Record<string, unknown>,
  otherKind: 'db' | 'debezium',
): string | undefined {
  for (const { name, dataType, unsigned } of shape.columns) {
    const expected = comparable(dbRow[name], dataType);
    let actual = otherKind === 'db' ? comparable(other[name], dataType) : comparableDebezium(other[name], dataType);
    // Debezium 3.5's MariaDB connector writes INT UNSIGNED values of 2^31 and above as negative
    // 32-bit ints (seen on matomo_log_action.hash); readers of the cdc topics take them modulo 2^32.
    if (otherKind === 'debezium' && unsigned && dataType === 'int' && typeof actual === 'number' && actual < 0) actual += 2 ** 32;
    if (typeof expected === 'number' && typeof actual === 'number' && isFloat(dataType)) {
      if (Math.abs(expected - actual) > 1e-9 * Math.max(1, Math.abs(expected))) return `${name}: ${String(expected)} ≠ ${String(actual)}`;
    } else if (expected !== actual) {
      return `${name}: ${String(expected)} ≠ ${String(actual)}`;
    }
  }
  return undefined;
}

const isFloat = (dataType: string): boolean => dataType === 'double' || dataType === 'float';
const isInteger = (dataType: string): boolean => /^(tinyint|smallint|mediumint|int|integer|bigint)$/.test(dataType);

function comparable(value: unknown, dataType: string): unknown {
  if (value === null || value === undefined) return null;
  // Debezium (time.precision.mode=connect): DATE as days since the epoch, TIME as milliseconds of the day.
  if (dataType === 'date' && value instanceof Date) return Math.round(value.getTime() / 86_400_000);
  if (dataType === 'time') return millisOfDay(scalarText(value));
  if (value instanceof Date) return value.getTime();
  if (Buffer.isBuffer(value)) return value.toString('hex');
  if (isInteger(dataType) || isFloat(dataType)) return Number(value);
  return scalarText(value);
}

function comparableDebezium(value: unknown, dataType: string): unknown {
  if (value === null || value === undefined) return null;
  if (dataType === 'binary' || dataType === 'varbinary') return scalarText(value).toLowerCase();
  if (dataType === 'datetime' || dataType === 'timestamp') return typeof value === 'number' ? value : Date.parse(scalarText(value));
  if (isInteger(dataType) || isFloat(dataType) || dataType === 'date' || dataType === 'time') return Number(value);
  return scalarText(value);
}

function millisOfDay(text: string): number {
  const [hours = '0', minutes = '0', seconds = '0'] = text.split(':');
  return Math.round(((Number(hours) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000);
}

function scalarText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return value.toString();
  return JSON.stringify(value);
}
