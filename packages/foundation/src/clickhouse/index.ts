/** ClickHouse plumbing of the jobs: the HTTP client as every job configures it, and a select-only reader. */
export { createClickHouseClient, errorText, selectOnlyReader, type SelectOnlyReader } from './clickhouse-client.js';
