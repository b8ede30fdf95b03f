import type { ClickHouseClient } from '@clickhouse/client';
import { AppError, ErrorCode, sql } from '@streamrec/foundation';
import { errorText } from '@streamrec/foundation/clickhouse';

/** Where a run's row goes (streamrec.dq_runs). */
export interface DqRunsStore {
  write(row: Record<string, unknown>): Promise<void>;
}

export function dqRunsStore(client: ClickHouseClient, database: string): DqRunsStore {
  const table = sql.table(database, 'dq_runs');
  return {
    async write(row) {
      try {
        await client.insert({ table, values: [row], format: 'JSONEachRow' });
      } catch (error) {
        throw new AppError(ErrorCode.DependencyUnavailable, `cannot record the run in ${table}: ${errorText(error)}`, { cause: error, retriable: true });
      }
    },
  };
}
