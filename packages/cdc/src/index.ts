/**
 * The CDC contract between the Debezium connector and its consumers (normalize, the ClickHouse sink):
 * how Debezium's JSON converter spells each source column, which columns each source table has, the
 * topic of each table, and the binlog ordering of changes to one row. Pure.
 */
export {
  ColumnProblem,
  canonicalMoney,
  decodeRow,
  double,
  epochMs,
  hex8,
  integer,
  invalid,
  money,
  naturalNumber,
  nullable,
  text,
  uint32,
  type ColumnRejection,
  type ColumnSpec,
  type Decoded,
  type Decoder,
  type RowOf,
} from './columns.js';
export * from './source-rows.js';
export { SourceTable, cdcTopicOf, cdcTopics, tableOfTopic } from './source-tables.js';
export { sourceVersionOf, supersedes, type BinlogPosition, type SourceVersion } from './source-version.js';
export { capturedColumns, columnIncludeList, tableIncludeList } from './captured-columns.js';
export { blockingSnapshotSignal, logSignal, signalColumns, signalTable, signalTopic, type SignalRow } from './signal-table.js';
