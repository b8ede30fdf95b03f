import { createRootLogger, stopOnSignals, isAppError } from '@streamrec/shared';
import { environmentVariables, loadTrendingConfig } from './config.js';
import { startTrending } from './app.js';

const usage = `Usage: tsx streams/trending/src/main.ts [--help]

Runs the trending stream processor: the item stage (repartition.item-activity.v1 → hot-list buckets
for 1 h, 24 h and 7 days in Redis) and the catalogue relay (events.items.v1 → availability records on
repartition.item-activity.v1 for unavailable or deleted items). Dead letters to dlq.trending.
Metrics on /metrics and /healthz.

Environment:
${Object.entries(environmentVariables)
  .map(([name, text]) => `  ${name.padEnd(34)} ${text}`)
  .join('\n')}
`;

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(usage);
    return;
  }
  const config = loadTrendingConfig();
  const log = createRootLogger({ name: 'trending', level: config.log.level, pretty: config.log.pretty });
  const running = await startTrending(config, log);
  stopOnSignals(() => running.stop(), log);
}

main().catch((error: unknown) => {
  process.stderr.write(`trending: ${isAppError(error) ? `${error.code}: ${error.message}` : String(error instanceof Error ? error.stack : error)}\n`);
  process.exit(1);
});
