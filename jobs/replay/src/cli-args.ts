import { parseArgs } from 'node:util';
import { AppError, ErrorCode, parseStartAt, parseStateVersion, type StateVersion } from '@streamrec/foundation';
import { ReplayProcessor, isReplayProcessor } from './domain/replay-processors.js';

export interface BuildCommand {
  readonly kind: 'build';
  readonly to: StateVersion;
  readonly processors: readonly ReplayProcessor[];
  readonly fromTimestampMs: number | undefined;
  readonly force: boolean;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly logDir: string | undefined;
  /** JSON merged over each processor's topics (STREAMREC_<P>_TOPICS), e.g. for test-owned topics. */
  readonly topicsJson: string | undefined;
}

export type Command =
  | { readonly kind: 'help'; readonly text: string }
  | BuildCommand
  | { readonly kind: 'compare'; readonly a: StateVersion; readonly b: StateVersion; readonly strictOffsets: boolean; readonly exact: boolean; readonly show: number }
  | { readonly kind: 'switch'; readonly to: StateVersion; readonly expect: StateVersion | undefined }
  | { readonly kind: 'status' }
  | { readonly kind: 'drop'; readonly version: StateVersion };

const PROGRAM = 'npm run replay --';

export const HELP = {
  main: `Usage: ${PROGRAM} <command> [options]

Rebuilds stream-processor state into a new state version beside the live one, compares versions,
and switches readers (sr:active-version) atomically. Runbook: docs/replay.md.

Commands:
  build     run processors from offset 0 (or a timestamp) into a new version until caught up
  rerun     re-run one processor from a timestamp into a given version
  compare   compare two versions key by key and their stored offsets (exit 1 when they differ)
  switch    point readers at another version (compare-and-set)
  status    active version, versions present, key counts and stored offsets
  drop      delete a version's keys (never the active one)

Run '${PROGRAM} <command> --help' for its options. Exit codes: 0 ok, 1 failed or different, 2 usage.`,
  build: `Usage: ${PROGRAM} build --to vN [--processors all|features,cooccurrence,trending] [--from-timestamp T] [--force]
           [--interval S] [--timeout S] [--log-dir DIR] [--topics JSON]

  --to vN              the new state version (never the active one)
  --processors LIST    comma-separated processors, or all (default all = ${Object.values(ReplayProcessor).join(',')})
  --from-timestamp T   start at the first record at or after T (ISO-8601 with zone, or epoch ms) instead of offset 0
  --force              delete vN's existing keys first (refused for the active version)
  --interval S         seconds between progress lines (default 5)
  --timeout S          give up after S seconds (default 3600)
  --log-dir DIR        where the processes' logs go (default .stack/logs)
  --topics JSON        topic names merged over each processor's defaults (STREAMREC_<P>_TOPICS)

Runs each processor (streams/<p>/src/main.ts) in a child process with STATE_VERSION=vN, a fresh group
version and START_FROM=earliest, waits until every input partition's stored offset in vN reaches the end
offsets captured at the start (user stages first, then the repartition topic), then stops them.`,
  rerun: `Usage: ${PROGRAM} rerun --processor P --from-timestamp T --version vN [--force] [build options]

Re-runs one processor (${Object.values(ReplayProcessor).join(' | ')}) from T into vN: build with one processor.`,
  compare: `Usage: ${PROGRAM} compare --a vA --b vB [--strict-offsets] [--exact] [--show N]

Key by key; floats that differ only by rounding (relative 1e-9: an item's decayed sums added in another
order) are reported in their own column and count as equal unless --exact.

  --strict-offsets  also fail when the stored offsets differ (by default they are reported only)
  --exact           also fail when values are equal only within float rounding
  --show N          list up to N differing keys (default 10)`,
  switch: `Usage: ${PROGRAM} switch --to vN [--expect vM]

Sets sr:active-version to vN if it still holds vM (default: the value read just before), atomically.`,
  status: `Usage: ${PROGRAM} status`,
  drop: `Usage: ${PROGRAM} drop --version vN   (refused for the active version)`,
} as const;

function usage(message: string): AppError {
  return new AppError(ErrorCode.InvalidArgument, message);
}

function version(value: string | undefined, option: string): StateVersion {
  if (value === undefined) throw usage(`${option} is required`);
  try {
    return parseStateVersion(value);
  } catch (error) {
    throw usage(`${option}: ${(error as Error).message}`);
  }
}

function positiveSeconds(value: string | undefined, option: string, fallback: number): number {
  if (value === undefined) return fallback * 1000;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) throw usage(`${option} must be a positive number of seconds, got ${JSON.stringify(value)}`);
  return Math.round(seconds * 1000);
}

