import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@streamrec/foundation';
import { runCliProgram } from '@streamrec/foundation/process';
import { HELP, parseCommandLine } from './cli-args.js';

describe('retrain command line', () => {
  it('gives run its defaults', () => {
    expect(parseCommandLine(['run'])).toEqual({
      kind: 'run',
      options: {
        name: 'ranker',
        features: undefined,
        fromMs: undefined,
        toMs: undefined,
        lookbackMs: 30 * 86_400_000,
        labelWindowMs: 86_400_000,
        validFraction: 0.1,
        holdoutFraction: 0.1,
        maxRowsPerRequest: 100,
        negativesPerPositive: 10,
        hardNegativeShare: 0,
        sampleSeed: 1,
        seed: 42,
        objective: 'auto',
        ensemble: 4,
        params: undefined,
        threads: 1,
        margin: 0.001,
        force: false,
        userIdPrefix: undefined,
        topic: undefined,
        historyTopic: undefined,
        keepData: false,
      },
    });
  });

  it('parses every run option', () => {
    const command = parseCommandLine([
      'run', '--name', 'test-r1', '--features', 'item_ctr, fused_score', '--from', '2026-11-01', '--to', '2026-11-02T06:00:00', '--label-window', '1h',
      '--valid', '0.2', '--holdout', '0.25', '--max-rows-per-request', '20', '--negatives-per-positive', '3', '--sample-seed', '9', '--seed', '7',
      '--objective', 'lambdarank', '--ensemble', '3', '--params', '{"num_leaves":7}', '--threads', '2', '--margin', '0.01', '--force', '--user-prefix', 'rt-', '--topic', 't.m', '--history-topic', 't.h', '--keep-data',
    ]);
    expect(command).toEqual({
      kind: 'run',
      options: expect.objectContaining({
        name: 'test-r1',
        features: ['item_ctr', 'fused_score'],
        fromMs: Date.UTC(2026, 10, 1),
        toMs: Date.UTC(2026, 10, 2, 6),
        labelWindowMs: 3_600_000,
        validFraction: 0.2,
        holdoutFraction: 0.25,
        maxRowsPerRequest: 20,
        negativesPerPositive: 3,
        sampleSeed: 9,
        seed: 7,
        objective: 'lambdarank',
        ensemble: 3,
        params: '{"num_leaves":7}',
        threads: 2,
        margin: 0.01,
        force: true,
        userIdPrefix: 'rt-',
        topic: 't.m',
        historyTopic: 't.h',
        keepData: true,
      }) as unknown,
    });
  });

  it('parses loop with its period', () => {
    expect(parseCommandLine(['loop', '--every', '6h', '--metrics-port', '0', '--name', 'ranker'])).toMatchObject({ kind: 'loop', everyMs: 21_600_000, metricsPort: 0, options: { name: 'ranker' } });
  });

  it('shows help for the tool and each command', () => {
    expect(parseCommandLine([])).toEqual({ kind: 'help', text: HELP.main });
    expect(parseCommandLine(['--help'])).toEqual({ kind: 'help', text: HELP.main });
    expect(parseCommandLine(['run', '--help'])).toEqual({ kind: 'help', text: HELP.run });
    expect(parseCommandLine(['loop', '-h'])).toEqual({ kind: 'help', text: HELP.loop });
    expect(HELP.main).toContain('STREAMREC_MLFLOW_TRACKING_URI');
  });

  it.each([
    [['train'], /unknown command 'train'/],
    [['run', '--bogus'], /run: Unknown option '--bogus'/],
    [['run', 'extra'], /run: Unexpected argument/],
    [['run', '--every', '6h'], /belong to loop/],
    [['loop'], /--every is required/],
    [['loop', '--every', 'often'], /--every must be a duration/],
    [['run', '--name', 'Ranker'], /model name 'Ranker'/],
    [['run', '--features', 'item_ctr,nope'], /not ranking features.*nope/],
    [['run', '--features', 'item_ctr,item_ctr'], /lists item_ctr twice/],
    [['run', '--from', 'yesterday'], /--from must be an ISO 8601 time/],
    [['run', '--from', '2026-11-02', '--to', '2026-11-01'], /--from must be before --to/],
    [['run', '--holdout', '0.6'], /--holdout must be a share/],
    [['run', '--max-rows-per-request', '2.5'], /--max-rows-per-request must be an integer/],
    [['run', '--objective', 'regression'], /--objective must be auto, lambdarank, rank_xendcg or binary/],
    [['run', '--ensemble', '0'], /--ensemble must be an integer from 1 to 16/],
    [['run', '--ensemble', '17'], /--ensemble must be an integer from 1 to 16/],
    [['run', '--params', '{"a":'], /--params is not valid JSON/],
    [['run', '--params', '[1]'], /--params must be a JSON object/],
    [['run', '--user-prefix', ''], /--user-prefix must not be empty/],
    [['run', '--label-window', '0s'], /--label-window must be a positive duration/],
  ])('refuses %j with a usage error', (argv, message) => {
    expect(() => parseCommandLine(argv)).toThrow(message);
    expect(() => parseCommandLine(argv)).toThrow(expect.objectContaining({ code: ErrorCode.InvalidArgument }) as Error);
  });

  it('exits 2 on bad usage and 0 with the help, as the CLI runner maps them', async () => {
    const io = { out: '', err: '' };
    const capture = { out: (text: string) => void (io.out += text), err: (text: string) => void (io.err += text) };
    const program = { name: 'retrain', parse: parseCommandLine, execute: () => Promise.resolve(0) };
    expect(await runCliProgram(program, ['run', '--bogus'], capture)).toBe(2);
    expect(io.err).toContain("retrain: run: Unknown option '--bogus'");
    expect(await runCliProgram(program, ['run', '--help'], capture)).toBe(0);
    expect(io.out).toContain('Usage: npm run retrain -- run [options]');
  });

  it('parses score with its defaults: the candidate from the history, against the serving model', () => {
    expect(parseCommandLine(['score', '--version', 'ranker-20261201T000000Z-0a1b2c3d'])).toEqual({
      kind: 'score',
      options: {
        name: 'ranker',
        candidate: { kind: 'version', version: 'ranker-20261201T000000Z-0a1b2c3d' },
        against: { kind: 'serving' },
        fromMs: undefined,
        toMs: undefined,
        lookbackMs: 7 * 86_400_000,
        labelWindowMs: 86_400_000,
        experiment: undefined,
        userIdPrefix: undefined,
        resamples: 1000,
        seed: 1,
        out: undefined,
        topic: undefined,
        historyTopic: undefined,
      },
    });
  });

  it('parses a score of an ONNX file against a history version, one experiment, and its report options', () => {
    const command = parseCommandLine(['score', '--model-file', '/tmp/m.onnx', '--features', 'item_ctr,fused_score', '--against', 'v1', '--experiment', 'fusion-2026-11', '--from', '2026-11-01', '--bootstrap', '0', '--seed', '3', '--out', '/tmp/r.json']);
    expect(command).toMatchObject({
      kind: 'score',
      options: { candidate: { kind: 'file', path: '/tmp/m.onnx', features: ['item_ctr', 'fused_score'] }, against: { kind: 'version', version: 'v1' }, experiment: 'fusion-2026-11', fromMs: Date.UTC(2026, 10, 1), resamples: 0, seed: 3, out: '/tmp/r.json' },
    });
    expect(parseCommandLine(['score', '--serving', '--against', 'none'])).toMatchObject({ options: { candidate: { kind: 'serving' }, against: { kind: 'none' } } });
  });

  it('refuses a score without exactly one candidate, or with options of run, and run with options of score', () => {
    const codeOf = (argv: string[]): unknown => {
      try {
        parseCommandLine(argv);
        return 'parsed';
      } catch (error) {
        return [(error as { code?: unknown }).code, (error as Error).message];
      }
    };
    expect(codeOf(['score'])).toEqual([ErrorCode.InvalidArgument, expect.stringMatching(/exactly one of --version/)]);
    expect(codeOf(['score', '--version', 'a', '--serving'])).toEqual([ErrorCode.InvalidArgument, expect.stringMatching(/exactly one/)]);
    expect(codeOf(['score', '--model-file', 'm.onnx'])).toEqual([ErrorCode.InvalidArgument, expect.stringMatching(/needs --features/)]);
    expect(codeOf(['score', '--version', 'a', '--features', 'item_ctr'])).toEqual([ErrorCode.InvalidArgument, expect.stringMatching(/--features goes with --model-file/)]);
    expect(codeOf(['score', '--serving'])).toEqual([ErrorCode.InvalidArgument, expect.stringMatching(/with itself/)]);
    expect(codeOf(['score', '--version', 'a', '--force'])).toEqual([ErrorCode.InvalidArgument, expect.stringMatching(/--force belongs to run or loop/)]);
    expect(codeOf(['run', '--experiment', 'x'])).toEqual([ErrorCode.InvalidArgument, expect.stringMatching(/--experiment belongs to score/)]);
    expect(codeOf(['score', '--version', 'a', '--bootstrap', '1.5'])).toEqual([ErrorCode.InvalidArgument, expect.stringMatching(/--bootstrap must be/)]);
    expect(HELP.score).toContain('--against serving|none|V');
  });
});
