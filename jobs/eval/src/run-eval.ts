import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Redis } from 'ioredis';
import { AppError, ErrorCode, kafkaClientOptions, parseStateVersion, type StateVersion } from '@streamrec/foundation';
import { repoRoot, type Logger } from '@streamrec/foundation/process';
import { itemActivityTopic } from '@streamrec/streams-common';
import { versionKeys, versionsPresent } from '@streamrec/replay/app';
import { readDatasetDir } from './adapters/dataset-files.js';
import { startEvalProcessors, processorGroups } from './adapters/eval-processors.js';
import { createEvalTopics, evalTopicNames, produceInteractions, produceItems } from './adapters/eval-topics.js';
import type { EvalOptions } from './cli-args.js';
import type { EvalStack } from './config.js';
import { livePopularityCheck, metricSelfCheck, popularityRecountCheck } from './domain/checks.js';
import { datasetStats } from './domain/dataset.js';
import { leftoverVersions, leftoverWarning } from './domain/leftovers.js';
import type { EvalReport, StageResult } from './domain/report.js';
import { seededSample } from './domain/rng.js';
import { defaultScheduleParams, replaySchedule } from './domain/schedule.js';
import { FUSED_STAGE, POPULARITY_STAGE, fusedExperimentsFrom, planStages, type RecallStage } from './domain/stages.js';
import { runRankerStage } from './ranker-stage.js';
import { runStagesOnOneApi } from './stage-runner.js';

export interface EvalDependencies {
  readonly stack: EvalStack;
  readonly out: (line: string) => void;
  readonly log: Logger;
}

const PARTITIONS = 6;