function timestamp(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseStartAt(value);
  if (ms === undefined) throw usage(`--from-timestamp must be ISO-8601 with a zone (2026-03-01T00:00:00Z) or epoch ms, got ${JSON.stringify(value)}`);
  return ms;
}

export function parseProcessors(value: string | undefined): ReplayProcessor[] {
  if (value === undefined || value === 'all') return Object.values(ReplayProcessor);
  const names = value.split(',').map((name) => name.trim()).filter((name) => name.length > 0);
  const unknown = names.filter((name) => !isReplayProcessor(name));
  if (unknown.length > 0 || names.length === 0) throw usage(`--processors: unknown ${unknown.join(', ') || '(empty)'}; choose from ${Object.values(ReplayProcessor).join(', ')} or all`);
  return [...new Set(names)] as ReplayProcessor[];
}

const buildOptions = {
  'from-timestamp': { type: 'string' },
  force: { type: 'boolean', default: false },
  interval: { type: 'string' },
  timeout: { type: 'string' },
  'log-dir': { type: 'string' },
  topics: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

function buildCommand(values: Record<string, string | boolean | undefined>, to: StateVersion, processors: ReplayProcessor[]): BuildCommand {
  const text = (name: string): string | undefined => (typeof values[name] === 'string' ? values[name] : undefined);
  return {
    kind: 'build',
    to,
    processors,
    fromTimestampMs: timestamp(text('from-timestamp')),
    force: values['force'] === true,
    intervalMs: positiveSeconds(text('interval'), '--interval', 5),
    timeoutMs: positiveSeconds(text('timeout'), '--timeout', 3600),
    logDir: text('log-dir'),
    topicsJson: text('topics'),
  };
}

export function parseCommandLine(argv: readonly string[]): Command {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') return { kind: 'help', text: HELP.main };
  const parse = <O extends Record<string, { type: 'string' | 'boolean'; short?: string; default?: string | boolean }>>(options: O) => {
    try {
      return parseArgs({ args: [...rest], options: { ...options, help: { type: 'boolean', short: 'h', default: false } }, allowPositionals: false, strict: true }).values as Record<string, string | boolean | undefined>;
    } catch (error) {
      throw usage(`${name}: ${(error as Error).message}`);
    }
  };
  switch (name) {
    case 'build': {
      const values = parse({ ...buildOptions, to: { type: 'string' }, processors: { type: 'string' } });
      if (values['help'] === true) return { kind: 'help', text: HELP.build };
      return buildCommand(values, version(values['to'] as string | undefined, '--to'), parseProcessors(values['processors'] as string | undefined));
    }
    case 'rerun': {
      const values = parse({ ...buildOptions, processor: { type: 'string' }, version: { type: 'string' } });
      if (values['help'] === true) return { kind: 'help', text: HELP.rerun };
      const processor = values['processor'] as string | undefined;
      if (processor === undefined || !isReplayProcessor(processor)) throw usage(`--processor must be one of ${Object.values(ReplayProcessor).join(', ')}`);
      if (values['from-timestamp'] === undefined) throw usage('--from-timestamp is required');
      return buildCommand(values, version(values['version'] as string | undefined, '--version'), [processor]);
    }
    case 'compare': {
      const values = parse({ a: { type: 'string' }, b: { type: 'string' }, 'strict-offsets': { type: 'boolean', default: false }, exact: { type: 'boolean', default: false }, show: { type: 'string' } });
      if (values['help'] === true) return { kind: 'help', text: HELP.compare };
      const show = values['show'] === undefined ? 10 : Number(values['show']);
      if (!Number.isInteger(show) || show < 0) throw usage('--show must be a non-negative integer');
      const a = version(values['a'] as string | undefined, '--a');
      const b = version(values['b'] as string | undefined, '--b');
      if (a === b) throw usage('--a and --b must be different versions');
      return { kind: 'compare', a, b, strictOffsets: values['strict-offsets'] === true, exact: values.exact === true, show };
    }
    case 'switch': {
      const values = parse({ to: { type: 'string' }, expect: { type: 'string' } });
      if (values['help'] === true) return { kind: 'help', text: HELP.switch };
      const expected = values['expect'] as string | undefined;
      return { kind: 'switch', to: version(values['to'] as string | undefined, '--to'), expect: expected === undefined ? undefined : version(expected, '--expect') };
    }
    case 'status': {
      const values = parse({});
      return values['help'] === true ? { kind: 'help', text: HELP.status } : { kind: 'status' };
    }
    case 'drop': {
      const values = parse({ version: { type: 'string' } });
      if (values['help'] === true) return { kind: 'help', text: HELP.drop };
      return { kind: 'drop', version: version(values['version'] as string | undefined, '--version') };
    }
    default:
      throw usage(`unknown command ${JSON.stringify(name)}; run with --help`);
  }
}
