import { AppError, ErrorCode } from '@streamrec/foundation';
import mysql, { type Pool, type PoolConnection, type ResultSetHeader, type RowDataPacket } from 'mysql2/promise';

export type SqlValue = string | number | null | Date | Buffer;
export type SqlRow = readonly SqlValue[];

export interface MariaDbSettings {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
}

/** Rows per multi-row INSERT are capped so that rows × columns stays under this many values. */
const MAX_VALUES_PER_STATEMENT = 30_000;
const MAX_ROWS_PER_STATEMENT = 2_000;
const IDENTIFIER = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/;

export function createMariaDbPool(settings: MariaDbSettings): Pool {
  return mysql.createPool({
    ...settings,
    connectionLimit: 2,
    // Every DATETIME is UTC; DECIMAL comes back as a number; utf8mb4 so CRC32() sees the same bytes as we do.
    timezone: 'Z',
    decimalNumbers: true,
    supportBigNumbers: true,
    charset: 'UTF8MB4_UNICODE_CI',
  });
}

/**
 * One connection, used by one writer at a time: multi-row INSERTs (values always sent as
 * parameters, never spliced into SQL) inside explicit transactions.
 */
export class MariaDbWriter {
  private constructor(
    private readonly connection: PoolConnection,
    /** Whether a multi-row INSERT gets consecutive auto-increment ids (innodb_autoinc_lock_mode 0/1). */
    private readonly consecutiveIds: boolean,
    private readonly idStep: number,
  ) {}

  static async open(pool: Pool): Promise<MariaDbWriter> {
    const connection = await pool.getConnection().catch((error: unknown) => {
      throw toAppError(error, 'connect to MariaDB');
    });
    try {
      const [rows] = await connection.query<RowDataPacket[]>(
        'SELECT @@innodb_autoinc_lock_mode AS lockMode, @@auto_increment_increment AS step',
      );
      const lockMode = Number(rows[0]?.['lockMode'] ?? 2);
      const step = Number(rows[0]?.['step'] ?? 1);
      return new MariaDbWriter(connection, lockMode !== 2, step);
    } catch (error) {
      connection.release();
      throw toAppError(error, 'read auto-increment settings');
    }
  }

  release(): void {
    this.connection.release();
  }

  async transaction<T>(work: () => Promise<T>): Promise<T> {
    await this.connection.beginTransaction().catch((error: unknown) => {
      throw toAppError(error, 'begin transaction');
    });
    try {
      const result = await work();
      await this.connection.commit();
      return result;
    } catch (error) {
      await this.connection.rollback().catch(() => undefined);
      throw toAppError(error, 'write transaction');
    }
  }

  /**
   * Inserts rows with as few statements as the limits allow and returns the auto-increment id
   * of each row in order (empty for tables without one).
   */
  async insert(table: string, columns: readonly string[], rows: readonly SqlRow[]): Promise<number[]> {
    assertIdentifiers(table, columns);
    const rowsPerStatement = this.consecutiveIds
      ? Math.max(1, Math.min(MAX_ROWS_PER_STATEMENT, Math.floor(MAX_VALUES_PER_STATEMENT / columns.length)))
      : 1;
    const placeholders = `(${columns.map(() => '?').join(', ')})`;
    const ids: number[] = [];
    for (let start = 0; start < rows.length; start += rowsPerStatement) {
      const chunk = rows.slice(start, start + rowsPerStatement);
      for (const row of chunk) {
        if (row.length !== columns.length) {
          throw new AppError(ErrorCode.InvalidArgument, `${table}: row has ${row.length} values for ${columns.length} columns`);
        }
      }
      const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${chunk.map(() => placeholders).join(', ')}`;
      const result = await this.run(sql, chunk.flat());
      if (result.affectedRows !== chunk.length) {
        throw new AppError(ErrorCode.DependencyUnavailable, `${table}: inserted ${result.affectedRows} of ${chunk.length} rows`);
      }
      if (result.insertId > 0) chunk.forEach((_, i) => ids.push(result.insertId + i * this.idStep));
    }
    return ids;
  }

  async run(sql: string, values: readonly SqlValue[] = []): Promise<ResultSetHeader> {
    try {
      const [result] = await this.connection.query<ResultSetHeader>(sql, [...values]);
      return result;
    } catch (error) {
      throw toAppError(error, 'statement');
    }
  }

  async select<Row extends RowDataPacket>(sql: string, values: readonly SqlValue[] = []): Promise<Row[]> {
    try {
      const [rows] = await this.connection.query<Row[]>(sql, [...values]);
      return rows;
    } catch (error) {
      throw toAppError(error, 'query');
    }
  }
}

function assertIdentifiers(table: string, columns: readonly string[]): void {
  for (const name of [table, ...columns]) {
    if (!IDENTIFIER.test(name)) throw new AppError(ErrorCode.InvalidArgument, `not a plain SQL identifier: ${name}`);
  }
}

const RETRIABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'PROTOCOL_CONNECTION_LOST',
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
]);
const SCHEMA_CODES = new Set(['ER_NO_SUCH_TABLE', 'ER_BAD_FIELD_ERROR', 'ER_BAD_DB_ERROR']);
const ACCESS_CODES = new Set(['ER_ACCESS_DENIED_ERROR', 'ER_DBACCESS_DENIED_ERROR', 'ER_TABLEACCESS_DENIED_ERROR']);

/** Classifies a mysql2 error by its code (never by message text). */
export function toAppError(error: unknown, doing: string): AppError {
  if (error instanceof AppError) return error;
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'UNKNOWN';
  const message = error instanceof Error ? error.message : String(error);
  if (SCHEMA_CODES.has(code)) {
    return new AppError(ErrorCode.SchemaInvalid, `${doing}: ${message} (apply schemas/sql/*.sql first)`, { cause: error });
  }
  if (ACCESS_CODES.has(code)) {
    return new AppError(ErrorCode.ConfigInvalid, `${doing}: ${message} (check STREAMREC_MARIADB_APP_USER/_PASSWORD)`, { cause: error });
  }
  return new AppError(ErrorCode.DependencyUnavailable, `${doing}: ${message}`, {
    cause: error,
    retriable: RETRIABLE_CODES.has(code),
    details: { code },
  });
}
