import { randomBytes } from 'node:crypto';
import { createClickHouseClient } from '@streamrec/foundation/clickhouse';
import { Kafka, logLevel } from 'kafkajs';
import { kafkaClientOptions } from '@streamrec/foundation';
import type { ScoreOptions } from './cli-args.js';
import type { RetrainConfig } from './config.js';
import { createClickHouseOfflineSource, createClickHouseTrainingSource } from './adapters/clickhouse-training-source.js';
import { codeVersion } from './adapters/code-version.js';
import { createModelRunsStore } from './adapters/model-runs-table.js';
import type { RetrainDependencies } from './run-retrain.js';
import type { OfflineScoreDependencies } from './score-offline.js';

function kafkaClient(config: RetrainConfig): Kafka {
  return new Kafka({ clientId: 'streamrec-retrain', ...kafkaClientOptions(config.kafka), logLevel: logLevel.NOTHING, connectionTimeout: 5_000, retry: { retries: 3 } });
}

/** `score`'s dependencies: ClickHouse for the logged rows, Kafka for the models topics. */
export function createOfflineScoreDependencies(config: RetrainConfig, options: Pick<ScoreOptions, 'topic' | 'historyTopic'>, progress: (line: string) => void): { deps: OfflineScoreDependencies; close: () => Promise<void> } {
  const clickhouse = createClickHouseClient(config.clickhouse);
  const deps: OfflineScoreDependencies = {
    source: createClickHouseOfflineSource(clickhouse),
    kafka: kafkaClient(config),
    database: config.clickhouse.database,
    topics: { published: options.topic ?? config.topics.published, history: options.historyTopic ?? config.topics.history },
    progressIntervalMs: config.progressIntervalMs,
    now: () => Date.now(),
    progress,
  };
  return { deps, close: () => clickhouse.close() };
}

/** The job's real dependencies from its config; `close` ends the ClickHouse client. */
export async function createRetrainDependencies(config: RetrainConfig, progress: (line: string) => void): Promise<{ deps: RetrainDependencies; close: () => Promise<void> }> {
  const clickhouse = createClickHouseClient(config.clickhouse);
  const kafka = kafkaClient(config);
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
