import { AppError, ErrorCode, durationMs, parsePortFlag, parseTimeFlag } from '@streamrec/foundation';
import { chooseCommand, parseCommandArgs } from '@streamrec/foundation/process';
import { DEFAULT_METRICS_PORT, environmentVariables } from './config.js';
import { DEFAULT_SINCE, type Since } from './domain/window.js';

export const DEFAULT_OUT_DIR = '.stack/experiments/latest';

export interface ReportOptions {
  /** undefined: every experiment with exposures in the window or enabled in the config. */
  readonly experiment: string | undefined;
  readonly control: string | undefined;
  readonly since: Since;
  /** undefined: now (at each run). */
  readonly untilMs: number | undefined;
  readonly outDir: string;
  /** undefined: STREAMREC_EXPERIMENTS_FILE or config/experiments.yaml. */
  readonly configFile: string | undefined;
}

export interface LoopOptions extends ReportOptions {
  readonly everyMs: number;
  /** undefined: STREAMREC_EXPERIMENTS_METRICS_PORT or the default. */
  readonly port: number | undefined;
}

export type ExperimentsCommand = { readonly kind: 'help'; readonly text: string } | ({ readonly kind: 'report' } & ReportOptions) | ({ readonly kind: 'loop' } & LoopOptions);

export const HELP = `Usage: npm run experiments -- report [--experiment ID] [--since TIME|7d] [--until TIME] [--out-dir DIR] [options]
       npm run experiments -- loop [--every 1h] [--port ${DEFAULT_METRICS_PORT}] [options]

The readout of the storefront's A/B experiments (config/experiments.yaml), from ClickHouse: per
experiment and variant the users, answers (requests), shown items (exposures), clicks and downloads
attributed to those answers by request_id, purchases and revenue after the user's first exposure; CTR,
conversion and revenue per user with confidence intervals (delta method, the user as the unit); the
relative lift of each variant over control with its interval; a sample-ratio-mismatch check (chi-square
of users per variant against the configured shares: p < 0.001 marks the readout INVALID); the share of
degraded answers per variant (flagged when one is far above the others). Writes report.json,
report.html (self-contained, with charts) and metrics.prom to the output directory and prints a table.
Read-only. Needs ClickHouse (npm run stack:status). See docs/experiments.md.

  report               one readout (the default)
  loop                 a readout now and then every --every into --out-dir, /metrics served on --port
                       until SIGTERM / Ctrl-C

Options:
  --experiment ID      only this experiment (default: every experiment with exposures in the window and
                       every enabled one in the config)
  --control NAME       the control variant (default: "control", else the config's first variant)
  --since TIME|AGO     start of the window: ISO 8601 with a zone (2026-12-01T00:00:00Z), a UTC date
                       (2026-12-01), or a duration before --until: 30m, 12h, 7d (default 14d)
  --until TIME         end of the window (exclusive), ISO 8601 or a date (report only; default now)
  --out-dir DIR        where the files go (default ${DEFAULT_OUT_DIR}; created if missing)
  --config FILE        the experiments config (default $STREAMREC_EXPERIMENTS_FILE or config/experiments.yaml)
  --every DURATION     loop: time between readouts, e.g. 15m, 1h (default 1h, at least 1m)
  --port PORT          loop: /metrics port (default $STREAMREC_EXPERIMENTS_METRICS_PORT or ${DEFAULT_METRICS_PORT}; 0 = any free port)
  -h, --help           this text (also after report or loop)

Exit codes: 0 every readout valid (or unchecked / no data), 1 a readout is INVALID (sample ratio
mismatch) or the run failed, 2 usage. A loop exits 0 on SIGTERM.

Environment:
${Object.entries(environmentVariables).map(([name, text]) => `  ${name.padEnd(40)}${text}`).join('\n')}`;

const usage = (message: string): AppError => new AppError(ErrorCode.InvalidArgument, `${message} (npm run experiments -- --help)`);

const parseTime = (value: string, flag: string): number => parseTimeFlag(value, flag, usage);

export function parseSince(value: string): Since {
  const ago = durationMs(value);
  if (ago !== undefined) {
    if (ago <= 0) throw usage(`--since must be a positive duration, got '${value}'`);
    return { kind: 'ago', ms: ago };
  }
  return { kind: 'time', ms: parseTime(value, '--since') };
}

/** The API's rule for experiment ids and variant names (config/experiments.yaml). */
const NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

function name(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  if (!NAME.test(value)) throw usage(`${flag} takes an id as config/experiments.yaml spells it (a-z, 0-9, ".", "_", "-"), got '${value}'`);
  return value;
}

export function parseCommandLine(argv: readonly string[]): ExperimentsCommand {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      experiment: { type: 'string' },
      control: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      'out-dir': { type: 'string' },
      config: { type: 'string' },
      every: { type: 'string' },
      port: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    'npm run experiments -- --help',
  );
  if (values.help) return { kind: 'help', text: HELP };
  const command = chooseCommand(positionals, ['report', 'loop'], usage);
  for (const flag of ['out-dir', 'config'] as const) if (values[flag]?.trim() === '') throw usage(`--${flag} must not be empty`);
  const since = values.since === undefined ? DEFAULT_SINCE : parseSince(values.since);
  const untilMs = values.until === undefined ? undefined : parseTime(values.until, '--until');
  if (untilMs !== undefined && since.kind === 'time' && untilMs <= since.ms) throw usage('--until must be after --since');
  const base: ReportOptions = {
    experiment: name(values.experiment, '--experiment'),
    control: name(values.control, '--control'),
    since,
    untilMs,
    outDir: values['out-dir'] ?? DEFAULT_OUT_DIR,
    configFile: values.config,
  };
  if (command === 'report') {
    for (const flag of ['every', 'port'] as const) if (values[flag] !== undefined) throw usage(`--${flag} is a loop option`);
    return { kind: 'report', ...base };
  }
  if (untilMs !== undefined) throw usage('a loop reads up to each run; --until is for report');
  const everyMs = values.every === undefined ? 3_600_000 : durationMs(values.every);
  if (everyMs === undefined) throw usage(`--every takes a duration such as 15m or 1h, got '${values.every ?? ''}'`);
  if (everyMs < 60_000) throw usage('--every must be at least 1m');
  return { kind: 'loop', ...base, everyMs, port: parsePortFlag(values.port, '--port', true, usage) };
}
