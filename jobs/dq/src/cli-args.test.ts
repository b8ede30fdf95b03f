import { describe, expect, it } from 'vitest';
import { ExitCode, runCliProgram } from '@streamrec/foundation/process';
import { HELP, parseCommandLine, parseDuration, parseTime } from './cli-args.js';

async function exitOf(argv: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCliProgram({ name: 'dq', parse: parseCommandLine, execute: () => Promise.resolve(ExitCode.Ok) }, argv, { out: (text) => (out += text), err: (text) => (err += text) });
  return { code, out, err };
}

describe('dq command line', () => {
  it('runs once by default into .stack/dq/latest, recording the run', () => {
    expect(parseCommandLine([])).toEqual({ kind: 'run', outDir: '.stack/dq/latest', configFile: undefined, sinceMs: undefined, untilMs: undefined, record: true, port: undefined });
  });

  it('takes a window, an output directory, a config, --no-record and --serve', () => {
    expect(parseCommandLine(['run', '--out-dir', 'out', '--config', 'c.yaml', '--since', '2026-12-04', '--until', '2026-12-04T12:30:00+02:00', '--no-record', '--serve', '9999'])).toEqual({
      kind: 'run',
      outDir: 'out',
      configFile: 'c.yaml',
      sinceMs: Date.UTC(2026, 11, 4),
      untilMs: Date.UTC(2026, 11, 4, 10, 30),
      record: false,
      port: 9999,
    });
  });

  it('loops every hour by default, on the configured port unless --port', () => {
    expect(parseCommandLine(['loop'])).toMatchObject({ kind: 'loop', everyMs: 3_600_000, historyDir: '.stack/dq/runs', keep: 168, port: undefined });
    expect(parseCommandLine(['loop', '--every', '30m', '--port', '0', '--keep', '3'])).toMatchObject({ everyMs: 1_800_000, port: 0, keep: 3 });
  });

  it('prints the help with exit 0', async () => {
    const { code, out } = await exitOf(['--help']);
    expect(code).toBe(0);
    expect(out).toContain('Usage: npm run dq');
    expect(HELP).toContain('STREAMREC_DQ_METRICS_PORT');
  });

  it.each([
    [['--since', 'yesterday'], /--since must be an ISO 8601 time/],
    [['--since', '2026-12-04T10:00:00'], /with a zone/],
    [['--until', '2026-12-04'], /--until needs --since/],
    [['--since', '2026-12-05', '--until', '2026-12-04'], /--until must be after --since/],
    [['--bogus'], /Unknown option/],
    [['fix'], /unknown command 'fix'/],
    [['run', 'loop'], /one command at most/],
    [['--serve', '70000'], /--serve must be a port/],
    [['run', '--every', '1h'], /--every is a loop option/],
    [['loop', '--every', '30s'], /at least 1m/],
    [['loop', '--every', 'hourly'], /takes a duration/],
    [['loop', '--since', '2026-12-04'], /--since\/--until are for run/],
    [['loop', '--serve', '1'], /--serve is for run/],
    [['--out-dir', ' '], /--out-dir must not be empty/],
  ])('refuses %j with a usage error (exit 2)', async (argv, message) => {
    const { code, err } = await exitOf(argv);
    expect(code).toBe(2);
    expect(err).toMatch(message);
  });

  it('parses times and durations', () => {
    expect(parseTime('2026-12-04T10:00:00.5Z', '--since')).toBe(Date.UTC(2026, 11, 4, 10, 0, 0, 500));
    expect(parseDuration('90s', '--every')).toBe(90_000);
    expect(parseDuration('2d', '--every')).toBe(172_800_000);
  });
});
