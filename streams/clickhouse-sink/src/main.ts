import { runProcess } from '@streamrec/foundation/process';
import { environmentVariables, loadClickHouseSinkConfig } from './config.js';
import { startClickHouseSink } from './app.js';

runProcess({
  name: 'clickhouse-sink',
  usage: `Usage: tsx streams/clickhouse-sink/src/main.ts [--help]

Runs the ClickHouse sink: events.interactions.v1, serving.exposures.v1, events.items.v1,
events.users.v1 (Avro) and cdc.shop.orders, cdc.shop.order_items (Debezium JSON) → the tables
streamrec.interactions, exposures, items, users, orders, order_items. Batched per table, exactly
once per Kafka record (each row carries its kafka_topic/partition/offset; records at or below a
table's stored offset are skipped). Poison goes to dlq.clickhouse-sink. Metrics on /metrics and /healthz.`,
  environmentVariables,
  loadConfig: () => loadClickHouseSinkConfig(),
  start: startClickHouseSink,
});
