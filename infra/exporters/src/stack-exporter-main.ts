import { runProcess } from '@streamrec/foundation/process';
import { loadStackExporterConfig, stackExporterEnvironment } from './config.js';
import { startStackExporter } from './stack-exporter.js';

runProcess({
  name: 'stack-exporter',
  usage: `Usage: tsx infra/exporters/src/stack-exporter-main.ts [--help]

Prometheus metrics the local stack's servers do not serve themselves:
  GET /metrics/clickhouse  ClickHouse system.metrics, system.events, system.asynchronous_metrics (named as
                           ClickHouse's own endpoint names them) and rows, parts and newest write per table
  GET /metrics/binlog      MariaDB's binary logs and the position each Debezium connector has committed
  GET /metrics             the exporter's own process and scrape results
Started by \`npm run stack:up\` as the stack-exporter component.`,
  environmentVariables: stackExporterEnvironment,
  loadConfig: () => loadStackExporterConfig(),
  start: startStackExporter,
});
