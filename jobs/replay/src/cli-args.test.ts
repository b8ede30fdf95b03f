import { describe, expect, it } from 'vitest';
import { ErrorCode, isAppError } from '@streamrec/foundation';
import { parseCommandLine } from './cli-args.js';

const usageError = (argv: string[]): string => {
  try {
    parseCommandLine(argv);
  } catch (error) {
    if (isAppError(error, ErrorCode.InvalidArgument)) return error.message;
    throw error;
  }
  throw new Error('expected a usage error');
};

describe('replay command line', () => {
  it('parses build with defaults and with every option', () => {
    expect(parseCommandLine(['build', '--to', 'v2'])).toMatchObject({ kind: 'build', to: 'v2', processors: ['features', 'cooccurrence', 'trending'], fromTimestampMs: undefined, force: false, intervalMs: 5_000, timeoutMs: 3_600_000 });
    expect(
      parseCommandLine(['build', '--to', 'v3', '--processors', 'trending,features', '--from-timestamp', '2026-03-01T00:00:00Z', '--force', '--interval', '1', '--topics', '{"items":"x"}']),
    ).toMatchObject({ processors: ['trending', 'features'], fromTimestampMs: Date.UTC(2026, 2, 1), force: true, intervalMs: 1_000, topicsJson: '{"items":"x"}' });
  });

  it('parses rerun as a one-processor build from a timestamp', () => {
    expect(parseCommandLine(['rerun', '--processor', 'trending', '--from-timestamp', '1700000000000', '--version', 'v4'])).toMatchObject({
      kind: 'build',
      to: 'v4',
      processors: ['trending'],
      fromTimestampMs: 1_700_000_000_000,
    });
    expect(usageError(['rerun', '--processor', 'trending', '--version', 'v4'])).toMatch(/--from-timestamp is required/);
    expect(usageError(['rerun', '--processor', 'normalize', '--from-timestamp', '1', '--version', 'v4'])).toMatch(/--processor must be one of/);
  });

  it('parses compare, switch, status and drop', () => {
    expect(parseCommandLine(['compare', '--a', 'v1', '--b', 'v2', '--strict-offsets'])).toEqual({ kind: 'compare', a: 'v1', b: 'v2', strictOffsets: true, exact: false, show: 10 });
    expect(parseCommandLine(['switch', '--to', 'v2', '--expect', 'v1'])).toEqual({ kind: 'switch', to: 'v2', expect: 'v1' });
    expect(parseCommandLine(['switch', '--to', 'v2'])).toEqual({ kind: 'switch', to: 'v2', expect: undefined });
    expect(parseCommandLine(['status'])).toEqual({ kind: 'status' });
    expect(parseCommandLine(['drop', '--version', 'v1'])).toEqual({ kind: 'drop', version: 'v1' });
  });

  it('answers --help per command', () => {
    expect(parseCommandLine([])).toMatchObject({ kind: 'help' });
    const help = parseCommandLine(['build', '--help']);
    expect(help.kind === 'help' && help.text.includes('--from-timestamp')).toBe(true);
  });

  it('rejects bad input with a message naming the option', () => {
    expect(usageError(['frobnicate'])).toMatch(/unknown command "frobnicate"/);
    expect(usageError(['build'])).toMatch(/--to is required/);
    expect(usageError(['build', '--to', 'live'])).toMatch(/--to: state version must look like v1/);
    expect(usageError(['build', '--to', 'v2', '--processors', 'features,normalize'])).toMatch(/unknown normalize/);
    expect(usageError(['build', '--to', 'v2', '--from-timestamp', 'yesterday'])).toMatch(/--from-timestamp must be ISO-8601/);
    expect(usageError(['build', '--to', 'v2', '--interval', '0'])).toMatch(/--interval must be a positive/);
    expect(usageError(['build', '--to', 'v2', '--bogus'])).toMatch(/build: Unknown option '--bogus'/);
    expect(usageError(['compare', '--a', 'v1', '--b', 'v1'])).toMatch(/different versions/);
  });
});
