import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@streamrec/foundation';
import { HELP, parseCommandLine } from './cli-args.js';

describe('parseCommandLine', () => {
  it('parses publish with its metrics and lineage', () => {
    expect(
      parseCommandLine(['publish', '--file', 'm.onnx', '--name', 'ranker', '--version', 'v2', '--features', 'item_ctr, fused_score', '--metrics', '{"auc":0.7}', '--lineage', '{"trainer":"lightgbm"}']),
    ).toEqual({ kind: 'publish', file: 'm.onnx', name: 'ranker', version: 'v2', features: ['item_ctr', 'fused_score'], metrics: { auc: 0.7 }, lineage: { trainer: 'lightgbm' }, topic: undefined });
  });

  it('gives synthetic-trees its defaults', () => {
    expect(parseCommandLine(['synthetic-trees', '--name', 'ranker'])).toMatchObject({ trees: 200, depth: 6, seed: 1, features: undefined });
  });

  it('shows the help of each command', () => {
    expect(parseCommandLine([])).toEqual({ kind: 'help', text: HELP.main });
    expect(parseCommandLine(['bootstrap', '--help'])).toEqual({ kind: 'help', text: HELP.bootstrap });
    expect(parseCommandLine(['list', '-h'])).toEqual({ kind: 'help', text: HELP.list });
  });

  it('parses history and rollback, rollback defaulting to the ranker and the version before', () => {
    expect(parseCommandLine(['history'])).toEqual({ kind: 'history', name: undefined, topic: undefined, historyTopic: undefined });
    expect(parseCommandLine(['rollback'])).toEqual({ kind: 'rollback', name: 'ranker', to: undefined, topic: undefined, historyTopic: undefined });
    expect(parseCommandLine(['rollback', '--name', 'r2', '--to', 'v3', '--topic', 't.models', '--history-topic', 't.history'])).toEqual({
      kind: 'rollback',
      name: 'r2',
      to: 'v3',
      topic: 't.models',
      historyTopic: 't.history',
    });
    expect(parseCommandLine(['bootstrap', '--name', 'ranker', '--history-topic', 'h'])).toMatchObject({ kind: 'bootstrap', historyTopic: 'h' });
  });

  it.each([
    [['nope'], /unknown command/],
    [['rollback', '--to', ' '], /--to is required/],
    [['rollback', '--bogus'], /rollback: Unknown option/],
    [['publish', '--name', 'ranker'], /--file is required/],
    [['publish', '--file', 'f', '--name', 'r', '--version', 'v', '--features', 'a', '--metrics', '{"auc":"high"}'], /auc must be numbers/],
    [['publish', '--file', 'f', '--name', 'r', '--version', 'v', '--features', 'a', '--lineage', '[1]'], /must be a JSON object/],
    [['synthetic-trees', '--name', 'r', '--trees', '2.5'], /--trees must be an integer/],
    [['list', '--bogus'], /list: Unknown option/],
  ])('refuses %j with a usage error', (argv, message) => {
    expect(() => parseCommandLine(argv)).toThrow(message);
    expect(() => parseCommandLine(argv)).toThrow(expect.objectContaining({ code: ErrorCode.InvalidArgument }) as Error);
  });
});
