import { setTimeout as sleep } from 'node:timers/promises';
import type { Connection } from 'mysql2/promise';

/** How often the trickle commits a multi-row INSERT. */
export const TRICKLE_TICK_MS = 50;
/** At most this many rows per INSERT: a trickle that fell behind catches up over several ticks. */
const MAX_ROWS_PER_INSERT = 1_000;

/** The rows due at `elapsedMs` into a trickle of `ratePerSecond`, given how many were inserted (pure). */
export function rowsDue(elapsedMs: number, ratePerSecond: number, inserted: number): number {
  if (!(ratePerSecond > 0) || !(elapsedMs > 0)) return 0;
  return Math.max(0, Math.min(MAX_ROWS_PER_INSERT, Math.floor((elapsedMs * ratePerSecond) / 1_000) - inserted));
}

export interface TrickleResult {
  readonly requestedPerSecond: number;
  /** Rows committed ÷ seconds the trickle ran. */
  readonly achievedPerSecond: number;
  readonly rows: number;
  readonly seconds: number;
}

export interface Trickle {
  /** Stops after the INSERT in flight; what it committed. */
  stop(): Promise<TrickleResult>;
}

/**
 * Background load for the freshness measurement: favourites of new bench users (`firstUserId`, +1 per
 * row, one dataset each, cycling through `datasets`) committed on their own connection as multi-row
 * INSERTs every TRICKLE_TICK_MS, so they take the chain the timed commits take (Debezium → normalize →
 * features) at `ratePerSecond`. The caller deletes the rows (user ids firstUserId .. firstUserId + rows).
 */
export function startTrickle(db: Connection, options: { readonly ratePerSecond: number; readonly firstUserId: number; readonly datasets: readonly number[] }): Trickle {
  const started = performance.now();
  let inserted = 0;
  let stopping = false;
  let failure: Error | undefined;
  const loop = (async () => {
    while (!stopping) {
      const due = rowsDue(performance.now() - started, options.ratePerSecond, inserted);
      if (due > 0) {
        const values: number[] = [];
        for (let row = 0; row < due; row += 1) {
          const n = inserted + row;
          values.push(options.firstUserId + n, options.datasets[n % options.datasets.length] as number);
        }
        await db.query(`INSERT INTO favorites (user_id, dataset_id) VALUES ${Array.from({ length: due }, () => '(?, ?)').join(', ')}`, values);
        inserted += due;
      }
      await sleep(TRICKLE_TICK_MS); // the trickle's pace, not a wait for a result
    }
  })().catch((error: unknown) => {
    failure = error instanceof Error ? error : new Error(String(error));
  });
  return {
    async stop() {
      stopping = true;
      await loop;
      if (failure !== undefined) throw failure;
      const seconds = (performance.now() - started) / 1_000;
      return { requestedPerSecond: options.ratePerSecond, achievedPerSecond: Math.round(inserted / seconds), rows: inserted, seconds: Math.round(seconds * 10) / 10 };
    },
  };
}