/** One evaluation run end to end (phases timed); the report, whether or not its checks passed. */
export async function runEval(options: EvalOptions, deps: EvalDependencies): Promise<EvalReport> {
  const { out, stack } = deps;
  const startedAt = new Date();
  const phasesMs: Record<string, number> = {};
  const phase = async <T>(name: string, body: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    out(`== ${name}`);
    try {
      return await body();
    } finally {
      phasesMs[name] = (phasesMs[name] ?? 0) + Date.now() - started;
    }
  };

  const { dataset, published, files } = await phase('load', () => readDatasetDir(options.dataset));
  const stats = datasetStats(dataset);
  out(`  ${files.sequences}: ${stats.users} users, ${stats.items} items, ${stats.interactions} interactions (${stats.replayed} to replay)`);
  const fusedFile = options.fusedExperiments ?? join(repoRoot, 'config', 'experiments.yaml');
  const fusedExperiments = fusedExperimentsFrom(await readFile(fusedFile, 'utf8'), fusedFile);
  const stages = planStages(options.stages, fusedExperiments);
  const tuning = options.tuning === undefined ? {} : await readTuning(options.tuning);

  // The metric code is checked before anything is replayed: a wrong yardstick makes every number moot.
  const selfCheck = metricSelfCheck(dataset.users, dataset.items, published.leakyPopularity);
  out(`  metric self-check: ${selfCheck.ok === null ? 'n/a' : selfCheck.ok ? 'PASS' : 'FAIL'}${selfCheck.note === undefined ? '' : ` (${selfCheck.note})`}`);
  if (selfCheck.ok === false) {
    throw new AppError(ErrorCode.Internal, `the metric self-check failed: the published PopRec row is ${JSON.stringify(selfCheck.expected)}, the harness computes ${JSON.stringify(selfCheck.ours)}`);
  }

  const runId = `${Date.now().toString(36)}-s${options.seed}`;
  const topics = evalTopicNames(runId);
  const groupVersion = `eval-${runId}`;
  const kafka = new Kafka({ clientId: `eval-${runId}`, ...kafkaClientOptions(stack.kafka), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const redis = new Redis({ ...stack.redis, lazyConnect: true, maxRetriesPerRequest: 3 });
  const dataDir = await mkdtemp(join(tmpdir(), 'streamrec-eval-'));
  let version: StateVersion | undefined;
  let rankerVersion: StateVersion | undefined;
  const results: StageResult[] = [];
  const sample = seededSample(dataset.users, options.sample === 0 ? dataset.users.length : options.sample, options.seed);
  let schedule: ReturnType<typeof replaySchedule> | undefined;
  try {
    await redis.connect();
    await admin.connect();
    await handleLeftovers(admin, redis, options.cleanLeftovers, out);
    version = await freeStateVersion(redis, options.seed);
    out(`  run ${runId}: state version ${version}, topics eval.${runId}.*`);

    const recall = stages.filter((stage): stage is RecallStage => stage.kind === 'recall');
    // The recall stages share one replay of s[:-1]; the ranker stage replays on its own.
    if (recall.length > 0) {
      schedule = await phase('replay', async () => {
        await createEvalTopics(admin, topics, PARTITIONS);
        const producer = kafka.producer({ allowAutoTopicCreation: false });
        await producer.connect();
        try {
          const nowMs = Date.now();
          const items = await produceItems(producer, topics.items, dataset, nowMs);
          out(`  ${items} items → ${topics.items}`);
          const planned = replaySchedule(dataset.users, { seed: options.seed, ...defaultScheduleParams }, nowMs);
          out(`  ${planned.events.length} views from ${new Date(planned.firstEventMs).toISOString()} to ${new Date(planned.lastEventMs).toISOString()} (users ${planned.spacingMs} ms apart)`);
          let printed = 0;
          await produceInteractions(producer, topics.interactions, planned.events, (sent) => {
            if (Date.now() - printed < 2_000 && sent !== planned.events.length) return;
            printed = Date.now();
            out(`  produced ${sent}/${planned.events.length} views`);
          });
          return planned;
        } finally {
          await producer.disconnect();
        }
      });

      await phase('processors', async () => {
        const processors = startEvalProcessors(stack, { version: version as StateVersion, groupVersion, topics, params: tuning, logDir: dataDir }, { redis, admin });
        try {
          await processors.waitCaughtUp(out, options.catchUpTimeoutMs);
        } finally {
          // Stopped before serving: the state every stage reads is the same, and exposures change nothing.
          await processors.stop();
        }
      });
    }
    const context = { stack, version, topics, dataDir, dataset, sample, concurrency: options.concurrency, tuning, out, log: deps.log };
    for (const popularity of ['counts', 'decayed'] as const) {
      const group = recall.filter((stage) => stage.popularity === popularity);
      if (group.length === 0) continue;
      results.push(...(await phase(`stages (${popularity})`, () => runStagesOnOneApi(popularity, group, context))));
    }
    if (stages.some((stage) => stage.kind === 'ranker')) {
      rankerVersion = await freeStateVersion(redis, options.seed + 1);
      const rankerRun = { stack, runId, seed: options.seed, version: rankerVersion, dataset, fused: fusedExperiments, dataDir, concurrency: options.concurrency, catchUpTimeoutMs: options.catchUpTimeoutMs };
      results.push(...(await phase('ranker', () => runRankerStage({ ...rankerRun, candidateRate: options.rankerCandidates, retrainOptions: options.retrainOptions, tuning, kafka, redis, out, log: deps.log }))));
    }
  } finally {
    if (!options.keep) {
      await phase('cleanup', () => cleanUp(admin, redis, { groups: processorGroups(groupVersion), topics: [topics.interactions, topics.items, topics.exposures, topics.models, topics.users, ...(version === undefined ? [] : [itemActivityTopic(version)])], version }));
      if (rankerVersion !== undefined) await cleanUp(admin, redis, { groups: [], topics: [], version: rankerVersion });
      await rm(dataDir, { recursive: true, force: true });
    } else {
      out(`  --keep: left topics eval.${runId}.*, groups *-${groupVersion}, state version ${version ?? '(none)'} and ${dataDir}`);
    }
    await admin.disconnect().catch(() => undefined);
    redis.disconnect();
  }

  const ordered: StageResult[] = stages.flatMap((stage): StageResult[] =>
    stage.kind === 'placeholder'
      ? [{ name: stage.name, status: 'skipped', description: stage.description, reason: stage.reason }]
      : stage.kind === 'ranker'
        ? results.filter((result) => result.name === stage.name || result.name.startsWith(`${FUSED_STAGE} (`))
        : [results.find((result) => result.name === stage.name) as StageResult],
  );
  const popularityResult = results.find((result) => result.name === POPULARITY_STAGE);
  const live = popularityResult?.status === 'ok' ? popularityResult.metrics : undefined;
  const totalMs = Date.now() - startedAt.getTime();
  return {
    harness: 'streamrec-eval/1',
    startedAt: startedAt.toISOString(),
    dataset: { dir: options.dataset, stats },
    seed: options.seed,
    sample: { size: options.sample, users: sample.length },
    schedule: {
      t0: new Date(schedule?.t0Ms ?? 0).toISOString(),
      firstEvent: new Date(schedule?.firstEventMs ?? 0).toISOString(),
      lastEvent: new Date(schedule?.lastEventMs ?? 0).toISOString(),
      userSpacingMs: schedule?.spacingMs ?? 0,
      stepMs: defaultScheduleParams.stepMs,
    },
    run: { stateVersion: version ?? '', runId, kept: options.keep, tuning, fusedExperiments: fusedFile },
    stages: ordered,
    checks: [selfCheck, livePopularityCheck(live, published.leakFreePopularity), popularityRecountCheck(dataset.users, live)],
    published: published.table,
    phasesMs,
    totalMs,
  };
}

async function readTuning(file: string): Promise<Record<string, Record<string, unknown>>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (cause) {
    throw new AppError(ErrorCode.InvalidArgument, `--tuning ${file}: ${(cause as Error).message}`, { cause });
  }
  const allowed = ['api', 'features', 'cooccurrence', 'trending'];
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || Object.keys(parsed).some((key) => !allowed.includes(key))) {
    throw new AppError(ErrorCode.InvalidArgument, `--tuning ${file} must be a JSON object with the keys ${allowed.join(', ')} only`);
  }
  return parsed as Record<string, Record<string, unknown>>;
}

