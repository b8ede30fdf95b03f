import { AppError, ErrorCode, isAppError } from '@streamrec/foundation';
import { insertIsolatingRefused, type RefusedRow } from '../domain/bisect-insert.js';
import { flushDecision, type FlushPolicy } from '../domain/flush-policy.js';
import type { SinkTable } from '../domain/sink-tables.js';
import type { SinkRow } from './table-routes.js';

/**
 * Some rows of a `write` were refused by ClickHouse for what they contain (a non-retriable
 * REC_PAYLOAD_INVALID of `insert`); every other row of the write is in ClickHouse. Retriable for the
 * consumer loop: its retry prepares the batch again and the sink dead-letters the refused records.
 */
export class RowsRefusedError extends AppError {
  // Private, so a logged error carries the positions (in its message) but never the rows' contents.
  readonly #refused: readonly RefusedRow<SinkRow, AppError>[];

  constructor(refused: readonly RefusedRow<SinkRow, AppError>[]) {
    const positions = refused.map(({ row }) => `${row.kafka_partition}/${row.kafka_offset}`).join(', ');
    super(ErrorCode.PayloadInvalid, `ClickHouse refused ${refused.length} row(s) (partition/offset ${positions}); dead-lettering them on the retry`, { retriable: true });
    this.name = 'RowsRefusedError';
    this.#refused = refused;
  }

  get refused(): readonly RefusedRow<SinkRow, AppError>[] {
    return this.#refused;
  }
}

/** A refusal of the rows themselves (the rest of a block can be inserted without them). */
const refusalOf = (error: unknown): AppError | undefined => (isAppError(error, ErrorCode.PayloadInvalid) && !error.retriable ? error : undefined);

/**
 * Buffers rows per table and inserts them by the flush policy; `write` resolves once its rows are in
 * ClickHouse, or rejects with `RowsRefusedError` once all its rows but the refused ones are.
 */
export interface TableWriter {
  write(table: SinkTable, rows: readonly SinkRow[]): Promise<void>;
  /** Inserts whatever is buffered now and waits for every insert in flight. */
  drain(): Promise<void>;
}

export interface TableWriterDependencies {
  readonly insert: (table: SinkTable, rows: readonly SinkRow[]) => Promise<void>;
  readonly policy: FlushPolicy;
  readonly now: () => number;
}

interface Waiter {
  readonly rows: readonly SinkRow[];
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

interface TableState {
  rows: SinkRow[];
  waiters: Waiter[];
  timer: NodeJS.Timeout | undefined;
  inFlight: Promise<void> | undefined;
  lastInsertAtMs: number | undefined;
}

/**
 * One insert at a time per table, so blocks land in offset order. A block ClickHouse refuses for some of
 * its rows is bisected (`domain/bisect-insert.ts`) until exactly those rows are left out. The consumer loop awaits `write`
 * before it commits the Kafka offset: a row is in ClickHouse before Kafka forgets the record.
 */
export function createTableWriter(deps: TableWriterDependencies): TableWriter {
  const tables = new Map<SinkTable, TableState>();
  const stateOf = (table: SinkTable): TableState => {
    let state = tables.get(table);
    if (state === undefined) {
      state = { rows: [], waiters: [], timer: undefined, inFlight: undefined, lastInsertAtMs: undefined };
      tables.set(table, state);
    }
    return state;
  };

  const insertNow = (table: SinkTable, state: TableState): void => {
    if (state.timer !== undefined) clearTimeout(state.timer);
    state.timer = undefined;
    const rows = state.rows;
    const waiters = state.waiters;
    state.rows = [];
    state.waiters = [];
    state.lastInsertAtMs = deps.now();
    state.inFlight = insertIsolatingRefused(rows, (part) => deps.insert(table, part), refusalOf).then(
      (refused) => {
        const refusedByRow = new Map(refused.map((refusal) => [refusal.row, refusal]));
        for (const waiter of waiters) {
          const own = waiter.rows.flatMap((row) => refusedByRow.get(row) ?? []);
          if (own.length === 0) waiter.resolve();
          else waiter.reject(new RowsRefusedError(own));
        }
      },
      (error: unknown) => waiters.forEach((waiter) => waiter.reject(error)),
    );
    void state.inFlight.finally(() => {
      state.inFlight = undefined;
      schedule(table, state);
    });
  };

  const schedule = (table: SinkTable, state: TableState): void => {
    if (state.inFlight !== undefined) return; // re-scheduled when it settles
    const decision = flushDecision(state.rows.length, state.lastInsertAtMs, deps.now(), deps.policy);
    if (decision.flush === 'now') insertNow(table, state);
    else if (decision.flush === 'later' && state.timer === undefined) {
      state.timer = setTimeout(() => {
        state.timer = undefined;
        schedule(table, state);
      }, decision.inMs);
    }
  };

  return {
    write(table, rows) {
      if (rows.length === 0) return Promise.resolve();
      const state = stateOf(table);
      const written = new Promise<void>((resolve, reject) => state.waiters.push({ rows, resolve, reject }));
      state.rows.push(...rows);
      schedule(table, state);
      return written;
    },
    async drain() {
      for (const [table, state] of tables) {
        if (state.inFlight !== undefined) await state.inFlight;
        if (state.rows.length > 0) insertNow(table, state);
        if (state.inFlight !== undefined) await state.inFlight;
      }
    },
  };
}
