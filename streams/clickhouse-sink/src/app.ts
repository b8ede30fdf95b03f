import { ClickHouseLogLevel, createClient } from '@clickhouse/client';
import { batchConsumerSettings } from '@streamrec/foundation';
import { createProcessRuntime, type Logger, type RunningProcess } from '@streamrec/foundation/process';
import { startBatchConsumer } from '@streamrec/foundation/kafka';
import type { Admin } from 'kafkajs';
import type { ClickHouseSinkConfig } from './config.js';
import { StoredOffsets } from './domain/stored-offsets.js';
import { createClickHouseTables, insertFailureDetails } from './adapters/clickhouse-tables.js';
import { createSinkHandler } from './adapters/sink-handler.js';
import { createSinkMetrics } from './adapters/sink-metrics.js';
import { createTableRoutes } from './adapters/table-routes.js';
import { createTableWriter } from './adapters/table-writer.js';

export const PROCESSOR = 'clickhouse-sink';

/** The running sink (shared shape: ready, metrics port, health, stop). */
export type RunningClickHouseSink = RunningProcess;

/** Wires the sink: one consumer group over the six topics, the table writer, ClickHouse and the metrics server. */
export async function startClickHouseSink(config: ClickHouseSinkConfig, log: Logger): Promise<RunningClickHouseSink> {
  const { kafka, metrics, onStop, stopAll, serve } = createProcessRuntime(config, PROCESSOR, log);
  const sinkMetrics = createSinkMetrics(metrics.registry);
  const client = createClient({
    url: config.clickhouse.url,
    username: config.clickhouse.username,
    password: config.clickhouse.password,
    request_timeout: config.clickhouse.requestTimeoutMs,
    // No per-query settings: the same client code then works for read-only users too.
    compression: { request: false, response: false },
    // Failures surface as retriable AppErrors the consumer loop logs (with the batch); no second log line.
    log: { level: ClickHouseLogLevel.OFF },
  });
  onStop(() => client.close());
  try {
    const tables = createClickHouseTables(client, config.clickhouse.database);
    const groupId = `${PROCESSOR}-${config.groupVersion}`;
    const admin = kafka.admin();
    await admin.connect();
    onStop(() => admin.disconnect());
    const offsets = new StoredOffsets(
      (table, topic) => tables.storedOffsets(table, topic),
      (table, topic, partition, from, to) => tables.presentOffsets(table, topic, partition, from, to),
      (topic) => groupCommittedOffsets(admin, groupId, topic),
    );
    const insertLog = log.child({ module: 'insert' });
    const writer = createTableWriter({
      policy: config.flush,
      now: Date.now,
      insert: async (table, rows) => {
        const stopTimer = sinkMetrics.insertDuration.startTimer({ table });
        try {
          await tables.insert(table, rows);
          sinkMetrics.rowsInserted.inc({ table }, rows.length);
        } catch (error) {
          const failure = insertFailureDetails(error);
          sinkMetrics.insertFailures.inc({ table, class: failure?.failureClass ?? 'transient' });
          // Transient failures are logged by the loop's retry; these need an operator (no row is dropped meanwhile).
          if (failure?.failureClass === 'operator') insertLog.error({ err: error, table, clickHouseCode: failure.clickHouseCode, rows: rows.length }, 'ClickHouse refuses the insert for its schema, grants or configuration; retrying until fixed');
          throw error;
        } finally {
          stopTimer();
        }
      },
    });
    onStop(() => writer.drain());
    const routes = createTableRoutes(config.topics);
    const consumer = await startBatchConsumer(
      {
        processor: PROCESSOR,
        groupId,
        topics: [...routes.keys()],
        // With several partitions at once, their batches wait in the table writer together and share an INSERT.
        ...batchConsumerSettings(config),
      },
      { kafka, metrics, now: Date.now, log: log.child({ module: 'sink' }), handler: createSinkHandler({ routes, offsets, writer, metrics: sinkMetrics }) },
    );
    onStop(() => consumer.stop());
    // After a rebalance another instance may have written a partition we get back: re-read its offset.
    consumer.consumer.on(consumer.consumer.events.GROUP_JOIN, () => offsets.forgetAll());
    const running = await serve([consumer], config.metrics);
    log.info({ groupVersion: config.groupVersion, startFrom: config.startFrom, topics: config.topics, flush: config.flush }, 'clickhouse-sink started');
    return running;
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** The group's committed offsets (the next record to read) of one topic's partitions; those without a commit are left out. */
async function groupCommittedOffsets(admin: Admin, groupId: string, topic: string): Promise<Map<number, bigint>> {
  const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return new Map((committed?.partitions ?? []).filter(({ offset }) => /^\d+$/.test(offset)).map(({ partition, offset }) => [partition, BigInt(offset)]));
}
