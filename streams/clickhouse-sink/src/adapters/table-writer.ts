import { flushDecision, type FlushPolicy } from '../domain/flush-policy.js';
import type { SinkTable } from '../domain/sink-tables.js';
import type { SinkRow } from './table-routes.js';

/** Buffers rows per table and inserts them by the flush policy; `write` resolves once its rows are in ClickHouse. */
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
 * One insert at a time per table, so blocks land in offset order. The consumer loop awaits `write`
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
    state.inFlight = deps.insert(table, rows).then(
      () => waiters.forEach((waiter) => waiter.resolve()),
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
      const written = new Promise<void>((resolve, reject) => state.waiters.push({ resolve, reject }));
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
