import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin } from 'kafkajs';
import type { Redis } from 'ioredis';
import { AppError, ErrorCode, kafkaUserVariables, type StateVersion } from '@streamrec/foundation';
import { StagePhase, itemActivityTopic, processorGroupIds, stageSources, type ProcessorManifest, type StageSource } from '@streamrec/streams-common';
import { cooccurrenceManifest } from '@streamrec/cooccurrence';
import { featuresManifest } from '@streamrec/features';
import { trendingManifest } from '@streamrec/trending';
import { endOffsets, groupProcessedOffsets } from '@streamrec/foundation/kafka';
import { phaseProgress, rateAndEta, type PartitionTarget, type RateSample } from '@streamrec/foundation';
import { spawnProcessor, type ProcessorChild } from '@streamrec/foundation/process';
import { storedOffsets } from '@streamrec/foundation/redis';
import type { EvalStack } from '../config.js';
import type { EvalTopics } from './eval-topics.js';

/** Parameters the harness may pass to the processors (tuning experiments); validated by their own schemas. */
export interface ProcessorParams {
  readonly features?: unknown;
  readonly cooccurrence?: unknown;
  readonly trending?: unknown;
}

export interface EvalProcessors {
  /** Until every stage has applied every record written so far (source stages, then the item stages). */
  waitCaughtUp(out: (line: string) => void, timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

/** The processors the harness runs, in the order their stages are listed. */
const manifests: readonly ProcessorManifest[] = [featuresManifest, cooccurrenceManifest, trendingManifest];

export const processorGroups = (groupVersion: string): string[] => manifests.flatMap((manifest) => processorGroupIds(manifest, groupVersion));

/**
 * The features, co-occurrence and trending processors as child processes (`streams/<p>/src/main.ts`,
 * each with its own event loop, as deployed), on the run's topics and state version. Their own config
 * loaders validate the environment given here; their logs go to `logDir`.
 */
export function startEvalProcessors(
  stack: EvalStack,
  run: { readonly version: StateVersion; readonly groupVersion: string; readonly topics: EvalTopics; readonly params: ProcessorParams; readonly logDir: string },
  deps: { readonly redis: Redis; readonly admin: Admin },
): EvalProcessors {
  const { topics } = run;
  // Every topic name a processor's config accepts, as this run names it; the repartition topic is the
  // run's state version's own (the processors derive it from the version, so it is not passed). No pair
  // increments (cooccurrence's analytics output): the run's sink does not read them.
  const runTopics: Readonly<Record<string, string | null>> = { interactions: topics.interactions, items: topics.items, exposures: topics.exposures, users: topics.users, itemActivity: itemActivityTopic(run.version), pairs: null };
  const passedTopics = (manifest: ProcessorManifest): Record<string, string | null | undefined> =>
    Object.fromEntries(manifest.topicNames.filter((name) => name !== 'itemActivity').map((name) => [name, runTopics[name]]));
  const children: ProcessorChild[] = manifests.map((manifest) => {
    const processor = manifest.processor as keyof ProcessorParams;
    const prefix = `STREAMREC_${manifest.envPrefix}`;
    const params = run.params[processor];
    return spawnProcessor(
      processor,
      {
        ...stack.childEnvironment,
        STREAMREC_KAFKA_BROKERS: stack.kafka.brokers.join(','),
        // The run's topics and groups are the harness's own: the children use its Kafka user (admin), not the
        // processor role's. Their Redis password is the processor role's, from the inherited environment or
        // .stack/secrets.env, as in every processor.
        ...kafkaUserVariables(stack.kafka),
        STREAMREC_REDIS_PORT: String(stack.redis.port),
        STREAMREC_HOST: stack.redis.host,
        [`${prefix}_STATE_VERSION`]: run.version,
        [`${prefix}_GROUP_VERSION`]: run.groupVersion,
        [`${prefix}_START_FROM`]: 'earliest',
        [`${prefix}_START_AT`]: undefined,
        [`${prefix}_METRICS_PORT`]: '0',
        [`${prefix}_TOPICS`]: JSON.stringify(passedTopics(manifest)),
        [`${prefix}_PARAMS`]: params === undefined ? undefined : JSON.stringify(params),
        [`${prefix}_LOG_LEVEL`]: 'warn',
        // A loaded machine must not turn slow batches into rebalances.
        [`${prefix}_SESSION_TIMEOUT_MS`]: '120000',
      },
      run.logDir,
    );
  });
  const stop = async (): Promise<void> => {
    await Promise.all(children.map((child) => child.stop()));
  };
  const stages = manifests.flatMap((manifest) => stageSources(manifest, { topics: runTopics, groupVersion: run.groupVersion }));
  const sourceStages = stages.filter((stage) => stage.phase === StagePhase.Source);
  const itemStages = stages.filter((stage) => stage.phase === StagePhase.Repartition);
  return {
    async waitCaughtUp(out, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      out(`  processor logs: ${children.map((child) => child.logFile).join(', ')}`);
      await waitForStages('user stages', sourceStages, run.version, deps, children, out, deadline);
      // The item stages' input is written by the user stages: its end is known only now.
      await waitForStages('item stages', itemStages, run.version, deps, children, out, deadline);
    },
    stop,
  };
}

type Target = PartitionTarget & { readonly source: StageSource };

async function waitForStages(
  label: string,
  stages: readonly StageSource[],
  version: StateVersion,
  deps: { readonly redis: Redis; readonly admin: Admin },
  children: readonly ProcessorChild[],
  out: (line: string) => void,
  deadline: number,
): Promise<void> {
  const targets: Target[] = [];
  for (const source of stages) {
    for (const [partition, end] of await endOffsets(deps.admin, source.topic)) targets.push({ source, stage: source.stage, topic: source.topic, partition, start: 0n, end });
  }
  const samples: RateSample[] = [];
  let printed = 0;
  for (;;) {
    const stored = new Map<Target, bigint | undefined>();
    for (const source of stages) {
      const own = targets.filter((target) => target.source === source);
      const offsets =
        source.progress.kind === 'stored'
          ? await storedOffsets(deps.redis, version, source.progress.field, own.map((target) => target.partition))
          : await groupProcessedOffsets(deps.admin, source.progress.groupId, source.topic);
      for (const target of own) stored.set(target, offsets.get(target.partition));
    }
    const progress = phaseProgress(targets, (target) => stored.get(target as Target));
    const now = Date.now();
    samples.push({ atMs: now, applied: progress.applied });
    while (samples.length > 2 && (samples[0]?.atMs ?? now) < now - 20_000) samples.shift();
    if (progress.done || now - printed >= 5_000) {
      const { perSecond, etaSeconds } = rateAndEta(samples, progress.total);
      const rate = perSecond === undefined ? '' : `, ${Math.round(perSecond)} records/s`;
      const eta = etaSeconds === undefined || progress.done ? '' : `, ETA ${Math.ceil(etaSeconds)} s`;
      out(`  ${label}: ${progress.applied}/${progress.total} records applied${rate}${eta}`);
      printed = now;
    }
    if (progress.done) return;
    const dead = children.find((child) => child.hasExited());
    if (dead !== undefined) throw new AppError(ErrorCode.DependencyUnavailable, `the ${dead.name} processor exited before catching up; its log ${dead.logFile} ends:\n${await dead.logTail()}`);
    if (now > deadline) throw new AppError(ErrorCode.Timeout, `the processors' ${label} did not catch up in time (${progress.pending} partitions behind)`);
    await sleep(500);
  }
}
