import { Counter, Histogram, type Registry } from 'prom-client';

/** The sink's own metrics, beside the shared stream_* ones on the same /metrics. */
export interface SinkMetrics {
  readonly rowsInserted: Counter<'table'>;
  readonly insertDuration: Histogram<'table'>;
  /** Records at or below a table's stored offset, dropped because the table already has them. */
  readonly alreadyStored: Counter<'topic'>;
  /** Failed INSERTs (bisection parts included) by class: transient, rows, operator (`domain/insert-failure.ts`). */
  readonly insertFailures: Counter<'table' | 'class'>;
  /** Rows ClickHouse refused, isolated by bisection; their records go to the DLQ. */
  readonly rowsRefused: Counter<'table'>;
}

export function createSinkMetrics(registry: Registry): SinkMetrics {
  return {
    rowsInserted: new Counter({ name: 'clickhouse_sink_rows_inserted_total', help: 'Rows inserted into ClickHouse', labelNames: ['table'], registers: [registry] }),
    insertDuration: new Histogram({
      name: 'clickhouse_sink_insert_duration_seconds',
      help: 'Duration of one INSERT (one block) into ClickHouse, failed ones included',
      labelNames: ['table'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    alreadyStored: new Counter({
      name: 'clickhouse_sink_already_stored_total',
      help: 'Records skipped because their table already holds their offset (re-read after a crash or a new group)',
      labelNames: ['topic'],
      registers: [registry],
    }),
    insertFailures: new Counter({
      name: 'clickhouse_sink_insert_failures_total',
      help: 'Failed INSERTs by class: transient (retried), rows (bisected, refused rows dead-lettered), operator (schema/grants/config; retried until fixed)',
      labelNames: ['table', 'class'],
      registers: [registry],
    }),
    rowsRefused: new Counter({
      name: 'clickhouse_sink_rows_refused_total',
      help: 'Rows ClickHouse refused as data errors, isolated by bisection; their records are dead-lettered',
      labelNames: ['table'],
      registers: [registry],
    }),
  };
}
