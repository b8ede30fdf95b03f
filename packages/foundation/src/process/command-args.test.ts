import { describe, expect, it } from 'vitest';
import { AppError, ErrorCode } from '../errors.js';
import { chooseCommand, parseCommandArgs } from './command-args.js';

const usage = (message: string): AppError => new AppError(ErrorCode.InvalidArgument, `${message} (tool --help)`);

describe('parseCommandArgs and chooseCommand', () => {
  it('reads flags and positionals, and names the help on an unknown flag', () => {
    const { values, positionals } = parseCommandArgs(['loop', '--every', '1h'], { every: { type: 'string' } }, 'tool --help');
    expect(values.every).toBe('1h');
    expect(positionals).toEqual(['loop']);
    expect(() => parseCommandArgs(['--nope'], {}, 'tool --help')).toThrow(/\(tool --help\)$/);
  });

  it('defaults to the first command and refuses an unknown one or two', () => {
    expect(chooseCommand([], ['run', 'loop'], usage)).toBe('run');
    expect(chooseCommand(['loop'], ['run', 'loop'], usage)).toBe('loop');
    expect(() => chooseCommand(['walk'], ['run', 'loop'], usage)).toThrow("unknown command 'walk' (run or loop) (tool --help)");
    expect(() => chooseCommand(['run', 'loop'], ['run', 'loop'], usage)).toThrow('one command at most, got run loop');
  });
});
