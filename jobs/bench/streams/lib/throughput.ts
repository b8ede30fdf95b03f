import type { Kafka } from 'kafkajs';
import type { Redis } from 'ioredis';
import { deleteVersionKeys, median, runChild, summarizeRate, type ChildOptions, type RateSummary } from './bench-support.js';
import { Stage, type StageRunResult, type StageRunSpec } from './stage-spec.js';
import { pairsProgress } from '@streamrec/cooccurrence';
import { createTopicsReady } from '@streamrec/foundation/kafka';

export interface ThroughputSettings {
  readonly brokers: readonly string[];
  readonly redis: { readonly host: string; readonly port: number };
  readonly interactionsTopic: string;
  readonly itemsTopic: string;
  readonly suffix: string;
  readonly runs: number;
  readonly partitionConcurrency: number;
  /** Whether the co-occurrence user stage commits its pair increments, as the process does. */
  readonly pairs: boolean;
  readonly child: ChildOptions;
  readonly log: (line: string) => void;
}

export interface StageFigures {
  /** Input records of the stage per second of wall time (from its first batch to its last apply). */
  readonly eventsPerSecond: RateSummary;
  /** Input records per CPU-second of the stage's process (less sensitive to other tenants of the machine). */
  readonly eventsPerCpuSecond: RateSummary;
  /** Interactions per second the stage sustains (item stages: N interactions / stage time). */
  readonly interactionsPerSecond: RateSummary;
  readonly inputRecords: number;
  /** Redis commands the stage caused per interaction (median over runs; commands inside scripts included). */
  readonly redisCommandsPerInteraction: number;
  /** The longest apply script of any run (ms, SLOWLOG; 0 when none took over 1 ms). */
  readonly longestScriptMs: number;
  /** Share of the runs' apply scripts that took over 5 ms: ≤ 1 % is issue 14's "p99 ≤ 5 ms". */
  readonly scriptsOver5msShare: number;
}

export interface ThroughputReport {
  readonly stages: Record<Stage, StageFigures>;
  /** N / Σ stage seconds of one run: features + co-occurrence, all four stages sharing one core in turn. */
  readonly featuresPlusCooccurrenceInteractionsPerSecond: RateSummary;
  readonly featuresInteractionsPerSecond: RateSummary;
  readonly cooccurrenceInteractionsPerSecond: RateSummary;
  /** Redis commands per interaction over the four stages (median over runs): issue 14's ≤ 8. */
  readonly redisCommandsPerInteraction: number;
  /** The longest apply script of the four stages in every run (ms). */
  readonly longestScriptMs: number;
  /** Share of all the runs' apply scripts that took over 5 ms (issue 14: p99 ≤ 5 ms, i.e. ≤ 1 %). */
  readonly scriptsOver5msShare: number;
  readonly rawRuns: StageRunResult[][];
}

const order = [Stage.FeaturesUser, Stage.CooccurrenceUser, Stage.FeaturesItem, Stage.CooccurrenceItem] as const;

/**
 * Each run: a fresh state version and a fresh repartition topic; the two user stages run one after the
 * other over the pre-produced interactions (both write the run's repartition topic, as in production),
 * then the two item stages over the whole repartition topic. One stage process at a time.
 */
