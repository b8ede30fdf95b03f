import { dirname, join, parse } from 'node:path';
import { parseArgs } from 'node:util';
import { AppError, ErrorCode } from '@streamrec/foundation';
import { STAGE_NAMES } from './domain/stages.js';
import { environmentVariables } from './config.js';

/** Every variable name and two spaces before its text (the longest names are longer than the options' column). */
const ENVIRONMENT_NAME_WIDTH = Math.max(...Object.keys(environmentVariables).map((name) => name.length)) + 2;

export interface EvalOptions {
  readonly dataset: string;
  readonly out: string;
  readonly markdown: string;
  readonly seed: number;
  /** Users of the per-channel stages (0: all). */
  readonly sample: number;
  readonly stages: readonly string[];
  readonly concurrency: number;
  readonly keep: boolean;
  /** Delete earlier runs' leftovers (state versions, topics, groups) before this run starts. */
  readonly cleanLeftovers: boolean;
  /** Experiments file whose defaults the `fused` stage serves (model forced to null). */
  readonly fusedExperiments: string | undefined;
  /** JSON file `{ api?, features?, cooccurrence?, trending? }`: API config overrides and processor params. */
  readonly tuning: string | undefined;
  readonly catchUpTimeoutMs: number;
  /** Share of the unshown ranked candidates the ranker stage's training answers log (1 = all). */
  readonly rankerCandidates: number;
  /** Extra `npm run retrain -- run` options of the ranker stage's training run (e.g. --negatives-per-positive 50). */
  readonly retrainOptions: readonly string[];
}

export type EvalCommand = { readonly kind: 'help'; readonly text: string } | ({ readonly kind: 'run' } & EvalOptions);

export const DEFAULT_SAMPLE = 5_000;
export const DEFAULT_SEED = 42;

export const HELP = `Usage: npm run eval -- --dataset <dir> --out FILE [options]

Replays a public dataset (S3-Rec format: <Name>.txt with "user item item …" lines in time order, and
<Name>_item2attributes.json) through the live system — items to events.items.v1, every sequence
without its last item as views through the real stream processors into Redis, the real HTTP API for
each user's top 20 — and reports HR@5/10/20 and NDCG@5/10/20 per stage next to the dataset
README's published rows. Needs the local stack (npm run stack:status). Uses its own topics, consumer
groups and state version, deleted at the end unless --keep.

Options:
  --dataset DIR             the dataset directory (required)
  --out FILE                JSON report (required)
  --markdown FILE           markdown table (default: --out with .md)
  --seed N                  user order of the replay and the per-channel sample (default ${DEFAULT_SEED})
  --sample N                users of the per-channel stages, 0 = all (default ${DEFAULT_SAMPLE})
  --stages a,b,…            stages to run (default all): ${STAGE_NAMES.join(', ')}
  --concurrency N           requests in flight (default 16)
  --fused-experiments FILE  experiments file whose defaults the fused stage serves (default config/experiments.yaml; model forced to null)
  --tuning FILE             JSON { "api": {…}, "features": {…}, "cooccurrence": {…}, "trending": {…} }: API config
                            overrides (recall, depths, …) and processor params (e.g. the co-occurrence window)
  --catch-up-timeout-minutes N  how long the processors may take to apply the replay (default 30)
  --ranker-candidates R     share of the ranked candidates not shown that the ranker stage's training answers
                            log with their features (default 1: all ~280; a request teaches the ranker only
                            when its label item is among the logged rows)
  --retrain-options="…"     extra options of the ranker stage's 'npm run retrain -- run' (space-separated,
                            e.g. --retrain-options="--negatives-per-positive 50"); default none: the job's defaults
  --keep                    keep the topics, groups and state version (for inspection)
  --clean-leftovers         first delete what earlier interrupted or --keep runs left: state versions
                            v800000–v899999, eval.* topics, *-eval-* consumer groups (a run warns when
                            there are any; use only when no other eval runs)
  -h, --help                this text

Exit codes: 0 ok (every check passed), 1 failed or a check failed, 2 usage.

Environment:
${Object.entries(environmentVariables).map(([name, text]) => `  ${name.padEnd(ENVIRONMENT_NAME_WIDTH)}${text}`).join('\n')}`;

