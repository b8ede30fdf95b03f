import { parseArgs } from 'node:util';
import { AppError, ErrorCode } from '@streamrec/foundation';
import { isRankingFeature } from '@streamrec/ranking';
import { environmentVariables } from './config.js';
import { parseDuration } from './domain/durations.js';
import { checkModelName } from './domain/model-version.js';

export const Objective = { Auto: 'auto', LambdaRank: 'lambdarank', RankXendcg: 'rank_xendcg', Binary: 'binary' } as const;
export type Objective = (typeof Objective)[keyof typeof Objective];

/** What one training run does (the same for `run` and every run of `loop`). */
export interface RunOptions {
  readonly name: string;
  /** The run's columns; undefined = the feature list logged on most exposure rows of the window. */
  readonly features: readonly string[] | undefined;
  readonly fromMs: number | undefined;
  readonly toMs: number | undefined;
  readonly lookbackMs: number;
  readonly labelWindowMs: number;
  readonly validFraction: number;
  readonly holdoutFraction: number;
  readonly maxRowsPerRequest: number;
  readonly negativesPerPositive: number;
  /** Share of those negatives taken from the top of the served order (the hardest) instead of at random. */
  readonly hardNegativeShare: number;
  readonly sampleSeed: number;
  readonly seed: number;
  readonly objective: Objective;
  /** Members of the negative-bagged ensemble: each trains on every positive and its own negatives-per-positive share. */
  readonly ensemble: number;
  /** JSON object or @file, handed to the trainer's --params as is (after a syntax check of inline JSON). */
  readonly params: string | undefined;
  readonly threads: number;
  readonly margin: number;
  readonly force: boolean;
  readonly userIdPrefix: string | undefined;
  readonly topic: string | undefined;
  readonly historyTopic: string | undefined;
  readonly keepData: boolean;
}

/** Which model `score` scores (candidate) or compares with (against). */
export type ModelChoice =
  | { readonly kind: 'serving' }
  | { readonly kind: 'none' }
  | { readonly kind: 'version'; readonly version: string }
  | { readonly kind: 'file'; readonly path: string; readonly features: readonly string[] };

/** What `score` does: a model on the logged traffic of a window, per variant. */
export interface ScoreOptions {
  readonly name: string;
  readonly candidate: ModelChoice;
  readonly against: ModelChoice;
  readonly fromMs: number | undefined;
  readonly toMs: number | undefined;
  readonly lookbackMs: number;
  readonly labelWindowMs: number;
  readonly experiment: string | undefined;
  readonly userIdPrefix: string | undefined;
  readonly resamples: number;
  readonly seed: number;
  readonly out: string | undefined;
  readonly topic: string | undefined;
  readonly historyTopic: string | undefined;
}

export type Command =
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'score'; readonly options: ScoreOptions }
  | { readonly kind: 'run'; readonly options: RunOptions }
  | { readonly kind: 'loop'; readonly everyMs: number; readonly metricsPort: number | undefined; readonly options: RunOptions };

const PROGRAM = 'npm run retrain --';

