import { randomBytes } from 'node:crypto';
import { createClickHouseClient, selectOnlyReader } from '@streamrec/foundation/clickhouse';
import { dqRunsStore } from './adapters/dq-runs-store.js';
import { kafkaTopicReader } from './adapters/kafka-topics.js';
import type { DqStack } from './config.js';
import type { DqDependencies } from './run-dq.js';

/** The job's real dependencies; `close` ends the ClickHouse client. */
export function createDqDependencies(stack: DqStack, progress: (line: string) => void): { deps: DqDependencies; close: () => Promise<void> } {
  const clickhouse = createClickHouseClient(stack.clickhouse);
  return {
    deps: {
      reader: selectOnlyReader(clickhouse, 'the data-quality job'),
      topics: kafkaTopicReader(stack.kafka),
      runs: dqRunsStore(clickhouse, stack.clickhouse.database),
      now: () => Date.now(),
      randomSuffix: () => randomBytes(3).toString('hex'),
      progress,
    },
    close: () => clickhouse.close(),
  };
}
