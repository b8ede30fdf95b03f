/** The running ClickHouse sink and its configuration. */
export { PROCESSOR, startClickHouseSink, type RunningClickHouseSink } from './app.js';
export { clickHouseSinkConfigSchema, environmentVariables, loadClickHouseSinkConfig, parseClickHouseSinkConfig, type ClickHouseSinkConfig, type ClickHouseSinkConfigInput } from './config.js';
/** The statement the sink stops its own INSERT with after a client timeout (exported for the integration test). */
export { stopQuery } from './adapters/clickhouse-tables.js';
