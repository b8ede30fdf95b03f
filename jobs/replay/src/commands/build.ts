import { mkdir } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin } from 'kafkajs';
import type { Redis } from 'ioredis';
import { AppError, ErrorCode, type StateVersion } from '@streamrec/foundation';
import type { BuildCommand } from '../cli-args.js';
import type { ReplayConfig } from '../config.js';
import { StagePhase, type StageSource } from '@streamrec/streams-common';
import { phaseProgress, progressLine, rateAndEta, type PartitionTarget, type RateSample } from '@streamrec/foundation';
import { itemActivityTopic } from '@streamrec/streams-common';
import { buildRefusal, deletedHistoryRefusal, itemActivityRouting, repartitionRefusal, replayGroupVersion } from '../domain/version-rules.js';
import { deleteVersionTopic } from '../adapters/version-topics.js';
import { endOffsets, groupProcessedOffsets, startOffsets } from '@streamrec/foundation/kafka';
import { dropVersion, readActiveVersion, versionKeys } from '../adapters/redis-versions.js';
import { storedOffsets } from '@streamrec/foundation/redis';
import { spawnProcessor, type ProcessorChild } from '@streamrec/foundation/process';
import { processorEnvironment, progressSources, replayGroups } from '../processors.js';

export interface BuildDependencies {
  readonly redis: Redis;
  readonly admin: Admin;
  readonly config: ReplayConfig;
  readonly out: (line: string) => void;
  readonly now: () => number;
  /** Aborted on SIGINT/SIGTERM: the build stops its processes and fails. */
  readonly signal?: AbortSignal;
}

type Target = PartitionTarget & { readonly source: StageSource };

/**
 * `replay build` / `replay rerun`: runs the chosen processors into a new version until every input
 * partition's stored offset reaches the end offsets captured at the start (source topics first, then the
 * repartition topic), printing progress, then stops them.
 */
export async function runBuild(command: BuildCommand, deps: BuildDependencies): Promise<void> {
  const { redis, admin, out } = deps;
  const active = await readActiveVersion(redis, deps.config.activeVersionKey);
  const existing = (await versionKeys(redis, command.to)).length;
  const refusal = buildRefusal(command.to, active, existing, command.force);
  if (refusal !== undefined) throw new AppError(ErrorCode.StateVersionConflict, refusal);

  const groupVersion = replayGroupVersion(command.to, deps.now());
  const routing = itemActivityRouting(command.processors, itemActivityTopic(active), command.topicsJson);
  const run = { version: command.to, groupVersion, startAtMs: command.fromTimestampMs, topicsJson: routing.topicsJson };
  const environments = new Map(command.processors.map((processor) => [processor, processorEnvironment(processor, deps.config.childEnvironment, run)]));
  let sources: StageSource[];
  try {
    sources = command.processors.flatMap((processor) => progressSources(processor, environments.get(processor) ?? {}));
  } catch (cause) {
    throw new AppError(ErrorCode.InvalidArgument, `the processors' configuration is invalid: ${(cause as Error).message}`, { cause });
  }
  const repartitionTopics = [...new Set(sources.filter((source) => source.phase === StagePhase.Repartition).map((source) => source.topic))];
  const sharedTopic = routing.sharesActiveTopic ? undefined : repartitionRefusal(repartitionTopics, itemActivityTopic(active));
  if (sharedTopic !== undefined) throw new AppError(ErrorCode.StateVersionConflict, sharedTopic);
  const sourceTargets = await captureTargets(admin, sources.filter((source) => source.phase === StagePhase.Source), command.fromTimestampMs);
  const deletedHistory = deletedHistoryRefusal(sourceTargets, command.fromTimestampMs !== undefined);
  if (deletedHistory !== undefined) throw new AppError(ErrorCode.SourceHistoryDeleted, deletedHistory);
  // Every refusal is decided: only now --force deletes the version's keys.
  if (existing > 0) out(`--force: deleted ${(await dropVersion(redis, command.to, deps.config.activeVersionKey)) ?? 0} keys of ${command.to}`);
  // Records an earlier (aborted or --force-d) build left in the version's own topic would be read again.
  const stale = await deleteVersionTopic(admin, command.to);
  if (stale !== undefined) out(`deleted ${stale} left by an earlier build of ${command.to}`);
  const from = command.fromTimestampMs === undefined ? 'offset 0' : new Date(command.fromTimestampMs).toISOString();
  out(`build ${command.to} (active ${active}) from ${from}: ${command.processors.join(', ')}; consumer groups *-${groupVersion}`);

  const logDir = command.logDir ?? deps.config.defaultLogDir;
  await mkdir(logDir, { recursive: true });
  const children: ProcessorChild[] = command.processors.map((processor) => spawnProcessor(processor, environments.get(processor) ?? {}, logDir));
  out(`started ${children.map((child) => `${child.name} (log ${child.logFile})`).join(', ')}`);
  const deadline = deps.now() + command.timeoutMs;
  try {
    await waitForTargets('source stages', sourceTargets, command, children, deadline, deps);
    const repartitionTargets = await captureTargets(admin, sources.filter((source) => source.phase === StagePhase.Repartition), command.fromTimestampMs);
    await waitForTargets('repartition stages', repartitionTargets, command, children, deadline, deps);
  } finally {
    await Promise.all(children.map((child) => child.stop()));
    const groups = command.processors.flatMap((processor) => replayGroups(processor, groupVersion));
    await admin.deleteGroups(groups).catch(() => undefined);
  }
  out(`built ${command.to}; compare with: npm run replay -- compare --a ${active} --b ${command.to}`);
}

