import { parseArgs } from 'node:util';
import { AppError, ErrorCode } from '@streamrec/foundation';

export type Command =
  | { readonly kind: 'help'; readonly text: string }
  | {
      readonly kind: 'publish';
      readonly file: string;
      readonly name: string;
      readonly version: string;
      readonly features: readonly string[];
      readonly metrics: Readonly<Record<string, number>>;
      readonly lineage: Readonly<Record<string, string>>;
      readonly topic: string | undefined;
      readonly historyTopic: string | undefined;
    }
  | {
      readonly kind: 'bootstrap';
      readonly name: string;
      readonly version: string | undefined;
      readonly topic: string | undefined;
      readonly historyTopic: string | undefined;
      readonly out: string | undefined;
    }
  | {
      readonly kind: 'synthetic-trees';
      readonly name: string;
      readonly version: string | undefined;
      readonly trees: number;
      readonly depth: number;
      readonly seed: number;
      readonly features: readonly string[] | undefined;
      readonly topic: string | undefined;
      readonly historyTopic: string | undefined;
      readonly out: string | undefined;
    }
  | { readonly kind: 'list'; readonly topic: string | undefined }
  | { readonly kind: 'unpublish'; readonly name: string; readonly topic: string | undefined }
  | { readonly kind: 'history'; readonly name: string | undefined; readonly topic: string | undefined; readonly historyTopic: string | undefined }
  | { readonly kind: 'rollback'; readonly name: string; readonly to: string | undefined; readonly topic: string | undefined; readonly historyTopic: string | undefined }
  | { readonly kind: 'features-doc'; readonly name: string | undefined; readonly out: string | undefined; readonly topic: string | undefined };

const PROGRAM = 'npm run model --';
const TOPIC = '  --topic T            topic (default $STREAMREC_MODELS_TOPIC or models.published.v1)';
const HISTORY_TOPIC = '  --history-topic T    history of every version (default $STREAMREC_MODELS_HISTORY_TOPIC or models.history.v1)';

export const HELP = {
  main: `Usage: ${PROGRAM} <command> [options]

Publishes ranker models (ONNX) to models.published.v1, keyed by model name; the API loads the latest
valid one per name and swaps it in without a restart.

Commands:
  publish          publish an ONNX file with its feature names, metrics and lineage
  bootstrap        publish the hand-weighted linear ranker (serves until a trained one is published)
  synthetic-trees  publish a seeded random tree ensemble of realistic cost (for benchmarks)
  list             what the topic holds: every record with name, version, sha256, size, features
  unpublish        publish a tombstone: the API stops ranking with that name
  history          every version ever published (models.history.v1), newest first
  rollback         republish an earlier version from the history, exactly as it was published
  features-doc     write docs/features.md from the feature list, with the serving model's gain per feature

Every publication goes to models.history.v1 first (key <name>:<version>, so compaction keeps every
version), then to models.published.v1.

Run '${PROGRAM} <command> --help' for its options. Exit codes: 0 ok, 1 failed, 2 usage.`,
  publish: `Usage: ${PROGRAM} publish --file model.onnx --name ranker --version V --features a,b,c
           [--metrics JSON] [--lineage JSON] [--topic T]

  --file F             the ONNX model: one float32 input [N, feature count], one score per row
  --features LIST      its input columns in order, comma-separated names from RANKING_FEATURES
  --metrics JSON       e.g. '{"auc":0.71,"ndcg_at_10":0.42}' (numbers)
  --lineage JSON       e.g. '{"trainer":"lightgbm","parent_version":"v3","git_commit":"abc"}' (strings)
${TOPIC}
${HISTORY_TOPIC}

The model is loaded and warmed up with the API's own checks before it is published.`,
  bootstrap: `Usage: ${PROGRAM} bootstrap --name ranker [--version V] [--topic T] [--history-topic T] [--out FILE]

  --version V          default bootstrap-<UTC timestamp>
  --out FILE           write the ONNX file instead of publishing
${TOPIC}
${HISTORY_TOPIC}`,
  'synthetic-trees': `Usage: ${PROGRAM} synthetic-trees --name ranker [--trees 200] [--depth 6] [--seed 1]
           [--features LIST] [--version V] [--topic T] [--out FILE]

  --trees N, --depth D full binary trees of depth D (2^D leaves each); default 200 × 6
  --seed S             random seed (default 1): the same options give the same model
  --features LIST      input columns (default: every ranking feature)
  --version V          default synthetic-t<N>-d<D>-s<S>
  --out FILE           write the ONNX file instead of publishing
${TOPIC}
${HISTORY_TOPIC}`,
  list: `Usage: ${PROGRAM} list [--topic T]`,
  unpublish: `Usage: ${PROGRAM} unpublish --name ranker [--topic T]`,
  history: `Usage: ${PROGRAM} history [--name ranker] [--topic T] [--history-topic T]

Every version in the history, newest first; * marks the one serving on the topic now.
  --name N             only this model (default: every name)
${TOPIC}
${HISTORY_TOPIC}`,
  'features-doc': `Usage: ${PROGRAM} features-doc [--name ranker] [--out FILE] [--topic T]

Writes the ranking features' documentation (name, meaning, source, window, unit per feature, by family)
from packages/ranking/src/ranking-features.ts. With --name, each feature's share of the split gain in
the model serving that name now (from its publication's importance.gain.* metrics) is added.
  --name N             the model whose importance to show (default: none)
  --out FILE           default docs/features.md
${TOPIC}`,
  rollback: `Usage: ${PROGRAM} rollback [--name ranker] [--to VERSION] [--topic T] [--history-topic T]

Republishes a version from the history to the topic exactly as it was published (same ONNX bytes,
sha256, version, metrics, lineage and publication time); the API swaps it in like any publication.
  --name N             model name (default ranker)
  --to VERSION         the version to serve (default: the one published before the version serving now;
                       a second rollback goes back one more)
${TOPIC}
${HISTORY_TOPIC}`,
} as const;

