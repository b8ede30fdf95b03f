import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import type { Redis } from 'ioredis';
import { AppError, ErrorCode, type StateVersion } from '@streamrec/foundation';
import { spawnProcessor, type Logger, type ProcessorChild } from '@streamrec/foundation/process';
import { itemActivityTopic } from '@streamrec/streams-common';
import { startEvalApi, writeEvalKeys, type EvalApiKeys } from './adapters/eval-api.js';
import { evalClickHouse } from './adapters/eval-clickhouse.js';
import { processorGroups, startEvalProcessors, type ProcessorParams } from './adapters/eval-processors.js';
import { runRetrain, type RetrainSummary } from './adapters/eval-retrain.js';
import { createEvalTopics, evalTopicNames, produceInteractions, produceItems, type EvalTopics } from './adapters/eval-topics.js';
import { recommendAll, type ServedList } from './adapters/recommend-client.js';
import type { EvalStack } from './config.js';
import { historyOf, type Dataset, type UserSequence } from './domain/dataset.js';
import { MAX_CUTOFF } from './domain/metrics.js';
import { labelEvents, rankerExperimentsYaml, rankerUserPrefix, scoringSequences, trainingSequences } from './domain/ranker-plan.js';
import type { StageResult, TrainingFacts } from './domain/report.js';
import { defaultScheduleParams, replaySchedule } from './domain/schedule.js';
import { scoreAnswers } from './domain/scoring.js';
import { FUSED_STAGE, RANKER_STAGE, type StageExperiments } from './domain/stages.js';
import { createTopicsReady } from '@streamrec/foundation/kafka';

export interface RankerStageContext {
  readonly stack: EvalStack;
  readonly runId: string;
  readonly seed: number;
  readonly version: StateVersion;
  readonly dataset: Dataset;
  readonly fused: StageExperiments;
  readonly dataDir: string;
  readonly concurrency: number;
  readonly catchUpTimeoutMs: number;
  /** Share of the unshown ranked candidates the training answers log (1: all ~300). */
  readonly candidateRate: number;
  /** Extra options of the training run (cli-args.ts). */
  readonly retrainOptions: readonly string[];
  readonly tuning: { readonly api?: Record<string, unknown>; readonly features?: unknown; readonly trending?: unknown } & ProcessorParams;
  readonly kafka: Kafka;
  readonly redis: Redis;
  readonly out: (line: string) => void;
  readonly log: Logger;
}

/** The labels come this long after the answer they follow; the training job's label window covers them. */
const LABEL_DELAY_MS = 1_000;
const LABEL_WINDOW = '2m';
const LABEL_WINDOW_MS = 120_000;
const MODEL_NAME = 'eval-ranker';

/**
 * The ranker stage (ranker-plan.ts): its own topics, state version and users; trains with the real
 * training job and scores the model against the recall order on the same state. Returns two rows:
 * `ranker` and `fused (ranker stage)`, the apples-to-apples baseline.
 */
