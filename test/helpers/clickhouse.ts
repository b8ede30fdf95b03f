import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { stackEnv } from './stack.js';

/** A client for the local stack's ClickHouse as the application user. */
export function createClickHouse(): ClickHouseClient {
  return createClient({
    url: `http://${stackEnv['STREAMREC_HOST'] ?? '127.0.0.1'}:${stackEnv['STREAMREC_CLICKHOUSE_HTTP_PORT'] ?? ''}`,
    username: stackEnv['STREAMREC_CLICKHOUSE_USER'] ?? 'streamrec',
    password: stackEnv['STREAMREC_CLICKHOUSE_PASSWORD'] ?? '',
  });
}
