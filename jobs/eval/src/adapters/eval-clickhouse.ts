import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError, ErrorCode, sql } from '@streamrec/foundation';
import type { EvalStack } from '../config.js';

/** The ranker stage's reads and cleanup of the rows the ClickHouse sink wrote for its users. */
export interface EvalClickHouse {
  /** Rows of `table` whose user_id starts with the run's prefix. */
  userRows(table: 'exposures' | 'interactions', prefix: string): Promise<number>;
  /** Until both tables hold at least the expected rows of the run (the sink batches and inserts asynchronously). */
  waitForRows(prefix: string, expected: { readonly exposures: number; readonly interactions: number }, out: (line: string) => void, timeoutMs: number): Promise<void>;
  /** Deletes the run's rows (a ClickHouse mutation: applied in the background, not waited for). */
  deleteRun(prefix: string): Promise<void>;
  close(): Promise<void>;
}

/** Prefixes are the harness's own (`rankerUserPrefix`): letters, digits and '-' only, so they quote safely. */
function likePrefix(prefix: string): string {
  if (!/^[A-Za-z0-9-]+$/.test(prefix)) throw new AppError(ErrorCode.InvalidArgument, `a user prefix of letters, digits and '-' only, got ${JSON.stringify(prefix)}`);
  return sql.string(`${prefix}%`);
}

export function evalClickHouse(stack: EvalStack): EvalClickHouse {
  const client: ClickHouseClient = createClient({ url: stack.clickhouse.url, username: stack.clickhouse.username, password: stack.clickhouse.password, database: stack.clickhouse.database });
  const table = (name: string): string => sql.table(stack.clickhouse.database, name);
  const userRows = async (name: 'exposures' | 'interactions', prefix: string): Promise<number> => {
    const result = await client.query({ query: `SELECT count() AS rows FROM ${table(name)} WHERE user_id LIKE ${likePrefix(prefix)}`, format: 'JSONEachRow' });
    const [row] = await result.json<{ rows: string | number }>();
    return Number(row?.rows ?? 0);
  };
  return {
    userRows,
    async waitForRows(prefix, expected, out, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      let printed = 0;
      for (;;) {
        const [exposures, interactions] = [await userRows('exposures', prefix), await userRows('interactions', prefix)];
        const done = exposures >= expected.exposures && interactions >= expected.interactions;
        if (done || Date.now() - printed > 5_000) {
          out(`  ClickHouse: ${exposures}/${expected.exposures} exposures, ${interactions}/${expected.interactions} interactions of the run`);
          printed = Date.now();
        }
        if (done) return;
        if (Date.now() > deadline) throw new AppError(ErrorCode.Timeout, `the ClickHouse sink did not write the run's rows in time (${exposures} exposures, ${interactions} interactions)`);
        await sleep(1_000);
      }
    },
    async deleteRun(prefix) {
      for (const name of ['exposures', 'interactions']) await client.command({ query: `ALTER TABLE ${table(name)} DELETE WHERE user_id LIKE ${likePrefix(prefix)}` });
    },
    close: () => client.close(),
  };
}