const RUN_OPTIONS = `Data:
  --name N                     model name, the key on the models topic (default ranker)
  --features a,b,c             the model's columns (default: the feature list logged on most exposure
                               rows of the window); rows logged with other lists are mapped by name,
                               a name a row lacks is NaN (missing)
  --from ISO, --to ISO         exposure window [from, to) (UTC); --to is moved back to now − label window
  --lookback D                 window length when --from is absent (default 30d)
  --label-window D             interactions up to D after an exposure label it (default 24h)
  --valid F, --holdout F       shares of the requests, by time: the newest F held out for the gate, the F
                               before it for early stopping (default 0.1 and 0.1)
  --max-rows-per-request N     rows kept per request, positives first (default 100)
  --negatives-per-positive R   negatives kept per positive, chosen by a seeded hash (default 10)
  --hard-negatives F           share (0–1) of those taken from the top of the served order, the items the
                               serving ranker placed highest, instead of at random (default 0)
  --sample-seed S              seed of that choice and of the row order (default 1)
  --user-prefix P              only users whose id starts with P (isolated runs, tests)
Training:
  --objective auto|lambdarank|rank_xendcg|binary   (default auto: each, the highest valid NDCG@10 wins)
  --seed S                     LightGBM seed (default 42)
  --ensemble K                 average K models, each trained on every positive and its own sample of
                               negatives-per-positive negatives; the extraction keeps K times as many
                               negatives (1–16, default 4: meets the Amazon Beauty target, where one
                               model does not, at about 4× one model's trees; docs/evaluation.md run 9)
  --params JSON|@file          LightGBM parameters over the trainer's defaults (@file: relative to
                               the repository root, where npm runs scripts)
  --threads N                  LightGBM threads (default 1)
Gate and publication:
  --margin M                   holdout NDCG@10 the challenger must gain over the champion (default 0.001)
  --force                      publish even when the gate refuses (recorded as forced)
  --topic T, --history-topic T models topics (default $STREAMREC_MODELS_TOPIC / $STREAMREC_MODELS_HISTORY_TOPIC)
  --keep-data                  keep the dataset folder of the run (default: only the model files stay)`;

const ENVIRONMENT = Object.entries(environmentVariables)
  .map(([name, meaning]) => `  ${name.padEnd(40)} ${meaning}`)
  .join('\n');

export const HELP = {
  main: `Usage: ${PROGRAM} <command> [options]

Retrains the ranker: builds a point-in-time-correct training set from ClickHouse (exposures with their
logged features, labelled by what the same user did with the item in the label window after), trains
LightGBM (jobs/retrain/python), checks the ONNX export in onnxruntime-node, scores it and the champion
(the model serving under the same name) on a time-based holdout, and publishes the challenger only when
it wins. Every run is recorded in ClickHouse streamrec.model_runs and in MLflow.

Commands:
  run     one run; progress on stderr, a JSON summary on stdout
  loop    run every --every period until SIGTERM; serves /metrics
  score   score a model on past traffic (logged exposures and the labels that followed), per experiment
          variant and overall, against the serving model and the served order; publishes nothing

Run '${PROGRAM} <command> --help' for the options. Exit codes: 0 run finished (published or refused),
1 run failed, 2 usage.

Environment:
${ENVIRONMENT}`,
  run: `Usage: ${PROGRAM} run [options]

${RUN_OPTIONS}`,
  loop: `Usage: ${PROGRAM} loop --every 6h [--metrics-port P] [run options]

Runs, waits until --every after the run's start (at once when a run took longer), runs again. A failed
run is logged and recorded, and the loop goes on. SIGTERM or SIGINT stops it between runs (a run in
progress finishes first; a second signal aborts it, recorded as failed). /metrics (prom-client) serves
the last run's time, status and duration and the published version.

  --every D                    period (e.g. 6h, 1d)
  --metrics-port P             /metrics port (default $STREAMREC_RETRAIN_METRICS_PORT or 19106; 0 = any)

${RUN_OPTIONS}`,
  score: `Usage: ${PROGRAM} score (--version V | --model-file F --features a,b,c | --serving) [options]

Judges a model before any traffic sees it: the rows of every logged request in the window that got a
positive label (the shown items and the sampled unshown candidates, features exactly as served), each
model's order of them against the grades that followed (the gate's NDCG@10, HR@10, AUC), per
(experiment, variant) and overall, beside the order the traffic was served in. The candidate's NDCG@10
gain over the baseline and over the served order comes with a paired bootstrap 95 % interval over
requests. A table on stderr, the JSON report on stdout (and --out). Publishes and records nothing.

Model:
  --name N                     model name on the models topics (default ranker)
  --version V                  the candidate: version V from the history topic
  --model-file F --features a,b,c   the candidate: an ONNX file reading those features, in that order
  --serving                    the candidate: the model serving --name now
  --against serving|none|V     baseline: the model serving now (default), none, or history version V
Traffic:
  --from ISO, --to ISO         exposure window [from, to) (UTC); --to is moved back to now − label window
  --lookback D                 window length when --from is absent (default 7d)
  --label-window D             interactions up to D after an exposure label it (default 24h)
  --experiment ID              only exposures of that experiment
  --user-prefix P              only users whose id starts with P
Report:
  --bootstrap N                resamples of the paired interval (default 1000; 0 = none)
  --seed S                     seed of the resamples (default 1)
  --out FILE                   also write the JSON report there, and a markdown table next to it (.md)
  --topic T, --history-topic T models topics (default $STREAMREC_MODELS_TOPIC / $STREAMREC_MODELS_HISTORY_TOPIC)

Exit codes: 0 report written, 1 failed (no logged traffic in the window, a version or file not found,
the stack unreachable), 2 usage.`,
} as const;

