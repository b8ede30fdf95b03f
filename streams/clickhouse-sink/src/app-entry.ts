/** The running ClickHouse sink and its configuration. */
export { PROCESSOR, startClickHouseSink, type RunningClickHouseSink } from './app.js';
export { clickHouseSinkConfigSchema, environmentVariables, loadClickHouseSinkConfig, parseClickHouseSinkConfig, type ClickHouseSinkConfig, type ClickHouseSinkConfigInput } from './config.js';
