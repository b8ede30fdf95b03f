import type { ClickHouseClient } from '@clickhouse/client';
import { AppError, ErrorCode } from '@streamrec/foundation';
import type { ModelRunsRow } from '../domain/run-record.js';
import { sql } from '@streamrec/foundation';

/** Where run records go (streamrec.model_runs). */
export interface ModelRunsStore {
  write(row: ModelRunsRow): Promise<void>;
}

export function createModelRunsStore(client: ClickHouseClient, database: string): ModelRunsStore {
  const table = `${sql.identifier(database)}.model_runs`;
  return {
    async write(row) {
      try {
        await client.insert({ table, values: [row], format: 'JSONEachRow' });
      } catch (error) {
        throw new AppError(ErrorCode.DependencyUnavailable, `cannot record run ${String(row['run_id'])} (${String(row['status'])}) in ${table}: ${error instanceof Error ? error.message : String(error)}`, {
          cause: error,
          retriable: true,
        });
      }
    },
  };
}