function usage(message: string): AppError {
  return new AppError(ErrorCode.InvalidArgument, message);
}

const options = {
  help: { type: 'boolean', short: 'h' },
  name: { type: 'string' },
  features: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  lookback: { type: 'string' },
  'label-window': { type: 'string' },
  valid: { type: 'string' },
  holdout: { type: 'string' },
  'max-rows-per-request': { type: 'string' },
  'negatives-per-positive': { type: 'string' },
  'hard-negatives': { type: 'string' },
  'sample-seed': { type: 'string' },
  ensemble: { type: 'string' },
  'user-prefix': { type: 'string' },
  objective: { type: 'string' },
  seed: { type: 'string' },
  params: { type: 'string' },
  threads: { type: 'string' },
  margin: { type: 'string' },
  force: { type: 'boolean' },
  topic: { type: 'string' },
  'history-topic': { type: 'string' },
  'keep-data': { type: 'boolean' },
  every: { type: 'string' },
  'metrics-port': { type: 'string' },
  version: { type: 'string' },
  'model-file': { type: 'string' },
  serving: { type: 'boolean' },
  against: { type: 'string' },
  experiment: { type: 'string' },
  bootstrap: { type: 'string' },
  out: { type: 'string' },
} as const;

type Values = { [K in keyof typeof options]?: (typeof options)[K]['type'] extends 'boolean' ? boolean : string };

function numberOption(value: string | undefined, option: string, fallback: number, check: (n: number) => boolean, what: string): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || !check(parsed)) throw usage(`--${option} must be ${what}, got '${value}'`);
  return parsed;
}

const integer = (min: number, max = Number.MAX_SAFE_INTEGER) => (n: number): boolean => Number.isInteger(n) && n >= min && n <= max;

const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/** An ISO 8601 date or time; without an offset it is UTC (not the machine's zone). */
function instant(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  const match = ISO_TIME.exec(value);
  const ms = match === null ? Number.NaN : Date.parse(value.includes('T') && match[1] === undefined ? `${value}Z` : value);
  if (!Number.isFinite(ms)) throw usage(`--${option} must be an ISO 8601 time such as 2026-11-01 or 2026-11-01T06:00:00Z (UTC when no offset), got '${value}'`);
  return ms;
}

function featureList(value: string | undefined): readonly string[] | undefined {
  if (value === undefined) return undefined;
  const names = value.split(',').map((name) => name.trim()).filter((name) => name !== '');
  if (names.length === 0) throw usage('--features needs at least one name');
  const unknown = names.filter((name) => !isRankingFeature(name));
  if (unknown.length > 0) throw usage(`--features: not ranking features (packages/ranking): ${unknown.join(', ')}`);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate !== undefined) throw usage(`--features lists ${duplicate} twice`);
  return names;
}

function paramsOption(value: string | undefined): string | undefined {
  if (value === undefined || value.startsWith('@')) return value;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw usage('--params is not valid JSON (or @file)');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw usage('--params must be a JSON object');
  return value;
}

