import { describe, expect, it } from 'vitest';
import { ErrorCode, isAppError } from '@streamrec/foundation';
import { parseCommand } from './cli-args.js';

const usageError = (argv: string[]): unknown => {
  try {
    parseCommand(argv);
  } catch (error) {
    return error;
  }
  return undefined;
};

describe('parseCommand', () => {
  it('--help needs no other option', () => {
    expect(parseCommand(['--help'])).toEqual({ kind: 'help' });
  });

  it('--quick with a subset and pass-through knobs', () => {
    expect(parseCommand(['--out-dir', 'out', '--quick', '--only', 'api, streams', '--runs', '4', '--api-rate', '300'])).toEqual({
      kind: 'run',
      options: { outDir: 'out', quick: true, areas: ['streams', 'api'], runs: 4, events: undefined, freshnessSamples: undefined, apiRate: 300, apiDuration: undefined },
    });
  });

  it('refuses a missing --out-dir, an unknown area, a non-positive number and an unknown option with REC_INVALID_ARGUMENT', () => {
    for (const [argv, text] of [
      [['--quick'], '--out-dir'],
      [['--out-dir', 'x', '--only', 'streams,latency'], 'unknown: latency'],
      [['--out-dir', 'x', '--runs', '0'], '--runs must be a positive integer'],
      [['--out-dir', 'x', '--bogus'], 'bogus'],
    ] as const) {
      const error = usageError([...argv]);
      expect(isAppError(error, ErrorCode.InvalidArgument)).toBe(true);
      expect((error as Error).message).toContain(text);
    }
  });
});
