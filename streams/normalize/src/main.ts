import { createRootLogger, stopOnSignals } from '@streamrec/foundation/process';
import { startNormalize } from './app.js';
import { configVariables, loadNormalizeConfig } from './config.js';

const help = `Usage: npx tsx streams/normalize/src/main.ts

Consumes the 10 cdc.* topics with one consumer, produces events.interactions.v1, events.items.v1,
events.users.v1 and dlq.normalize, and keeps its state under sr:<version>:{normalize}:* in Redis.
Configuration comes from the environment (and infra/local/stack.env, .stack/secrets.env):
  ${configVariables.join('\n  ')}
See streams/normalize/README.md, section "Running".`;

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(`${help}\n`);
    return;
  }
  const config = loadNormalizeConfig();
  const log = createRootLogger({ name: 'normalize', level: config.logLevel, pretty: config.logPretty });
  const running = await startNormalize(config, { log });
  stopOnSignals(() => running.stop(), log);
}

main().catch((err: unknown) => {
  process.stderr.write(`normalize failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
