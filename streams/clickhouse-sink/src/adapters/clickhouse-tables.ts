import type { ClickHouseClient } from '@clickhouse/client';
import { AppError, ErrorCode } from '@streamrec/foundation';
import { parsePresentOffsets, parseStoredOffsets, presentOffsetsQuery, storedOffsetsQuery, type SinkTable } from '../domain/sink-tables.js';
import type { SinkRow } from './table-routes.js';

/** What the sink needs of ClickHouse. */
export interface SinkTables {
  /**
   * One INSERT of all rows. ClickHouse writes one part per monthly partition of the rows; a failure can
   * leave some parts written, which the sink finds with `presentOffsets` before it retries.
   */
  insert(table: SinkTable, rows: readonly SinkRow[]): Promise<void>;
  storedOffsets(table: SinkTable, topic: string): Promise<ReadonlyMap<number, bigint>>;
  /** Which offsets of one partition in `from..to` the table holds. */
  presentOffsets(table: SinkTable, topic: string, partition: number, from: bigint, to: bigint): Promise<ReadonlySet<bigint>>;
}

/**
 * Every ClickHouse failure is retriable for the consumer loop (REC_DEPENDENCY_UNAVAILABLE): the server
 * down or overloaded (too many parts, memory) heals, and a row the mapping built wrong is a bug that
 * must stop the sink rather than be skipped. The batch is retried, never dropped.
 */
export function createClickHouseTables(client: ClickHouseClient, database: string): SinkTables {
  const unavailable = (what: string, cause: unknown): AppError =>
    new AppError(ErrorCode.DependencyUnavailable, `ClickHouse ${what} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { retriable: true, cause });
  const rowsOf = async (query: string, what: string): Promise<unknown[]> => {
    try {
      const result = await client.query({ query, format: 'JSONEachRow' });
      return await result.json<unknown>();
    } catch (error) {
      throw unavailable(what, error);
    }
  };
  return {
    async insert(table, rows) {
      try {
        await client.insert({ table: `${database}.${table}`, values: rows, format: 'JSONEachRow' });
      } catch (error) {
        throw unavailable(`insert into ${table}`, error);
      }
    },
    storedOffsets: async (table, topic) => parseStoredOffsets(await rowsOf(storedOffsetsQuery(database, table, topic), `reading the stored offsets of ${table}`)),
    presentOffsets: async (table, topic, partition, from, to) =>
      parsePresentOffsets(await rowsOf(presentOffsetsQuery(database, table, topic, partition, from, to), `reading the present offsets of ${table}`)),
  };
}
