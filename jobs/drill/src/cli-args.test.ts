import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@streamrec/foundation';
import { parseCommandLine } from './cli-args.js';

const names = ['redis-down', 'kafka-down', 'backfill'];

describe('npm run drill arguments', () => {
  it('runs the named drills once each, in the order given, or all of them in the runbook order', () => {
    expect(parseCommandLine(['kafka-down', 'redis-down', 'kafka-down'], names)).toEqual({ kind: 'run', names: ['kafka-down', 'redis-down'], jsonFile: undefined });
    expect(parseCommandLine(['all', '--json', 'out.json'], names)).toEqual({ kind: 'run', names, jsonFile: 'out.json' });
    expect(parseCommandLine(['list'], names)).toEqual({ kind: 'list' });
  });

  it('prints help listing the drills', () => {
    const help = parseCommandLine(['--help'], names);
    expect(help.kind).toBe('help');
    expect(help.kind === 'help' && help.text).toContain('Drills: redis-down, kafka-down, backfill');
  });

  it('refuses an unknown drill, an unknown option and nothing at all, as usage errors', () => {
    for (const argv of [['redis-gone'], ['all', '--fast'], []]) {
      expect(() => parseCommandLine(argv, names)).toThrow(expect.objectContaining({ code: ErrorCode.InvalidArgument }) as Error);
    }
    expect(() => parseCommandLine(['redis-gone'], names)).toThrow(/unknown drill redis-gone \(known: redis-down, kafka-down, backfill\)/);
  });
});