export async function runRankerStage(context: RankerStageContext): Promise<StageResult[]> {
  const { out, stack } = context;
  const prefix = rankerUserPrefix(context.runId);
  const topics = evalTopicNames(`${context.runId}r`);
  // The sink writes the run's interactions and exposures (what training reads); the dataset's items stay out
  // of the analytics tables (their ids would collide with the shop's), so its other topics are empty ones.
  const sinkTopics = { orders: `eval.${context.runId}r.orders`, orderItems: `eval.${context.runId}r.order-items`, items: `eval.${context.runId}r.sink-items` };
  const historyTopic = `eval.${context.runId}r.models-history`;
  const groupVersion = `eval-${context.runId}r`;
  const training = trainingSequences(context.dataset.users, prefix);
  const scoring = scoringSequences(context.dataset.users, prefix);
  const admin = context.kafka.admin();
  const clickhouse = evalClickHouse(stack);
  const dataDir = join(context.dataDir, 'ranker');
  await mkdir(dataDir, { recursive: true });
  const processorRun = { version: context.version, groupVersion, topics, params: context.tuning, logDir: dataDir };
  let sink: ProcessorChild | undefined;
  await admin.connect();
  try {
    await createEvalTopics(admin, topics, 6);
    await createTopicsReady(admin, {
      topics: [
        { topic: sinkTopics.orders, numPartitions: 1 },
        { topic: sinkTopics.orderItems, numPartitions: 1 },
        { topic: sinkTopics.items, numPartitions: 1 },
        { topic: historyTopic, numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }, { name: 'max.message.bytes', value: '67108864' }] },
      ],
    });
    const producer = context.kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      await produceItems(producer, topics.items, context.dataset, Date.now());
      const schedule = replaySchedule(training, { seed: context.seed, ...defaultScheduleParams }, Date.now());
      await produceInteractions(producer, topics.interactions, schedule.events, () => undefined);
      out(`  ranker: ${schedule.events.length} views of s[:-2] for ${training.length} users → ${topics.interactions}`);
    } finally {
      await producer.disconnect();
    }
    await catchUp(context, processorRun);

    sink = spawnProcessor('clickhouse-sink', sinkEnvironment(context, topics, sinkTopics, groupVersion), dataDir);
    const { keysFile, keys, experimentsFile } = await apiFiles(dataDir, rankerExperimentsYaml(context.fused, null, MAX_CUTOFF));
    const maxHistory = Math.max(0, ...context.dataset.users.map((sequence) => sequence.items.length - 1));
    const apiSettings = { version: context.version, topics, dataDir, experimentsFile, keysFile, popularity: 'decayed' as const, items: context.dataset.items.length, maxExclude: maxHistory, listLimit: Math.max(300, maxHistory + MAX_CUTOFF), featuresParams: context.tuning.features, trendingParams: context.tuning.trending };
    const overrides = (rate: number): Record<string, unknown> => ({ ...(context.tuning.api ?? {}), exposures: { unshownSampleRate: rate } });

    // Serve every user on s[:-2], logging the answers with their candidates (the training exposures).
    const servedAt = new Map<string, number>();
    const trainingStarted = Date.now();
    await withApi(context, { ...apiSettings, overrides: overrides(context.candidateRate) }, async (url) => {
      await serveAll(context, url, keys, training, 'ranker training requests', (index) => servedAt.set((training[index] as UserSequence).user, Date.now()));
    });
    // The labels (s[-2]) arrive after the answers; the processors then hold s[:-1] for scoring.
    const labels = labelEvents(training, servedAt, LABEL_DELAY_MS);
    const labelProducer = context.kafka.producer({ allowAutoTopicCreation: false });
    await labelProducer.connect();
    try {
      await produceInteractions(labelProducer, topics.interactions, labels, () => undefined);
    } finally {
      await labelProducer.disconnect();
    }
    await catchUp(context, processorRun);
    await clickhouse.waitForRows(prefix, { exposures: training.length, interactions: labels.length }, out, context.catchUpTimeoutMs);
    const closesAt = Math.max(...servedAt.values()) + LABEL_WINDOW_MS + 5_000;
    if (Date.now() < closesAt) {
      out(`  ranker: waiting ${Math.ceil((closesAt - Date.now()) / 1000)} s for the label window of the last answer to close`);
      await new Promise((resolve) => setTimeout(resolve, closesAt - Date.now()));
    }
    const summary = await runRetrain(
      ['--name', MODEL_NAME, '--user-prefix', prefix, '--from', new Date(trainingStarted - 60_000).toISOString(), '--label-window', LABEL_WINDOW, '--topic', topics.models, '--history-topic', historyTopic, '--sample-seed', String(context.seed), ...context.retrainOptions],
      { ...stack.childEnvironment, STREAMREC_LOG_LEVEL: 'warn' },
      dataDir,
      out,
    );
    out(`  ranker: trained ${summary.model_version ?? '?'} (${summary.status}: ${summary.reason})`);
    const facts = await trainingFacts(summary, context.retrainOptions);

    // Score s[-1] on the state of s[:-1]: with the model, and in recall order (the same candidates).
    const results: StageResult[] = [];
    await withApi(context, { ...apiSettings, overrides: overrides(0) }, async (url, api) => {
      if (api.parts.models.current(MODEL_NAME) === undefined) throw new AppError(ErrorCode.DependencyUnavailable, `the API did not load ${MODEL_NAME} from ${topics.models}`);
      for (const [name, modelName] of [[RANKER_STAGE, MODEL_NAME], [`${FUSED_STAGE} (ranker stage)`, null]] as const) {
        await writeFile(experimentsFile, rankerExperimentsYaml(context.fused, modelName, MAX_CUTOFF));
        const reloaded = api.parts.experiments.reload();
        if (!reloaded.ok) throw new AppError(ErrorCode.ConfigInvalid, `the ranker stage's experiments file was refused: ${reloaded.errors.join('; ')}`);
        const started = Date.now();
        const answers = await serveAll(context, url, keys, scoring, name);
        const score = scoreAnswers(scoring, answers, MAX_CUTOFF);
        out(`  ${name}: HR@10 ${score.metrics['HR@10'].toFixed(4)} NDCG@10 ${score.metrics['NDCG@10'].toFixed(4)} (${score.users} users)`);
        results.push({
          name,
          status: 'ok',
          description: modelName === null ? 'recall order on the ranker stage’s state (its baseline)' : 'the fused candidates re-ranked by the model the training job learned from the logged exposures',
          population: 'all',
          wallMs: Date.now() - started,
          popularity: 'decayed',
          experiments: context.fused,
          ...(modelName === null ? {} : { training: facts }),
          ...score,
        });
      }
    });
    return results;
  } finally {
    await sink?.stop();
    await clickhouse.deleteRun(prefix).catch((error: unknown) => context.log.warn({ err: error }, 'deleting the ranker stage rows failed'));
    await clickhouse.close();
    await admin.deleteGroups([...processorGroups(groupVersion), `clickhouse-sink-${groupVersion}`]).catch(() => undefined);
    const owned = [topics.interactions, topics.items, topics.exposures, topics.models, topics.users, ...Object.values(sinkTopics), historyTopic, itemActivityTopic(context.version)];
    const existing = new Set(await admin.listTopics());
    await admin.deleteTopics({ topics: owned.filter((topic) => existing.has(topic)) }).catch(() => undefined);
    await admin.disconnect();
  }
}

