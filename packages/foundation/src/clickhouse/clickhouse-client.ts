import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import { AppError, ErrorCode } from '../errors.js';
import type { ClickHouseConfig } from '../config/clickhouse-config.js';

/** The project's HTTP client settings for ClickHouse 18.16 (the database is named in the SQL, not here). */
export function createClickHouseClient(config: Pick<ClickHouseConfig, 'url' | 'username' | 'password' | 'requestTimeoutMs'>): ClickHouseClient {
  return createClient({
    url: config.url,
    username: config.username,
    password: config.password,
    request_timeout: config.requestTimeoutMs,
    // No per-query settings and no compression: the same code then works on 18.16 and for read-only users.
    compression: { request: false, response: false },
    log: { level: ClickHouseLogLevel.OFF },
  });
}

export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Reads rows of SELECTs as JSON objects; the reader of a job that must never write. */
export interface SelectOnlyReader {
  rows(query: string): Promise<Record<string, unknown>[]>;
}

/** Refuses anything but a SELECT (`job` names who refuses: "the data-quality job"); failures are retriable. */
export function selectOnlyReader(client: ClickHouseClient, job: string): SelectOnlyReader {
  return {
    async rows(query) {
      if (!/^\s*SELECT\s/i.test(query)) throw new AppError(ErrorCode.InvalidArgument, `${job} only reads: refusing a statement that is not a SELECT`);
      try {
        const result = await client.query({ query, format: 'JSONEachRow' });
        return await result.json<Record<string, unknown>>();
      } catch (error) {
        throw new AppError(ErrorCode.DependencyUnavailable, `ClickHouse query failed: ${errorText(error)} [${query.slice(0, 160)}…]`, { cause: error, retriable: true });
      }
    },
  };
}
