import { parseArgs } from 'node:util';
import { AppError, ErrorCode } from '@streamrec/foundation';
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
export function parseTime(value: string, flag: string): number {
  const trimmed = value.trim();
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(trimmed);
  const date = /^\d{4}-\d{2}-\d{2}$/.test(trimmed);
  const ms = iso ? Date.parse(trimmed) : date ? Date.parse(`${trimmed}T00:00:00Z`) : Number.NaN;
  if (!Number.isFinite(ms) || ms < 0) throw usage(`${flag} must be an ISO 8601 time with a zone (2026-12-04T10:00:00Z) or a date (2026-12-04), got '${value}'`);
  return ms;
}

/** 90s, 30m, 1h, 2d → milliseconds. */
export function parseDuration(value: string, flag: string): number {
  const match = /^(\d+)(s|m|h|d)$/.exec(value.trim());
  if (match === null) throw usage(`${flag} takes a duration such as 30m, 1h or 6h, got '${value}'`);
  const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}

function port(value: string | undefined, flag: string, allowZero: boolean): number | undefined {
  if (value === undefined) return undefined;
  const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(parsed) || parsed > 65_535 || parsed < (allowZero ? 0 : 1)) throw usage(`${flag} must be a port ${allowZero ? '0' : '1'}–65535, got '${value}'`);
  return parsed;
}

export function parseCommandLine(argv: readonly string[]): DqCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
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
    });
  } catch (cause) {
    throw new AppError(ErrorCode.InvalidArgument, `${(cause as Error).message} (npm run dq -- --help)`, { cause });
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help', text: HELP };
  if (positionals.length > 1) throw usage(`one command at most, got ${positionals.join(' ')}`);
  const command = positionals[0] ?? 'run';
  if (command !== 'run' && command !== 'loop') throw usage(`unknown command '${command}' (run or loop)`);
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