async function catchUp(context: RankerStageContext, run: Parameters<typeof startEvalProcessors>[1]): Promise<void> {
  const processors = startEvalProcessors(context.stack, run, { redis: context.redis, admin: context.kafka.admin() });
  try {
    await processors.waitCaughtUp(context.out, context.catchUpTimeoutMs);
  } finally {
    await processors.stop();
  }
}

function sinkEnvironment(context: RankerStageContext, topics: EvalTopics, sinkTopics: { readonly orders: string; readonly orderItems: string; readonly items: string }, groupVersion: string): Record<string, string | undefined> {
  return {
    ...context.stack.childEnvironment,
    STREAMREC_CLICKHOUSE_SINK_TOPICS: JSON.stringify({ interactions: topics.interactions, exposures: topics.exposures, users: topics.users, ...sinkTopics }),
    STREAMREC_CLICKHOUSE_SINK_GROUP_VERSION: groupVersion,
    STREAMREC_CLICKHOUSE_SINK_START_FROM: 'earliest',
    STREAMREC_CLICKHOUSE_SINK_METRICS_PORT: '0',
    STREAMREC_CLICKHOUSE_SINK_LOG_LEVEL: 'warn',
  };
}

async function apiFiles(dataDir: string, experiments: string): Promise<{ keysFile: string; keys: EvalApiKeys; experimentsFile: string }> {
  const experimentsFile = join(dataDir, 'experiments.yaml');
  await writeFile(experimentsFile, experiments);
  const { file: keysFile, keys } = await writeEvalKeys(dataDir);
  return { keysFile, keys, experimentsFile };
}

async function withApi(context: RankerStageContext, settings: Parameters<typeof startEvalApi>[1], body: (url: string, api: Awaited<ReturnType<typeof startEvalApi>>) => Promise<void>): Promise<void> {
  const api = await startEvalApi(context.stack, settings, context.log.child({ component: 'api' }));
  try {
    await api.parts.snapshot.refresh();
    await body(api.url, api);
  } finally {
    await api.stop();
  }
}

async function serveAll(context: RankerStageContext, url: string, keys: EvalApiKeys, users: readonly UserSequence[], label: string, onAnswer?: (index: number) => void): Promise<ServedList[]> {
  const started = Date.now();
  let printed = started;
  return recommendAll(url, keys.read, users.map((sequence) => ({ user: sequence.user, exclude: historyOf(sequence) })), {
    limit: MAX_CUTOFF,
    concurrency: context.concurrency,
    ...(onAnswer === undefined ? {} : { onAnswer: (index: number) => onAnswer(index) }),
    onProgress: (done) => {
      const now = Date.now();
      if (now - printed < 5_000 && done !== users.length) return;
      printed = now;
      const rate = (done * 1000) / Math.max(1, now - started);
      context.out(`  ${label}: ${done}/${users.length} users, ${Math.round(rate)} req/s${done === users.length ? '' : `, ETA ${Math.ceil((users.length - done) / Math.max(rate, 1e-9))} s`}`);
    },
  });
}

async function trainingFacts(summary: RetrainSummary, retrainOptions: readonly string[]): Promise<TrainingFacts> {
  const splits = summary.data.splits ?? {};
  const onnxBytes = await stat(join(summary.run_dir, 'model', 'model.onnx')).then((info) => info.size, () => 0);
  return {
    modelVersion: summary.model_version ?? '',
    objective: summary.trainer?.objective ?? '',
    trees: summary.trainer?.num_trees ?? 0,
    trainSeconds: summary.trainer?.train_seconds ?? 0,
    rows: Object.fromEntries(Object.entries(splits).map(([name, split]) => [name, split.rows])),
    groups: Object.fromEntries(Object.entries(splits).map(([name, split]) => [name, split.groups])),
    onnxBytes,
    holdout: { ...(summary.challenger ?? {}) },
    retrainOptions: [...retrainOptions],
  };
}
