/** The exporters' pure parts: the exposition format, Alertmanager's payload, binlog arithmetic, the metric families. */
export { EXPOSITION_CONTENT_TYPE, metricName, renderExposition, single, type Family, type MetricType, type Sample } from './domain/exposition.js';
export { alertLines, notificationSchema, parseNotification, toNdjson, type AlertLine, type Notification } from './domain/alertmanager-webhook.js';
export { binlogFileIndex, connectorBinlogStatus, type BinaryLog, type BinlogPosition, type ConnectorBinlogStatus } from './domain/binlog-position.js';
export { binlogOffsets, type BinlogOffset } from './domain/connect-offsets.js';
export { binlogFamilies, type BinlogSnapshot, type CommittedOffset, type MariaDbBinlogState } from './domain/binlog-families.js';
export { ALWAYS_EXPORTED_EVENTS, clickHouseFamilies, type ClickHouseSystemState, type NamedValue, type TableStats } from './domain/clickhouse-families.js';
export { promqlMetricNames } from './domain/promql-names.js';