export async function measureThroughput(kafka: Kafka, redis: Redis, interactions: number, settings: ThroughputSettings): Promise<ThroughputReport> {
  const admin = kafka.admin();
  await admin.connect();
  const runs: StageRunResult[][] = [];
  try {
    for (let run = 1; run <= settings.runs; run += 1) {
      const version = `v${900_000 + Math.floor(Math.random() * 90_000)}`;
      const repartition = `bench.${settings.suffix}.item-activity.r${run}`;
      // The co-occurrence user stage commits its pair increments here (Kafka transactions), as the process does.
      const pairs = `bench.${settings.suffix}.pairs.r${run}`;
      await createTopicsReady(admin, { topics: [{ topic: repartition, numPartitions: 6 }] });
      const results: StageRunResult[] = [];
      try {
        for (const stage of order) {
          const input = stage === Stage.FeaturesUser || stage === Stage.CooccurrenceUser ? settings.interactionsTopic : repartition;
          const spec: StageRunSpec = {
            stage,
            brokers: settings.brokers,
            redis: settings.redis,
            version,
            groupSuffix: `${settings.suffix}-r${run}`,
            input,
            repartition,
            items: settings.itemsTopic,
            partitionConcurrency: settings.partitionConcurrency,
            pairs: stage === Stage.CooccurrenceUser && settings.pairs ? pairs : undefined,
          };
          const result = await runChild<StageRunResult>(new URL('./stage-runner.ts', import.meta.url).pathname, JSON.stringify(spec), settings.child);
          results.push(result);
          settings.log(`run ${run}/${settings.runs} ${stage}: ${result.events} records in ${result.seconds.toFixed(2)} s = ${Math.round(result.events / result.seconds)}/s (cpu ${result.cpuSeconds.toFixed(2)} s, ${result.batches} batches, apply ${result.applySeconds.toFixed(2)} s, produce ${result.produceSeconds.toFixed(2)} s, pairs ${result.pairsSeconds.toFixed(2)} s, redis scripts (all clients) ${result.redisScriptSeconds.toFixed(2)} s, longest ${result.scripts.longestMs.toFixed(1)} ms, ${result.scripts.over5ms} of ${result.scripts.calls} over 5 ms, ${(result.redisCommands / interactions).toFixed(2)} Redis commands per interaction: ${perInteraction(result.redisCommandsByName, interactions)})`);
        }
      } finally {
        await admin.deleteTopics({ topics: [repartition, pairs] }).catch(() => undefined);
        await admin.deleteGroups([...order.map((stage) => `bench-${stage}-${settings.suffix}-r${run}`), pairsProgress(pairs, settings.interactionsTopic).groupId]).catch(() => undefined);
        await deleteVersionKeys(redis, version);
      }
      runs.push(results);
    }
  } finally {
    await admin.disconnect();
  }
  const stageRuns = (stage: Stage): StageRunResult[] => runs.map((results) => results.find((result) => result.stage === stage)!);
  const stages = Object.fromEntries(
    order.map((stage) => {
      const results = stageRuns(stage);
      return [
        stage,
        {
          eventsPerSecond: summarizeRate(results.map((result) => result.events / result.seconds)),
          eventsPerCpuSecond: summarizeRate(results.map((result) => result.events / result.cpuSeconds)),
          interactionsPerSecond: summarizeRate(results.map((result) => interactions / result.seconds)),
          inputRecords: results[0]?.events ?? 0,
          redisCommandsPerInteraction: median(results.map((result) => result.redisCommands / interactions)),
          ...scriptFigures(results),
        },
      ];
    }),
  ) as Record<Stage, StageFigures>;
  const perRun = (selected: readonly Stage[]): number[] =>
    runs.map((results) => interactions / results.filter((result) => selected.includes(result.stage)).reduce((sum, result) => sum + result.seconds, 0));
  return {
    stages,
    featuresPlusCooccurrenceInteractionsPerSecond: summarizeRate(perRun(order)),
    featuresInteractionsPerSecond: summarizeRate(perRun([Stage.FeaturesUser, Stage.FeaturesItem])),
    cooccurrenceInteractionsPerSecond: summarizeRate(perRun([Stage.CooccurrenceUser, Stage.CooccurrenceItem])),
    redisCommandsPerInteraction: median(runs.map((results) => results.reduce((sum, result) => sum + result.redisCommands, 0) / interactions)),
    ...scriptFigures(runs.flat()),
    rawRuns: runs,
  };
}

/** Longest apply script and the share over 5 ms, over stage runs. */
function scriptFigures(results: readonly StageRunResult[]): { longestScriptMs: number; scriptsOver5msShare: number } {
  const calls = results.reduce((sum, result) => sum + result.scripts.calls, 0);
  const over = results.reduce((sum, result) => sum + result.scripts.over5ms, 0);
  return { longestScriptMs: results.reduce((longest, result) => Math.max(longest, result.scripts.longestMs), 0), scriptsOver5msShare: calls === 0 ? 0 : over / calls };
}

/** The most frequent commands of a stage run per interaction, e.g. `sadd 2.00, zincrby 1.50`. */
function perInteraction(byName: Readonly<Record<string, number>>, interactions: number): string {
  return Object.entries(byName)
    .slice(0, 8)
    .map(([name, calls]) => `${name} ${(calls / interactions).toFixed(2)}`)
    .join(', ');
}
