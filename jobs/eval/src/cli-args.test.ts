import { describe, expect, it } from 'vitest';
import { ErrorCode, isAppError } from '@streamrec/foundation';
import { DEFAULT_SAMPLE, parseCommandLine } from './cli-args.js';
import { STAGE_NAMES } from './domain/stages.js';

describe('eval command line', () => {
  it('needs a dataset and an output file; defaults the rest', () => {
    const command = parseCommandLine(['--dataset', 'd', '--out', 'reports/x.json']);
    expect(command).toMatchObject({ kind: 'run', dataset: 'd', out: 'reports/x.json', markdown: 'reports/x.md', sample: DEFAULT_SAMPLE, stages: STAGE_NAMES, keep: false, cleanLeftovers: false, concurrency: 16 });
  });

  it('prints help', () => {
    const command = parseCommandLine(['--help']);
    expect(command.kind).toBe('help');
    expect(command.kind === 'help' && command.text).toMatch(/--dataset DIR/);
  });

  it('rejects unknown stages, bad numbers and missing flags as usage errors', () => {
    for (const argv of [['--out', 'x'], ['--dataset', 'd'], ['--dataset', 'd', '--out', 'x', '--stages', 'fused,magic'], ['--dataset', 'd', '--out', 'x', '--sample', '-1'], ['--bogus']]) {
      try {
        parseCommandLine(argv);
        expect.unreachable(argv.join(' '));
      } catch (error) {
        expect(isAppError(error, ErrorCode.InvalidArgument)).toBe(true);
      }
    }
  });

  it('takes a stage list, sample and seed', () => {
    expect(parseCommandLine(['--dataset', 'd', '--out', 'x', '--stages', 'popularity, fused', '--sample', '0', '--seed', '7', '--keep'])).toMatchObject({ stages: ['popularity', 'fused'], sample: 0, seed: 7, keep: true });
    expect(parseCommandLine(['--dataset', 'd', '--out', 'x', '--clean-leftovers'])).toMatchObject({ cleanLeftovers: true, keep: false });
  });

  it('passes extra training options to the ranker stage, but not the ones the stage owns', () => {
    expect(parseCommandLine(['--dataset', 'd', '--out', 'x'])).toMatchObject({ retrainOptions: [] });
    expect(parseCommandLine(['--dataset', 'd', '--out', 'x', '--retrain-options=--negatives-per-positive 50  --threads 1'])).toMatchObject({ retrainOptions: ['--negatives-per-positive', '50', '--threads', '1'] });
    expect(() => parseCommandLine(['--dataset', 'd', '--out', 'x', '--retrain-options=--user-prefix=x --topic t'])).toThrow(/--user-prefix=x, --topic are set by the ranker stage itself/);
  });
});