function positiveInt(value: string | undefined, flag: string, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min) throw new AppError(ErrorCode.InvalidArgument, `${flag} must be an integer ≥ ${min}, got ${JSON.stringify(value)}`);
  return Number(value);
}

function share(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < 0 || number > 1) throw new AppError(ErrorCode.InvalidArgument, `${flag} must be a number from 0 to 1, got ${JSON.stringify(value)}`);
  return number;
}

export function parseCommandLine(argv: readonly string[]): EvalCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        dataset: { type: 'string' },
        out: { type: 'string' },
        markdown: { type: 'string' },
        seed: { type: 'string' },
        sample: { type: 'string' },
        stages: { type: 'string' },
        concurrency: { type: 'string' },
        'fused-experiments': { type: 'string' },
        tuning: { type: 'string' },
        'catch-up-timeout-minutes': { type: 'string' },
        'ranker-candidates': { type: 'string' },
        'retrain-options': { type: 'string' },
        keep: { type: 'boolean', default: false },
        'clean-leftovers': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (cause) {
    throw new AppError(ErrorCode.InvalidArgument, `${(cause as Error).message}\n\n${HELP}`, { cause });
  }
  const { values } = parsed;
  if (values.help) return { kind: 'help', text: HELP };
  if (values.dataset === undefined) throw new AppError(ErrorCode.InvalidArgument, '--dataset is required (npm run eval -- --help)');
  if (values.out === undefined) throw new AppError(ErrorCode.InvalidArgument, '--out is required (npm run eval -- --help)');
  const stages = values.stages === undefined ? [...STAGE_NAMES] : values.stages.split(',').map((stage) => stage.trim()).filter((stage) => stage !== '');
  const unknown = stages.filter((stage) => !STAGE_NAMES.includes(stage));
  if (unknown.length > 0 || stages.length === 0) throw new AppError(ErrorCode.InvalidArgument, `--stages: unknown ${unknown.join(', ') || '(none given)'}; valid: ${STAGE_NAMES.join(', ')}`);
  const out = values.out;
  const { dir, name } = parse(out);
  return {
    kind: 'run',
    dataset: values.dataset,
    out,
    markdown: values.markdown ?? join(dir === '' ? dirname(out) : dir, `${name}.md`),
    seed: positiveInt(values.seed, '--seed', DEFAULT_SEED, 0),
    sample: positiveInt(values.sample, '--sample', DEFAULT_SAMPLE, 0),
    stages,
    concurrency: positiveInt(values.concurrency, '--concurrency', 16),
    keep: values.keep,
    cleanLeftovers: values['clean-leftovers'],
    fusedExperiments: values['fused-experiments'],
    tuning: values.tuning,
    catchUpTimeoutMs: positiveInt(values['catch-up-timeout-minutes'], '--catch-up-timeout-minutes', 30) * 60_000,
    rankerCandidates: share(values['ranker-candidates'], '--ranker-candidates', 1),
    retrainOptions: retrainOptions(values['retrain-options']),
  };
}

/** Options the harness sets itself cannot be overridden: the stage's data, topics and seed are its own. */
const OWNED_RETRAIN_OPTIONS = ['--name', '--user-prefix', '--from', '--to', '--label-window', '--topic', '--history-topic', '--sample-seed'];

function retrainOptions(value: string | undefined): readonly string[] {
  if (value === undefined) return [];
  const options = value.split(/\s+/).filter((part) => part !== '');
  const owned = options.filter((option) => OWNED_RETRAIN_OPTIONS.includes(option.split('=')[0] ?? option));
  if (owned.length > 0) throw new AppError(ErrorCode.InvalidArgument, `--retrain-options: ${owned.join(', ')} ${owned.length === 1 ? 'is' : 'are'} set by the ranker stage itself`);
  return options;
}
