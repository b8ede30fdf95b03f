import { ErrorCode, isAppError } from '@streamrec/foundation';
import { describe, expect, it } from 'vitest';
import { HELP, parseCommandLine } from './cli-args.js';

const usageError = (argv: string[]): unknown => {
  try {
    parseCommandLine(argv);
  } catch (error) {
    return error;
  }
  return undefined;
};

describe('parseCommandLine', () => {
  it('prints help for no command, help and --help on every command', () => {
    expect(parseCommandLine([])).toEqual({ kind: 'help', text: HELP.main });
    expect(parseCommandLine(['--help'])).toEqual({ kind: 'help', text: HELP.main });
    expect(parseCommandLine(['bulk', '--help'])).toEqual({ kind: 'help', text: HELP.bulk });
    expect(parseCommandLine(['trickle', '-h'])).toEqual({ kind: 'help', text: HELP.trickle });
  });

  it('defaults bulk to seed 1, medium scale, no append', () => {
    expect(parseCommandLine(['bulk'])).toEqual({ kind: 'bulk', seed: 1, scale: 'medium', append: false, until: null, summaryFile: null });
  });

  it('reads every bulk and trickle option', () => {
    expect(
      parseCommandLine(['bulk', '--seed', '42', '--scale', 'small', '--append', '--until', '2024-06-01T00:00:00Z', '--summary', 'out.json']),
    ).toEqual({
      kind: 'bulk',
      seed: 42,
      scale: 'small',
      append: true,
      until: new Date('2024-06-01T00:00:00Z'),
      summaryFile: 'out.json',
    });
    expect(parseCommandLine(['trickle', '--seed', '3', '--rate', '50', '--duration', '10'])).toEqual({
      kind: 'trickle',
      seed: 3,
      eventsPerSecond: 50,
      durationSeconds: 10,
      summaryFile: null,
    });
  });

  it.each([
    [['nope']],
    [['bulk', '--scale', 'huge']],
    [['bulk', '--seed', '-1']],
    [['bulk', '--rate', '5']],
    [['trickle', '--rate', '0']],
    [['trickle', '--duration', 'soon']],
    [['bulk', '--until', 'yesterday']],
  ])('rejects %j with REC_INVALID_ARGUMENT and the usage', (argv) => {
    const error = usageError(argv);
    expect(isAppError(error, ErrorCode.InvalidArgument)).toBe(true);
    expect((error as Error).message).toContain('Usage:');
  });
});
