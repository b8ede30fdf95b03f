import { randomBytes } from 'node:crypto';
import { clickHouseReader, createClickHouse, dqRunsStore } from './adapters/clickhouse.js';
import { kafkaTopicReader } from './adapters/kafka-topics.js';
import type { DqStack } from './config.js';
import type { DqDependencies } from './run-dq.js';

/** The job's real dependencies; `close` ends the ClickHouse client. */
export function createDqDependencies(stack: DqStack, progress: (line: string) => void): { deps: DqDependencies; close: () => Promise<void> } {
  const clickhouse = createClickHouse(stack);
  return {
    deps: {
      reader: clickHouseReader(clickhouse),
      topics: kafkaTopicReader(stack.kafka.brokers),
      runs: dqRunsStore(clickhouse, stack.clickhouse.database),
      now: () => Date.now(),
      randomSuffix: () => randomBytes(3).toString('hex'),
      progress,
    },
    close: () => clickhouse.close(),
  };
}
