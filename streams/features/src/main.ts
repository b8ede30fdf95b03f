import { createRootLogger, stopOnSignals, isAppError } from '@streamrec/shared';
import { environmentVariables, loadFeaturesConfig } from './config.js';
import { startFeatures } from './app.js';

const usage = `Usage: tsx streams/features/src/main.ts [--help]

Runs the features stream processor: the user stage (events.interactions.v1 → user features in Redis
and repartition.item-activity.v1) and the item stage (repartition.item-activity.v1 → item features),
with the item catalogue read from events.items.v1. Metrics on /metrics and /healthz.

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
  const config = loadFeaturesConfig();
  const log = createRootLogger({ name: 'features', level: config.log.level, pretty: config.log.pretty });
  const running = await startFeatures(config, log);
  stopOnSignals(() => running.stop(), log);
}

main().catch((error: unknown) => {
  process.stderr.write(`features: ${isAppError(error) ? `${error.code}: ${error.message}` : String(error instanceof Error ? error.stack : error)}\n`);
  process.exit(1);
});
