import { describe, expect, it } from 'vitest';
import { ExitCode, runCliProgram } from '@streamrec/foundation/process';
import { HELP, parseCommandLine, parseSince } from './cli-args.js';

async function exitOf(argv: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCliProgram({ name: 'experiments', parse: parseCommandLine, execute: () => Promise.resolve(ExitCode.Ok) }, argv, { out: (text) => (out += text), err: (text) => (err += text) });
  return { code, out, err };
}

describe('experiments command line', () => {
  it('reads out every experiment of the last 14 days by default', () => {
    expect(parseCommandLine([])).toEqual({ kind: 'report', experiment: undefined, control: undefined, since: { kind: 'ago', ms: 14 * 86_400_000 }, untilMs: undefined, outDir: '.stack/experiments/latest', configFile: undefined });
  });

  it('takes an experiment, a control, a window as times or as a duration, an output directory and a config', () => {
    expect(parseCommandLine(['report', '--experiment', 'fusion-2026-11', '--control', 'control', '--since', '2026-12-01', '--until', '2026-12-04T12:30:00+02:00', '--out-dir', 'out', '--config', 'x.yaml'])).toEqual({
      kind: 'report',
      experiment: 'fusion-2026-11',
      control: 'control',
      since: { kind: 'time', ms: Date.UTC(2026, 11, 1) },
      untilMs: Date.UTC(2026, 11, 4, 10, 30),
      outDir: 'out',
      configFile: 'x.yaml',
    });
    expect(parseSince('7d')).toEqual({ kind: 'ago', ms: 7 * 86_400_000 });
    expect(parseSince('90m')).toEqual({ kind: 'ago', ms: 90 * 60_000 });
  });

  it('loops every hour by default and serves /metrics on the configured port unless --port', () => {
    expect(parseCommandLine(['loop'])).toMatchObject({ kind: 'loop', everyMs: 3_600_000, port: undefined, since: { kind: 'ago' } });
    expect(parseCommandLine(['loop', '--every', '15m', '--port', '0', '--since', '7d'])).toMatchObject({ everyMs: 900_000, port: 0, since: { kind: 'ago', ms: 7 * 86_400_000 } });
  });

  it.each([['--help'], ['report', '--help'], ['loop', '-h']])('prints the help for %s with exit 0', async (...argv) => {
    const { code, out } = await exitOf(argv);
    expect(code).toBe(0);
    expect(out).toContain('Usage: npm run experiments -- report');
    expect(HELP).toContain('STREAMREC_EXPERIMENTS_METRICS_PORT');
  });

  it.each([
    [['report', '--since', 'yesterday'], '--since must be an ISO 8601 time'],
    [['report', '--since', '2026-12-05', '--until', '2026-12-04'], '--until must be after --since'],
    [['report', '--experiment', "x' OR 1=1"], '--experiment takes an id'],
    [['report', '--every', '1h'], '--every is a loop option'],
    [['loop', '--until', '2026-12-04'], '--until is for report'],
    [['loop', '--every', '10s'], '--every must be at least 1m'],
    [['loop', '--port', '70000'], '--port must be a port'],
    [['report', '--bogus'], "Unknown option '--bogus'"],
    [['publish'], "unknown command 'publish'"],
    [['report', '--out-dir', ''], '--out-dir must not be empty'],
  ])('refuses %j with exit 2', async (argv, message) => {
    const { code, err } = await exitOf(argv);
    expect(code).toBe(2);
    expect(err).toContain(message);
  });
});
