import { isAppError } from '../errors.js';
import { createRootLogger, type Logger } from './logger.js';
import { stopOnSignals } from './shutdown.js';

/** What a started stream process offers its entry point and its tests. */
export interface RunningProcess {
  /** Resolves once every consumer has fetched once (offsets resolved: a `latest` start is fixed). */
  ready(): Promise<void>;
  metricsPort(): number;
  isHealthy(): boolean;
  stop(): Promise<void>;
}

export interface ProcessEntryPoint<Config extends { readonly log: { readonly level: string; readonly pretty: boolean } }> {
  /** The process name: logger name and error prefix. */
  readonly name: string;
  /** The `--help` text above the environment variables. */
  readonly usage: string;
  readonly environmentVariables: Readonly<Record<string, string>>;
  readonly loadConfig: () => Config;
  readonly start: (config: Config, log: Logger) => Promise<{ stop(): Promise<void> }>;
}

/** `main` of a stream process: `--help`, config (fails fast, every violation listed), start, stop on signals. */
export function runProcess<Config extends { readonly log: { readonly level: string; readonly pretty: boolean } }>(entry: ProcessEntryPoint<Config>): void {
  const main = async (): Promise<void> => {
    if (process.argv.includes('--help') || process.argv.includes('-h')) {
      const variables = Object.entries(entry.environmentVariables).map(([name, text]) => `  ${name.padEnd(34)} ${text}`);
      process.stdout.write(`${entry.usage.trimEnd()}\n\nEnvironment:\n${variables.join('\n')}\n`);
      return;
    }
    const config = entry.loadConfig();
    const log = createRootLogger({ name: entry.name, level: config.log.level, pretty: config.log.pretty });
    const running = await entry.start(config, log);
    stopOnSignals(() => running.stop(), log);
  };
  main().catch((error: unknown) => {
    process.stderr.write(`${entry.name}: ${isAppError(error) ? `${error.code}: ${error.message}` : String(error instanceof Error ? error.stack : error)}\n`);
    process.exit(1);
  });
}