type HelpTopic = keyof typeof HELP;

function usage(message: string): AppError {
  return new AppError(ErrorCode.InvalidArgument, message);
}

function required(value: string | undefined, option: string): string {
  if (value === undefined || value.trim() === '') throw usage(`--${option} is required`);
  return value.trim();
}

function integer(value: string | undefined, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed)) throw usage(`--${option} must be an integer, got '${value}'`);
  return parsed;
}

function list(value: string): string[] {
  return value.split(',').map((item) => item.trim()).filter((item) => item !== '');
}

function jsonMap<V extends 'number' | 'string'>(value: string | undefined, option: string, type: V): Record<string, V extends 'number' ? number : string> {
  if (value === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw usage(`--${option} is not valid JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw usage(`--${option} must be a JSON object`);
  const bad = Object.entries(parsed).filter(([, entry]) => typeof entry !== type || (type === 'number' && !Number.isFinite(entry)));
  if (bad.length > 0) throw usage(`--${option}: ${bad.map(([key]) => key).join(', ')} must be ${type}s`);
  return parsed as Record<string, V extends 'number' ? number : string>;
}

const options = {
  help: { type: 'boolean', short: 'h' },
  file: { type: 'string' },
  name: { type: 'string' },
  version: { type: 'string' },
  features: { type: 'string' },
  metrics: { type: 'string' },
  lineage: { type: 'string' },
  topic: { type: 'string' },
  'history-topic': { type: 'string' },
  to: { type: 'string' },
  out: { type: 'string' },
  trees: { type: 'string' },
  depth: { type: 'string' },
  seed: { type: 'string' },
} as const;

export function parseCommandLine(argv: readonly string[]): Command {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') return { kind: 'help', text: HELP.main };
  if (!(command in HELP) || command === 'main') throw usage(`unknown command '${command}' (see --help)`);
  let values: { [K in keyof typeof options]?: (typeof options)[K]['type'] extends 'boolean' ? boolean : string };
  try {
    ({ values } = parseArgs({ args: [...rest], options, allowPositionals: false, strict: true }));
  } catch (cause) {
    throw usage(`${command}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
  if (values.help === true) return { kind: 'help', text: HELP[command as HelpTopic] };
  const topic = values.topic;
  const historyTopic = values['history-topic'];
  switch (command) {
    case 'publish':
      return {
        kind: 'publish',
        file: required(values.file, 'file'),
        name: required(values.name, 'name'),
        version: required(values.version, 'version'),
        features: list(required(values.features, 'features')),
        metrics: jsonMap(values.metrics, 'metrics', 'number'),
        lineage: jsonMap(values.lineage, 'lineage', 'string'),
        topic,
        historyTopic,
      };
    case 'bootstrap':
      return { kind: 'bootstrap', name: required(values.name, 'name'), version: values.version, topic, historyTopic, out: values.out };
    case 'synthetic-trees':
      return {
        kind: 'synthetic-trees',
        name: required(values.name, 'name'),
        version: values.version,
        trees: integer(values.trees, 'trees', 200),
        depth: integer(values.depth, 'depth', 6),
        seed: integer(values.seed, 'seed', 1),
        features: values.features === undefined ? undefined : list(values.features),
        topic,
        historyTopic,
        out: values.out,
      };
    case 'list':
      return { kind: 'list', topic };
    case 'unpublish':
      return { kind: 'unpublish', name: required(values.name, 'name'), topic };
    case 'history':
      return { kind: 'history', name: values.name === undefined ? undefined : required(values.name, 'name'), topic, historyTopic };
    case 'features-doc':
      return { kind: 'features-doc', name: values.name === undefined ? undefined : required(values.name, 'name'), out: values.out, topic };
    case 'rollback':
      return { kind: 'rollback', name: values.name === undefined ? 'ranker' : required(values.name, 'name'), to: values.to === undefined ? undefined : required(values.to, 'to'), topic, historyTopic };
    default:
      throw usage(`unknown command '${command}' (see --help)`);
  }
}
