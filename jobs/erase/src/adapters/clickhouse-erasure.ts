import type { ClickHouseClient } from '@clickhouse/client';
import { AppError, ErrorCode, sql } from '@streamrec/foundation';
import { errorText } from '@streamrec/foundation/clickhouse';
import { clickHouseErasures, ordersOfUserQuery, type TableErasure } from '../domain/clickhouse-rules.js';
import type { ErasureSubjects } from '../domain/erasure-subjects.js';

/** Rows about the person per table (`database.table` → count): before the deletes, or what is left after. */
export type TableCounts = ReadonlyMap<string, number>;

export interface ClickHouseErasure {
  /** Counts the rows about the person in every table that can hold them. */
  count(subjects: ErasureSubjects): Promise<TableCounts>;
  /** ALTER TABLE … DELETE on each table, then waits until the mutations are done (or `timeoutMs` passed). */
  erase(subjects: ErasureSubjects, timeoutMs: number, progress: (line: string) => void): Promise<void>;
  /** Appends the audit row (streamrec.erasures). */
  audit(row: Record<string, unknown>): Promise<void>;
}

export function clickHouseErasure(client: ClickHouseClient, database: string): ClickHouseErasure {
  const rows = async <T>(query: string, what: string): Promise<T[]> => {
    try {
      return (await (await client.query({ query, format: 'JSONEachRow' })).json<T>());
    } catch (error) {
      throw new AppError(ErrorCode.DependencyUnavailable, `ClickHouse: ${what}: ${errorText(error)}`, { cause: error, retriable: true });
    }
  };
  const tables = async (subjects: ErasureSubjects): Promise<TableErasure[]> => {
    const orders = await rows<{ id: string }>(ordersOfUserQuery(database, subjects), 'reading the orders of the user');
    return clickHouseErasures(database, subjects, orders.map((order) => order.id));
  };
  return {
    async count(subjects) {
      const counts = new Map<string, number>();
      for (const { table, where } of await tables(subjects)) {
        const [row] = await rows<{ n: string }>(`SELECT count() AS n FROM ${table} WHERE ${where}`, `counting in ${table}`);
        counts.set(table, Number(row?.n ?? 0));
      }
      return counts;
    },
    async erase(subjects, timeoutMs, progress) {
      const started = Date.now();
      for (const { table, where } of await tables(subjects)) {
        try {
          await client.command({ query: `ALTER TABLE ${table} DELETE WHERE ${where}` });
        } catch (error) {
          throw new AppError(ErrorCode.DependencyUnavailable, `ClickHouse: deleting from ${table}: ${errorText(error)}`, { cause: error, retriable: true });
        }
        progress(`clickhouse: DELETE submitted on ${table}`);
      }
      // Mutations run in the background; the erasure is done when none of these tables has one pending.
      const names = ['interactions', 'exposures', 'users', 'orders', 'order_items'];
      const pending = `SELECT table, count() AS n FROM system.mutations WHERE database = ${sql.string(database)} AND table IN ${sql.stringTuple(names)} AND is_done = 0 GROUP BY table`;
      for (;;) {
        const open = await rows<{ table: string; n: string }>(pending, 'reading system.mutations');
        if (open.length === 0) return;
        if (Date.now() - started > timeoutMs) {
          throw new AppError(ErrorCode.DependencyUnavailable, `ClickHouse mutations still running after ${Math.round(timeoutMs / 1_000)} s: ${open.map((row) => `${row.table} (${row.n})`).join(', ')}`, { retriable: true });
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    },
    async audit(row) {
      const table = sql.table(database, 'erasures');
      try {
        await client.insert({ table, values: [row], format: 'JSONEachRow' });
      } catch (error) {
        throw new AppError(ErrorCode.DependencyUnavailable, `cannot record the erasure in ${table}: ${errorText(error)}`, { cause: error, retriable: true });
      }
    },
  };
}
