/** What the benchmark's stage runner (a child process) is asked to run, and what it reports. */
import type { ScriptDurations } from './script-durations.js';
export const Stage = {
  FeaturesUser: 'features-user',
  CooccurrenceUser: 'cooccurrence-user',
  FeaturesItem: 'features-item',
  CooccurrenceItem: 'cooccurrence-item',
} as const;
export type Stage = (typeof Stage)[keyof typeof Stage];

export interface StageRunSpec {
  readonly stage: Stage;
  readonly brokers: readonly string[];
  readonly redis: { readonly host: string; readonly port: number };
  readonly version: string;
  readonly groupSuffix: string;
  /** The stage's input topic (interactions for user stages, the run's repartition topic for item stages). */
  readonly input: string;
  /** The run's repartition topic (output of the user stages). */
  readonly repartition: string;
  /** Catalogue topic for the features user stage. */
  readonly items: string;
  /** Partitions processed at the same time (the processors' `partitionConcurrency`). */
  readonly partitionConcurrency: number;
  /** The run's pairs topic: the co-occurrence user stage commits its pair increments there, as the process does (absent: none). */
  readonly pairs?: string | undefined;
}

export interface StageRunResult {
  readonly stage: Stage;
  readonly events: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
  /** Batches the consumer loop handed to the stage (re-tried batches count again). */
  readonly batches: number;
  /** Redis time in scripts (EVAL/EVALSHA) during the run, all clients of the server included. */
  readonly redisScriptSeconds: number;
  /** Redis commands executed during the run (inside scripts too; not EVAL/EVALSHA/INFO), all clients included. */
  readonly redisCommands: number;
  /** The same by command name (lower case, as INFO commandstats names them), the most frequent first. */
  readonly redisCommandsByName: Readonly<Record<string, number>>;
  /** How long the apply scripts ran (SLOWLOG), all clients included. */
  readonly scripts: ScriptDurations;
  /** Wall time the stage waited in `applyBatch` (encode + Redis scripts + round trips). */
  readonly applySeconds: number;
  /** Wall time the stage waited for repartition acks (user stages). */
  readonly produceSeconds: number;
  /** Wall time the co-occurrence user stage waited for its pair-increment transactions (0 without `pairs`). */
  readonly pairsSeconds: number;
}
