import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import { AppError, ErrorCode } from '@streamrec/foundation';
import type { ExperimentsStack } from '../config.js';
import type { SqlReader } from '../domain/warehouse.js';

export function createClickHouse(stack: ExperimentsStack): ClickHouseClient {
  return createClient({
    url: stack.clickhouse.url,
    username: stack.clickhouse.username,
    password: stack.clickhouse.password,
    request_timeout: stack.clickhouse.requestTimeoutMs,
    // No per-query settings and no compression: the same code works on 18.16 and for read-only users.
    compression: { request: false, response: false },
    log: { level: ClickHouseLogLevel.OFF },
  });
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Read-only: SELECTs built by domain/queries.ts, rows as JSON objects. */
export function clickHouseReader(client: ClickHouseClient): SqlReader {
  return {
    async rows(query) {
      if (!/^\s*SELECT\s/i.test(query)) throw new AppError(ErrorCode.InvalidArgument, 'the experiment readout only reads: refusing a statement that is not a SELECT');
      try {
        const result = await client.query({ query, format: 'JSONEachRow' });
        return await result.json<Record<string, unknown>>();
      } catch (error) {
        throw new AppError(ErrorCode.DependencyUnavailable, `ClickHouse query failed: ${message(error)} [${query.slice(0, 160)}…]`, { cause: error, retriable: true });
      }
    },
  };
}
