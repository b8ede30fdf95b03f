import { randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { AppError, ErrorCode, isAppError } from '@streamrec/foundation';
import { classifyInsertFailure, clickHouseErrorCode, clickHouseErrorSummary, InsertFailureClass } from '../domain/insert-failure.js';
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

/** What a failed INSERT carries in `AppError.details`. */
export interface InsertFailureDetails {
  readonly failureClass: InsertFailureClass;
  /** ClickHouse's error code, when the server answered one. */
  readonly clickHouseCode: number | undefined;
}

/**
 * A failed INSERT, classified by ClickHouse's error code (`domain/insert-failure.ts`): rows ClickHouse cannot
 * store are a non-retriable REC_PAYLOAD_INVALID (the writer isolates and the sink dead-letters them); the
 * server, the network, the schema or the grants are a retriable REC_DEPENDENCY_UNAVAILABLE: the batch is
 * retried, never dropped.
 */
export function insertFailure(table: SinkTable, cause: unknown): AppError {
  const text = cause instanceof Error ? cause.message : String(cause);
  const typed = typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string' && /^\d+$/.test(cause.code) ? Number(cause.code) : undefined;
  const clickHouseCode = typed ?? clickHouseErrorCode(text);
  const failureClass = classifyInsertFailure(clickHouseCode);
  const details: InsertFailureDetails = { failureClass, clickHouseCode };
  if (failureClass === InsertFailureClass.Rows) {
    return new AppError(ErrorCode.PayloadInvalid, `ClickHouse refused the row (Code ${clickHouseCode ?? '?'}): ${clickHouseErrorSummary(text)}`, { retriable: false, cause, details: { ...details } });
  }
  return new AppError(ErrorCode.DependencyUnavailable, `ClickHouse insert into ${table} failed (${failureClass}): ${clickHouseErrorSummary(text)}`, { retriable: true, cause, details: { ...details } });
}

/** The details `insertFailure` attached, if `error` is one. */
export function insertFailureDetails(error: unknown): InsertFailureDetails | undefined {
  if (!isAppError(error) || error.details === undefined) return undefined;
  const { failureClass, clickHouseCode } = error.details;
  if (failureClass !== 'transient' && failureClass !== 'rows' && failureClass !== 'operator') return undefined;
  return { failureClass, clickHouseCode: typeof clickHouseCode === 'number' ? clickHouseCode : undefined };
}

/** `KILL QUERY … SYNC` of one of the sink's own INSERTs: its id is a UUID the sink made, checked before it is inlined. */
export function stopQuery(queryId: string): string {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(queryId)) throw new RangeError(`not an INSERT id of the sink: ${queryId}`);
  return `KILL QUERY WHERE query_id = '${queryId}' SYNC`;
}

/**
 * Reads fail retriably (REC_DEPENDENCY_UNAVAILABLE): the batch waits for ClickHouse.
 *
 * An INSERT that failed without an answer from the server (the client's timeout, a reset connection) may
 * still be running there, and could land after the retry has read which rows are present: the retry would
 * write them again. So such an INSERT is stopped (`KILL QUERY … SYNC`, which returns once the query has
 * ended, killed or done) before the failure is reported; if that cannot be done, every later read and
 * INSERT tries again first and fails retriably until it is.
 */
export function createClickHouseTables(client: ClickHouseClient, database: string): SinkTables {
  const unavailable = (what: string, cause: unknown): AppError =>
    new AppError(ErrorCode.DependencyUnavailable, `ClickHouse ${what} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { retriable: true, cause });
  /** INSERTs that failed without an answer and are not known to have ended. */
  const unsettled = new Set<string>();
  const settle = async (): Promise<void> => {
    for (const queryId of unsettled) {
      try {
        await client.command({ query: stopQuery(queryId) });
      } catch (error) {
        throw unavailable(`stopping an INSERT that failed without an answer (query ${queryId}, which may still be writing)`, error);
      }
      unsettled.delete(queryId);
    }
  };
  const rowsOf = async (query: string, what: string): Promise<unknown[]> => {
    await settle();
    try {
      const result = await client.query({ query, format: 'JSONEachRow' });
      return await result.json<unknown>();
    } catch (error) {
      throw unavailable(what, error);
    }
  };
  return {
    async insert(table, rows) {
      await settle();
      const queryId = randomUUID();
      try {
        await client.insert({ table: `${database}.${table}`, values: rows, format: 'JSONEachRow', query_id: queryId });
      } catch (error) {
        const failure = insertFailure(table, error);
        if (insertFailureDetails(failure)?.clickHouseCode === undefined) {
          unsettled.add(queryId);
          await settle();
        }
        throw failure;
      }
    },
    storedOffsets: async (table, topic) => parseStoredOffsets(await rowsOf(storedOffsetsQuery(database, table, topic), `reading the stored offsets of ${table}`)),
    presentOffsets: async (table, topic, partition, from, to) =>
      parsePresentOffsets(await rowsOf(presentOffsetsQuery(database, table, topic, partition, from, to), `reading the present offsets of ${table}`)),
  };
}
