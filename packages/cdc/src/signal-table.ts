import { SourceTable } from './source-tables.js';

/**
 * Debezium's signal table (schemas/sql/shop.sql, the connector's `signal.data.collection`). A row
 * inserted there reaches the connector through the binlog like any change, and asks it for an action.
 */
export const signalTable = 'shop.debezium_signal';

/** The topic the connector publishes the signal rows to (its `cdc.` prefix and the table's name). */
export const signalTopic = 'cdc.shop.debezium_signal';

/** The columns Debezium reads of a signal row, in the order it requires. */
export const signalColumns: readonly string[] = Object.freeze(['id', 'type', 'data']);

export interface SignalRow {
  readonly id: string;
  readonly type: string;
  readonly data: string;
}

/**
 * A blocking re-snapshot of every captured table: Debezium pauses reading the binlog, reads every row
 * of the tables again (as `r` events, like the initial snapshot), then resumes the binlog where it
 * paused. Unlike deleting the connector's offsets, no change is skipped while it runs.
 */
export function blockingSnapshotSignal(id: string, tables: readonly string[] = Object.values(SourceTable)): SignalRow {
  if (!/^[A-Za-z0-9._:-]{1,64}$/.test(id)) throw new Error(`a signal id is 1 to 64 letters, digits or . _ : -, not ${JSON.stringify(id)}`);
  if (tables.length === 0) throw new Error('a snapshot signal needs at least one table');
  return { id, type: 'execute-snapshot', data: JSON.stringify({ 'data-collections': tables.map((table) => table.replace(/\./g, '\\.')), type: 'blocking' }) };
}

/** A `log` signal: Debezium writes the message to the Connect log when it reads the row. */
export function logSignal(id: string, message: string): SignalRow {
  return { id, type: 'log', data: JSON.stringify({ message }) };
}
