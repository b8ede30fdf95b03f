import { randomBytes } from 'node:crypto';
import { ClickHouseLogLevel, createClient } from '@clickhouse/client';
import { Kafka, logLevel } from 'kafkajs';
import type { RetrainConfig } from './config.js';
import { createClickHouseTrainingSource } from './adapters/clickhouse-training-source.js';
import { codeVersion } from './adapters/code-version.js';
import { createModelRunsStore } from './adapters/model-runs-table.js';
import type { RetrainDependencies } from './run-retrain.js';

/** The job's real dependencies from its config; `close` ends the ClickHouse client. */
export async function createRetrainDependencies(config: RetrainConfig, progress: (line: string) => void): Promise<{ deps: RetrainDependencies; close: () => Promise<void> }> {
  const clickhouse = createClient({
    url: config.clickhouse.url,
    username: config.clickhouse.username,
    password: config.clickhouse.password,
    request_timeout: config.clickhouse.requestTimeoutMs,
    compression: { request: false, response: false },
    log: { level: ClickHouseLogLevel.OFF },
  });
  const kafka = new Kafka({ clientId: 'streamrec-retrain', brokers: [...config.kafka.brokers], logLevel: logLevel.NOTHING, connectionTimeout: 5_000, retry: { retries: 3 } });
  const deps: RetrainDependencies = {
    config,
    source: createClickHouseTrainingSource(clickhouse),
    runs: createModelRunsStore(clickhouse, config.clickhouse.database),
    kafka,
    now: () => Date.now(),
    randomHex: () => randomBytes(4).toString('hex'),
    codeVersion: await codeVersion(),
    progress,
  };
  return { deps, close: () => clickhouse.close() };
}
