import { cooccurrenceManifest } from '@streamrec/cooccurrence';
import { loadCooccurrenceConfig } from '@streamrec/cooccurrence/app';
import { featuresManifest } from '@streamrec/features';
import { loadFeaturesConfig } from '@streamrec/features/app';
import { processorGroupIds, stageSources, type ProcessorManifest, type StageSource } from '@streamrec/streams-common';
import { trendingManifest } from '@streamrec/trending';
import { loadTrendingConfig } from '@streamrec/trending/app';
import type { ReplayProcessor } from './domain/replay-processors.js';

export interface ReplayRun {
  readonly version: string;
  readonly groupVersion: string;
  readonly startAtMs: number | undefined;
  readonly topicsJson: string | undefined;
}

interface Replayable {
  readonly manifest: ProcessorManifest;
  /** The processor's own config loader: topic names and validation are not spelled twice. */
  readonly loadConfig: (env: Readonly<Record<string, string | undefined>>) => { readonly topics: Readonly<Record<string, string | null>>; readonly groupVersion: string };
}

const replayable: Readonly<Record<ReplayProcessor, Replayable>> = {
  features: { manifest: featuresManifest, loadConfig: loadFeaturesConfig },
  cooccurrence: { manifest: cooccurrenceManifest, loadConfig: loadCooccurrenceConfig },
  trending: { manifest: trendingManifest, loadConfig: loadTrendingConfig },
};

/** One `--topics` object for all processors, narrowed to the names a processor knows. */
export function topicsFor(processor: ReplayProcessor, topicsJson: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(topicsJson);
  } catch {
    return topicsJson; // the processor's loader reports the invalid JSON with the variable's name
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return topicsJson;
  const names: readonly string[] = replayable[processor].manifest.topicNames;
  const known = Object.entries(parsed).filter(([name]) => names.includes(name));
  return JSON.stringify(Object.fromEntries(known));
}

/** The environment of a processor's child process in a replay (its config loader validates it). */
export function processorEnvironment(processor: ReplayProcessor, base: Readonly<Record<string, string | undefined>>, run: ReplayRun): Record<string, string | undefined> {
  const prefix = `STREAMREC_${replayable[processor].manifest.envPrefix}`;
  return {
    ...base,
    [`${prefix}_STATE_VERSION`]: run.version,
    [`${prefix}_GROUP_VERSION`]: run.groupVersion,
    [`${prefix}_START_FROM`]: 'earliest',
    [`${prefix}_START_AT`]: run.startAtMs === undefined ? undefined : String(run.startAtMs),
    [`${prefix}_METRICS_PORT`]: '0',
    [`${prefix}_TOPICS`]: run.topicsJson === undefined ? base[`${prefix}_TOPICS`] : topicsFor(processor, run.topicsJson),
  };
}

/**
 * The stages whose progress a replay follows, with the topic names the processor will really use: its own
 * config loader reads the same environment the child gets.
 */
export function progressSources(processor: ReplayProcessor, env: Readonly<Record<string, string | undefined>>): StageSource[] {
  const { manifest, loadConfig } = replayable[processor];
  return stageSources(manifest, loadConfig(env));
}

/** The consumer groups a replay's processes create (deleted after the build). */
export function replayGroups(processor: ReplayProcessor, groupVersion: string): string[] {
  return processorGroupIds(replayable[processor].manifest, groupVersion);
}
