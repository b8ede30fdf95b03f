import { parseArgs } from 'node:util';
import { COMMON_OPTIONS, PROGRAM, positiveNumber, seedOf, usage, type ParseArgsOptionsConfig } from './cli-options.js';
import { Scale, isScale } from './domain/scale.js';
import { TRAFFIC_HELP, TRAFFIC_OPTIONS, parseTrafficOptions, type TrafficCommand } from './traffic-args.js';

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
    }
  | TrafficCommand;

export const HELP = {
  main: `Usage: ${PROGRAM} <command> [options]

Writes a seeded, realistic data marketplace into MariaDB (databases shop and matomo) through SQL,
so Debezium sees real binlog events, and drives storefront traffic against the serving API.
Progress goes to stderr; a JSON summary goes to stdout (bulk and trickle: the distinct primary keys
inserted / updated / deleted per table; traffic: requests, events, orders, errors and those tables).

Commands:
  bulk      generate catalogue, users and weeks of history in one go
  trickle   keep producing live traffic at a fixed rate until stopped
  traffic   storefront traffic against the serving API: recommendations, beacons, orders

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
  traffic: TRAFFIC_HELP,
} as const;

type CommandName = 'bulk' | 'trickle' | 'traffic';

const OPTIONS: Readonly<Record<CommandName, ParseArgsOptionsConfig>> = {
  bulk: { ...COMMON_OPTIONS, scale: { type: 'string' }, append: { type: 'boolean' }, until: { type: 'string' } },
  trickle: { ...COMMON_OPTIONS, rate: { type: 'string' }, duration: { type: 'string' } },
  traffic: { ...COMMON_OPTIONS, ...TRAFFIC_OPTIONS },
};

const isCommandName = (value: string): value is CommandName => Object.hasOwn(OPTIONS, value);

/** Parses `<command> [options]`; every problem is a REC_INVALID_ARGUMENT error with the usage. */
export function parseCommandLine(argv: readonly string[]): Command {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    return { kind: 'help', text: HELP.main };
  }
  if (!isCommandName(command)) throw usage(`unknown command '${command}'`, HELP.main);
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
  if (command === 'traffic') return parseTrafficOptions(values, { seed, summaryFile }, help);

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