async function captureTargets(admin: Admin, sources: readonly StageSource[], fromTimestampMs: number | undefined): Promise<Target[]> {
  const targets: Target[] = [];
  for (const source of sources) {
    const [ends, starts] = await Promise.all([endOffsets(admin, source.topic), startOffsets(admin, source.topic, fromTimestampMs)]);
    for (const [partition, end] of ends) {
      const start = starts.get(partition) ?? end;
      targets.push({ source, stage: source.stage, topic: source.topic, partition, start: start > end ? end : start, end });
    }
  }
  return targets;
}

async function readProgress(targets: readonly Target[], version: StateVersion, redis: Redis, admin: Admin): Promise<Map<Target, bigint | undefined>> {
  const result = new Map<Target, bigint | undefined>();
  for (const source of new Set(targets.map((target) => target.source))) {
    const own = targets.filter((target) => target.source === source);
    const partitions = own.map((target) => target.partition);
    const offsets =
      source.progress.kind === 'stored' ? await storedOffsets(redis, version, source.progress.field, partitions) : await groupProcessedOffsets(admin, source.progress.groupId, source.topic);
    for (const target of own) result.set(target, offsets.get(target.partition));
  }
  return result;
}

async function waitForTargets(label: string, targets: readonly Target[], command: BuildCommand, children: readonly ProcessorChild[], deadline: number, deps: BuildDependencies): Promise<void> {
  const samples: RateSample[] = [];
  let lastPrinted = 0;
  for (;;) {
    const stored = await readProgress(targets, command.to, deps.redis, deps.admin);
    const progress = phaseProgress(targets, (target) => stored.get(target as Target));
    const now = deps.now();
    samples.push({ atMs: now, applied: progress.applied });
    while (samples.length > 2 && (samples[0]?.atMs ?? now) < now - 30_000) samples.shift();
    if (progress.done || now - lastPrinted >= command.intervalMs) {
      deps.out(progressLine(label, progress, rateAndEta(samples, progress.total)));
      lastPrinted = now;
    }
    if (progress.done) return;
    const dead = children.find((child) => child.hasExited());
    if (dead !== undefined) {
      const { code, signal } = await dead.exited;
      throw new AppError(ErrorCode.DependencyUnavailable, `${dead.name} exited (${signal ?? `code ${code}`}) before the replay caught up; its log ${dead.logFile} ends:\n${await dead.logTail()}`);
    }
    if (deps.signal?.aborted === true) throw new AppError(ErrorCode.Timeout, `interrupted: the processes were stopped; ${command.to} is incomplete (rebuild with --force)`);
    if (now > deadline) throw new AppError(ErrorCode.Timeout, `${label} did not catch up in time (${progress.pending} partitions left); logs: ${children.map((child) => child.logFile).join(', ')}`);
    await sleep(500);
  }
}