function runOptions(values: Values): RunOptions {
  const objective = values.objective ?? Objective.Auto;
  if (!Object.values(Objective).includes(objective as Objective)) throw usage(`--objective must be auto, lambdarank, rank_xendcg or binary, got '${objective}'`);
  const fraction = (n: number): boolean => n > 0 && n < 0.5;
  const parsed: RunOptions = {
    name: checkUsage(() => checkModelName(values.name ?? 'ranker')),
    features: featureList(values.features),
    fromMs: instant(values.from, 'from'),
    toMs: instant(values.to, 'to'),
    lookbackMs: parseDuration(values.lookback ?? '30d', '--lookback'),
    labelWindowMs: parseDuration(values['label-window'] ?? '24h', '--label-window'),
    validFraction: numberOption(values.valid, 'valid', 0.1, fraction, 'a share between 0 and 0.5'),
    holdoutFraction: numberOption(values.holdout, 'holdout', 0.1, fraction, 'a share between 0 and 0.5'),
    maxRowsPerRequest: numberOption(values['max-rows-per-request'], 'max-rows-per-request', 100, integer(1, 100_000), 'an integer from 1 to 100000'),
    negativesPerPositive: numberOption(values['negatives-per-positive'], 'negatives-per-positive', 10, (n) => n >= 0 && n <= 100_000, 'a number from 0 to 100000'),
    hardNegativeShare: numberOption(values['hard-negatives'], 'hard-negatives', 0, (n) => n >= 0 && n <= 1, 'a share from 0 to 1'),
    sampleSeed: numberOption(values['sample-seed'], 'sample-seed', 1, integer(0, 0xffffffff), 'an integer from 0 to 4294967295'),
    seed: numberOption(values.seed, 'seed', 42, integer(0, 2_147_483_647), 'an integer from 0 to 2147483647'),
    objective: objective as Objective,
    ensemble: numberOption(values.ensemble, 'ensemble', 4, integer(1, 16), 'an integer from 1 to 16'),
    params: paramsOption(values.params),
    threads: numberOption(values.threads, 'threads', 1, integer(1, 256), 'an integer from 1 to 256'),
    margin: numberOption(values.margin, 'margin', 0.001, (n) => n >= -1 && n <= 1, 'a number from -1 to 1'),
    force: values.force === true,
    userIdPrefix: values['user-prefix'] === undefined ? undefined : nonEmpty(values['user-prefix'], 'user-prefix'),
    topic: values.topic,
    historyTopic: values['history-topic'],
    keepData: values['keep-data'] === true,
  };
  if (parsed.fromMs !== undefined && parsed.toMs !== undefined && parsed.fromMs >= parsed.toMs) throw usage('--from must be before --to');
  return parsed;
}

function nonEmpty(value: string, option: string): string {
  if (value === '') throw usage(`--${option} must not be empty`);
  return value;
}

function checkUsage<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    throw usage(error instanceof Error ? error.message : String(error));
  }
}

const RUN_ONLY = ['features', 'valid', 'holdout', 'max-rows-per-request', 'negatives-per-positive', 'hard-negatives', 'sample-seed', 'objective', 'ensemble', 'params', 'threads', 'margin', 'force', 'keep-data', 'every', 'metrics-port'] as const;
const SCORE_ONLY = ['version', 'model-file', 'serving', 'against', 'experiment', 'bootstrap', 'out'] as const;

function candidateChoice(values: Values): ModelChoice {
  const given = [values.version !== undefined, values['model-file'] !== undefined, values.serving === true].filter(Boolean).length;
  if (given !== 1) throw usage('score: give exactly one of --version V, --model-file F (with --features) or --serving');
  if (values.version !== undefined) return { kind: 'version', version: nonEmpty(values.version, 'version') };
  if (values['model-file'] !== undefined) {
    const features = featureList(values.features);
    if (features === undefined) throw usage('score: --model-file needs --features (the names of its input columns, in order)');
    return { kind: 'file', path: nonEmpty(values['model-file'], 'model-file'), features };
  }
  return { kind: 'serving' };
}

