import { AppError, ErrorCode, durationMs, parsePortFlag, parseTimeFlag } from '@streamrec/foundation';
import { chooseCommand, parseCommandArgs } from '@streamrec/foundation/process';
import { DEFAULT_METRICS_PORT, environmentVariables } from './config.js';

export const DEFAULT_OUT_DIR = '.stack/dq/latest';
export const DEFAULT_HISTORY_DIR = '.stack/dq/runs';

export interface RunOptions {
  readonly outDir: string;
  readonly configFile: string | undefined;
  /** Both set, or both undefined (then the config's default window up to now). */
  readonly sinceMs: number | undefined;
  readonly untilMs: number | undefined;
  readonly record: boolean;
  /** Serve /metrics on this port after the run until SIGTERM (run), or the whole time (loop). */
  readonly port: number | undefined;
}

export interface LoopOptions extends RunOptions {
  readonly everyMs: number;
  readonly historyDir: string;
  /** Timestamped copies kept in historyDir. */
  readonly keep: number;
  /** undefined: the configured port (STREAMREC_DQ_METRICS_PORT or ${DEFAULT_METRICS_PORT}). */
  readonly port: number | undefined;
}

export type DqCommand = { readonly kind: 'help'; readonly text: string } | ({ readonly kind: 'run' } & RunOptions) | ({ readonly kind: 'loop' } & LoopOptions);

export const HELP = `Usage: npm run dq -- [run] [options]
       npm run dq -- loop [--every 1h] [options]

Checks the data in ClickHouse (events per hour and gaps, missing values and duplicates per table, catalogue
price outliers, popularity concentration, late and future-dated events) and the Kafka dead-letter (dlq.*)
and CDC (cdc.*) topics against the thresholds of config/data-quality.yaml, then writes to the output
directory report.json (every check, its value, thresholds, verdict and the data behind the charts),
report.html (self-contained, with charts) and metrics.prom (Prometheus text), and records a row in
ClickHouse streamrec.dq_runs. Read-only on the data. Needs the local stack (npm run stack:status).
See docs/data-quality.md.

  run                  one run (the default)
  loop                 a run now and then every --every, files in --out-dir plus a timestamped copy
                       in --history-dir, /metrics served on --port, until SIGTERM / Ctrl-C

Options:
  --out-dir DIR        where the files go (default ${DEFAULT_OUT_DIR}; created if missing)
  --config FILE        thresholds and settings (default config/data-quality.yaml)
  --since TIME         start of the data window, ISO 8601 with a time zone (2026-12-04T00:00:00Z)
                       or a UTC date (2026-12-04); with --until
  --until TIME         end of the window (exclusive); default now. Without --since: the last
                       window.default_hours of the config up to now
  --no-record          do not write the dq_runs row
  --serve PORT         run: after the run, serve metrics.prom on http://127.0.0.1:PORT/metrics until
                       SIGTERM / Ctrl-C
  --every DURATION     loop: time between run starts, e.g. 30m, 1h, 6h (default 1h, at least 1m)
  --port PORT          loop: /metrics port (default $STREAMREC_DQ_METRICS_PORT or ${DEFAULT_METRICS_PORT}; 0 = any free port)
  --history-dir DIR    loop: timestamped copies (default ${DEFAULT_HISTORY_DIR})
  --keep N             loop: copies kept in --history-dir (default 168, a week of hourly runs)
  -h, --help           this text

Exit codes: 0 no check failed (warnings allowed), 1 a check failed or the run failed, 2 usage.
A loop exits 0 on SIGTERM.

Environment:
${Object.entries(environmentVariables).map(([name, text]) => `  ${name.padEnd(34)}${text}`).join('\n')}`;

const usage = (message: string): AppError => new AppError(ErrorCode.InvalidArgument, `${message} (npm run dq -- --help)`);

/** ISO 8601 with a zone (Z or ±hh:mm) or a bare date (UTC midnight); anything else is a usage error. */
export const parseTime = (value: string, flag: string): number => parseTimeFlag(value, flag, usage);

/** 90s, 30m, 1h, 2d → milliseconds. */
export function parseDuration(value: string, flag: string): number {
  const ms = durationMs(value);
  if (ms === undefined) throw usage(`${flag} takes a duration such as 30m, 1h or 6h, got '${value}'`);
  return ms;
}

const port = (value: string | undefined, flag: string, allowZero: boolean): number | undefined => parsePortFlag(value, flag, allowZero, usage);

export function parseCommandLine(argv: readonly string[]): DqCommand {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      'out-dir': { type: 'string' },
      config: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      'no-record': { type: 'boolean', default: false },
      serve: { type: 'string' },
      every: { type: 'string' },
      port: { type: 'string' },
      'history-dir': { type: 'string' },
      keep: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    'npm run dq -- --help',
  );
  if (values.help) return { kind: 'help', text: HELP };
  const command = chooseCommand(positionals, ['run', 'loop'], usage);
  const sinceMs = values.since === undefined ? undefined : parseTime(values.since, '--since');
  const untilMs = values.until === undefined ? undefined : parseTime(values.until, '--until');
  if (untilMs !== undefined && sinceMs === undefined) throw usage('--until needs --since');
  if (sinceMs !== undefined && untilMs !== undefined && untilMs <= sinceMs) throw usage('--until must be after --since');
  for (const flag of ['out-dir', 'config', 'history-dir'] as const) if (values[flag]?.trim() === '') throw usage(`--${flag} must not be empty`);
  const base = { outDir: values['out-dir'] ?? DEFAULT_OUT_DIR, configFile: values.config, sinceMs, untilMs, record: !values['no-record'] };
  if (command === 'run') {
    for (const flag of ['every', 'port', 'history-dir', 'keep'] as const) if (values[flag] !== undefined) throw usage(`--${flag} is a loop option`);
    return { kind: 'run', ...base, port: port(values.serve, '--serve', false) };
  }
  if (values.serve !== undefined) throw usage('loop serves /metrics on --port; --serve is for run');
  if (sinceMs !== undefined) throw usage('a loop checks the config default window up to each run; --since/--until are for run');
  const everyMs = parseDuration(values.every ?? '1h', '--every');
  if (everyMs < 60_000) throw usage('--every must be at least 1m');
  const keep = values.keep === undefined ? 168 : /^\d+$/.test(values.keep) && Number(values.keep) >= 1 ? Number(values.keep) : Number.NaN;
  if (!Number.isInteger(keep)) throw usage(`--keep must be a positive integer, got '${values.keep ?? ''}'`);
  return { kind: 'loop', ...base, everyMs, historyDir: values['history-dir'] ?? DEFAULT_HISTORY_DIR, keep, port: port(values.port, '--port', true) };
}