/** A state version in v800000…v899999 that holds no key (the seed only picks where the search starts). */
async function freeStateVersion(redis: Redis, seed: number): Promise<StateVersion> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const candidate = parseStateVersion(`v${800_000 + ((seed * 7_919 + Date.now() + attempt * 104_729) % 100_000)}`);
    if ((await versionKeys(redis, candidate)).length === 0) return candidate;
  }
  throw new AppError(ErrorCode.StateVersionConflict, 'found no free state version in v800000…v899999');
}

/**
 * What earlier interrupted or --keep runs left: warned about, or deleted with --clean-leftovers (their
 * state versions, `eval.*` topics and `*-eval-*` consumer groups; only safe when no other eval runs).
 */
async function handleLeftovers(admin: ReturnType<Kafka['admin']>, redis: Redis, clean: boolean, out: (line: string) => void): Promise<void> {
  const leftovers = leftoverVersions(await versionsPresent(redis));
  if (!clean) {
    const warning = leftoverWarning(leftovers);
    if (warning !== undefined) out(warning);
    return;
  }
  const topics = (await admin.listTopics()).filter((topic) => topic.startsWith('eval.'));
  const groups = (await admin.listGroups()).groups.map((group) => group.groupId).filter((group) => group.includes('-eval-'));
  out(`  --clean-leftovers: ${leftovers.length} state version(s), ${topics.length} eval.* topic(s), ${groups.length} eval consumer group(s)`);
  await cleanUp(admin, redis, { groups, topics, version: undefined });
  for (const leftover of leftovers) {
    await cleanUp(admin, redis, { groups: [], topics: [], version: parseStateVersion(leftover.version) });
    out(`  --clean-leftovers: deleted ${leftover.version} (${leftover.keys} keys)`);
  }
}

async function cleanUp(admin: ReturnType<Kafka['admin']>, redis: Redis, leftovers: { groups: string[]; topics: string[]; version: StateVersion | undefined }): Promise<void> {
  await admin.deleteGroups(leftovers.groups).catch(() => undefined);
  const existing = new Set(await admin.listTopics());
  const owned = leftovers.topics.filter((topic) => existing.has(topic));
  if (owned.length > 0) await admin.deleteTopics({ topics: owned }).catch(() => undefined);
  if (leftovers.version === undefined) return;
  const keys = await versionKeys(redis, leftovers.version);
  for (let start = 0; start < keys.length; start += 1_000) await redis.del(...keys.slice(start, start + 1_000));
}