function againstChoice(value: string | undefined): ModelChoice {
  if (value === undefined || value === 'serving') return { kind: 'serving' };
  if (value === 'none') return { kind: 'none' };
  return { kind: 'version', version: nonEmpty(value, 'against') };
}

function scoreOptions(values: Values): ScoreOptions {
  const misplaced = RUN_ONLY.filter((option) => option !== 'features' && values[option] !== undefined);
  if (misplaced.length > 0) throw usage(`score: --${misplaced.join(', --')} belong${misplaced.length === 1 ? 's' : ''} to run or loop`);
  if (values.features !== undefined && values['model-file'] === undefined) throw usage('score: --features goes with --model-file (a published model names its own)');
  const candidate = candidateChoice(values);
  const against = againstChoice(values.against);
  if (candidate.kind === 'serving' && against.kind === 'serving') throw usage('score: --serving against the serving model compares a model with itself; add --against none or --against V');
  const parsed: ScoreOptions = {
    name: checkUsage(() => checkModelName(values.name ?? 'ranker')),
    candidate,
    against,
    fromMs: instant(values.from, 'from'),
    toMs: instant(values.to, 'to'),
    lookbackMs: parseDuration(values.lookback ?? '7d', '--lookback'),
    labelWindowMs: parseDuration(values['label-window'] ?? '24h', '--label-window'),
    experiment: values.experiment === undefined ? undefined : nonEmpty(values.experiment, 'experiment'),
    userIdPrefix: values['user-prefix'] === undefined ? undefined : nonEmpty(values['user-prefix'], 'user-prefix'),
    resamples: numberOption(values.bootstrap, 'bootstrap', 1000, integer(0, 100_000), 'an integer from 0 to 100000'),
    seed: numberOption(values.seed, 'seed', 1, integer(0, 0xffffffff), 'an integer from 0 to 4294967295'),
    out: values.out === undefined ? undefined : nonEmpty(values.out, 'out'),
    topic: values.topic,
    historyTopic: values['history-topic'],
  };
  if (parsed.fromMs !== undefined && parsed.toMs !== undefined && parsed.fromMs >= parsed.toMs) throw usage('--from must be before --to');
  return parsed;
}

export function parseCommandLine(argv: readonly string[]): Command {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') return { kind: 'help', text: HELP.main };
  if (command !== 'run' && command !== 'loop' && command !== 'score') throw usage(`unknown command '${command}' (see --help)`);
  let values: Values;
  try {
    ({ values } = parseArgs({ args: [...rest], options, allowPositionals: false, strict: true }));
  } catch (cause) {
    throw usage(`${command}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
  if (values.help === true) return { kind: 'help', text: HELP[command] };
  if (command === 'score') return { kind: 'score', options: scoreOptions(values) };
  const scoreOnly = SCORE_ONLY.filter((option) => values[option] !== undefined);
  if (scoreOnly.length > 0) throw usage(`${command}: --${scoreOnly.join(', --')} belong${scoreOnly.length === 1 ? 's' : ''} to score`);
  if (command === 'run') {
    if (values.every !== undefined || values['metrics-port'] !== undefined) throw usage('run: --every and --metrics-port belong to loop');
    return { kind: 'run', options: runOptions(values) };
  }
  if (values.every === undefined) throw usage('loop: --every is required (e.g. --every 6h)');
  return {
    kind: 'loop',
    everyMs: parseDuration(values.every, '--every'),
    metricsPort: values['metrics-port'] === undefined ? undefined : numberOption(values['metrics-port'], 'metrics-port', 0, integer(0, 65_535), 'a port from 0 to 65535'),
    options: runOptions(values),
  };
}
