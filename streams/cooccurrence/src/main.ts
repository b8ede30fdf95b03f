import { createRootLogger, stopOnSignals, isAppError } from '@streamrec/shared';
import { environmentVariables, loadCooccurrenceConfig } from './config.js';
import { startCooccurrence } from './app.js';

const usage = `Usage: tsx streams/cooccurrence/src/main.ts [--help]

Runs the cooccurrence stream processor: the user stage (events.interactions.v1 → each user's window
in Redis and co-items records on repartition.item-activity.v1) and the item stage
(repartition.item-activity.v1 → item neighbours, transitions and recent users). Metrics on
/metrics and /healthz.

Environment:
${Object.entries(environmentVariables)
  .map(([name, text]) => `  ${name.padEnd(38)} ${text}`)
  .join('\n')}
`;

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(usage);
    return;
  }
  const config = loadCooccurrenceConfig();
  const log = createRootLogger({ name: 'cooccurrence', level: config.log.level, pretty: config.log.pretty });
  const running = await startCooccurrence(config, log);
  stopOnSignals(() => running.stop(), log);
}

main().catch((error: unknown) => {
  process.stderr.write(`cooccurrence: ${isAppError(error) ? `${error.code}: ${error.message}` : String(error instanceof Error ? error.stack : error)}\n`);
  process.exit(1);
});
