/**
 * The erasure CLI (`npm run erase -- --help`): one shop user's data out of the running system, kept out,
 * with an audit row. Progress on stdout, errors on stderr; exit 0 complete, 1 failed or incomplete, 2 usage.
 */
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { kafkaClientOptions } from '@streamrec/foundation';
import { createClickHouseClient } from '@streamrec/foundation/clickhouse';
import { runCli } from '@streamrec/foundation/process';
import { parseCommandLine, type Command } from './cli-args.js';
import { loadEraseConfig } from './config.js';
import { eraseUser } from './erase.js';

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

runCli<Command>({
  name: 'erase',
  parse: parseCommandLine,
  async execute(command) {
    const config = loadEraseConfig();
    const redis = new Redis({ ...config.redis, maxRetriesPerRequest: 3, lazyConnect: true });
    await redis.connect();
    const kafka = new Kafka({ clientId: 'streamrec-erase', ...kafkaClientOptions(config.kafka), logLevel: logLevel.NOTHING, connectionTimeout: 5_000, retry: { retries: 3 } });
    const clickhouse = createClickHouseClient(config.clickhouse);
    try {
      const outcome = await eraseUser(command, config, { redis, kafka, clickhouse }, out);
      for (const problem of outcome.problems) process.stderr.write(`erase: incomplete: ${problem}\n`);
      return outcome.complete ? 0 : 1;
    } finally {
      redis.disconnect();
      await clickhouse.close();
    }
  },
  explain: (error) => (error instanceof Error && /ECONNREFUSED|connect/.test(error.message) ? `cannot reach the stack (${error.message}): is it up? (npm run stack:up)` : undefined),
});
