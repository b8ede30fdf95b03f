import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The metrics every stream processor exposes on its /metrics endpoint. */
export interface ProcessorMetrics {
  readonly registry: Registry;
  readonly events: Counter<'topic'>;
  readonly batches: Histogram<'topic'>;
  readonly deadLettered: Counter<'reason'>;
  readonly lag: Gauge<'topic' | 'partition'>;
  /** Event time → state applied, the freshness the storefront sees. */
  readonly freshness: Histogram;
  readonly retries: Counter<'code'>;
  /** 1 while a partition is paused because its log no longer matches its state (assignment-seek.ts: checkStartAgainstLog). */
  readonly logMismatch: Gauge<'topic' | 'partition' | 'kind'>;
  /** Consumer restarts after a crash, by who restarted it (kafkajs itself, or the loop after kafkajs gave up). */
  readonly consumerRestarts: Counter<'by'>;
  /** Batches refused because the state store was behind the consumer (rolled back); the partition was re-read. */
  readonly stateGaps: Counter<'topic'>;
}

export function createProcessorMetrics(processor: string): ProcessorMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ processor });
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    events: new Counter({ name: 'stream_events_total', help: 'Records consumed and applied', labelNames: ['topic'], registers: [registry] }),
    batches: new Histogram({
      name: 'stream_batch_duration_seconds',
      help: 'Time to decode, compute and atomically apply one batch',
      labelNames: ['topic'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    deadLettered: new Counter({ name: 'stream_dead_lettered_total', help: 'Records sent to the dead-letter topic', labelNames: ['reason'], registers: [registry] }),
    lag: new Gauge({ name: 'stream_consumer_lag', help: 'High watermark minus the next offset to apply (after each batch, and every 10 s)', labelNames: ['topic', 'partition'], registers: [registry] }),
    freshness: new Histogram({
      name: 'stream_freshness_seconds',
      help: 'Event time to state applied',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
      registers: [registry],
    }),
    retries: new Counter({ name: 'stream_retries_total', help: 'Batches retried after a retriable error', labelNames: ['code'], registers: [registry] }),
    logMismatch: new Gauge({
      name: 'stream_partition_log_mismatch',
      help: '1 while a partition is paused: its stored offset is beyond the log end (truncated) or before the log start (deleted)',
      labelNames: ['topic', 'partition', 'kind'],
      registers: [registry],
    }),
    consumerRestarts: new Counter({
      name: 'stream_consumer_restarts_total',
      help: 'Consumer restarts after a crash: by kafkajs (a retriable error) or by the loop (kafkajs gave up on a broker or client error)',
      labelNames: ['by'],
      registers: [registry],
    }),
    stateGaps: new Counter({
      name: 'stream_state_gaps_total',
      help: 'Batches refused because the state store was behind the consumer (Redis rolled back); the partition was re-read from the stored offset',
      labelNames: ['topic'],
      registers: [registry],
    }),
  };
}
