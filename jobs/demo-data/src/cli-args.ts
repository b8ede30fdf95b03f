import { parseArgs, type ParseArgsConfig } from 'node:util';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;
import { AppError, ErrorCode } from '@streamrec/foundation';
import { Scale, isScale } from './domain/scale.js';

export type Command =
  | { readonly kind: 'help'; readonly text: string }
  | {
      readonly kind: 'bulk';
      readonly seed: number;
      readonly scale: Scale;
      readonly append: boolean;
      readonly until: Date | null;
      readonly summaryFile: string | null;
    }
  | {
      readonly kind: 'trickle';
      readonly seed: number;
      readonly eventsPerSecond: number;
      readonly durationSeconds: number | null;
      readonly summaryFile: string | null;
    };

const PROGRAM = 'npm run demo:generate --';

export const HELP = {
  main: `Usage: ${PROGRAM} <command> [options]

Writes a seeded, realistic data marketplace into MariaDB (databases shop and matomo) through SQL,
so Debezium sees real binlog events. Progress goes to stderr; a JSON summary of the distinct
primary keys inserted / updated / deleted per table goes to stdout.

Commands:
  bulk      generate catalogue, users and weeks of history in one go
  trickle   keep producing live traffic at a fixed rate until stopped

Run '${PROGRAM} <command> --help' for the options of a command.`,
  bulk: `Usage: ${PROGRAM} bulk [--seed N] [--scale small|medium|large] [--append] [--until ISO-8601] [--summary FILE]

  --seed N        seed of every random choice (default 1); same seed on an empty DB → same rows
  --scale S       small: ~300 datasets, ~200 users, 7 days (seconds; for tests)
                  medium (default): ~3,000 datasets, ~2,000 users, 30 days
                  large: 10x medium
  --append        allow running on a database that already has rows (adds a new population)
  --until T       end of the generated history (default: now); pin it for byte-identical runs
  --summary FILE  also write the JSON summary to FILE
  -h, --help      show this help

Refuses to run on a non-empty database unless --append is given.`,
  trickle: `Usage: ${PROGRAM} trickle [--seed N] [--rate EVENTS_PER_SEC] [--duration SEC] [--summary FILE]

  --seed N        seed of every random choice (default 1)
  --rate R        events (visit steps and catalogue/account/order changes) per second (default 5)
  --duration SEC  stop after SEC seconds (default: run until SIGINT/SIGTERM)
  --summary FILE  also write the JSON summary to FILE
  -h, --help      show this help

Needs a catalogue and users (run bulk first). Safe to repeat: ids come from auto-increment and
existing log_action rows are reused. On SIGINT/SIGTERM the current transaction completes first.`,
} as const;

const COMMON_OPTIONS: ParseArgsOptionsConfig = {
  help: { type: 'boolean', short: 'h' },
  seed: { type: 'string' },
  summary: { type: 'string' },
};

const OPTIONS: Readonly<Record<'bulk' | 'trickle', ParseArgsOptionsConfig>> = {
  bulk: { ...COMMON_OPTIONS, scale: { type: 'string' }, append: { type: 'boolean' }, until: { type: 'string' } },
  trickle: { ...COMMON_OPTIONS, rate: { type: 'string' }, duration: { type: 'string' } },
};

const usage = (message: string, help: string): AppError =>
  new AppError(ErrorCode.InvalidArgument, `${message}\n\n${help}`);

function positiveNumber(raw: string | undefined, name: string, help: string, integer: boolean): number | null {
  if (raw === undefined) return null;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw usage(`--${name} must be a positive ${integer ? 'integer' : 'number'}, got '${raw}'`, help);
  }
  return value;
}

function seedOf(raw: string | undefined, help: string): number {
  if (raw === undefined) return 1;
  if (!/^\d{1,15}$/.test(raw)) throw usage(`--seed must be a non-negative integer, got '${raw}'`, help);
  return Number(raw);
}

/** Parses `<command> [options]`; every problem is a REC_INVALID_ARGUMENT error with the usage. */
export function parseCommandLine(argv: readonly string[]): Command {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    return { kind: 'help', text: HELP.main };
  }
  if (command !== 'bulk' && command !== 'trickle') throw usage(`unknown command '${command}'`, HELP.main);
  const help = HELP[command];
  let values: Readonly<Record<string, unknown>>;
  try {
    ({ values } = parseArgs({ args: [...rest], strict: true, allowPositionals: false, options: OPTIONS[command] }));
  } catch (error) {
    throw usage(error instanceof Error ? error.message : String(error), help);
  }
  if (values['help'] === true) return { kind: 'help', text: help };
  const str = (name: string): string | undefined => {
    const value = values[name];
    return typeof value === 'string' ? value : undefined;
  };
  const seed = seedOf(str('seed'), help);
  const summaryFile = str('summary') ?? null;

  if (command === 'bulk') {
    const scale = str('scale') ?? Scale.Medium;
    if (!isScale(scale)) throw usage(`--scale must be small, medium or large, got '${scale}'`, help);
    const untilRaw = str('until');
    const until = untilRaw === undefined ? null : new Date(untilRaw);
    if (until !== null && Number.isNaN(until.getTime())) throw usage(`--until is not a date: '${untilRaw}'`, help);
    return { kind: 'bulk', seed, scale, append: values['append'] === true, until, summaryFile };
  }
  return {
    kind: 'trickle',
    seed,
    eventsPerSecond: positiveNumber(str('rate'), 'rate', help, false) ?? 5,
    durationSeconds: positiveNumber(str('duration'), 'duration', help, false),
    summaryFile,
  };
}
