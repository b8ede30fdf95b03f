import { loadFeaturesConfig } from '../../../streams/features/src/config.js';
import { USER_STAGE_FIELD as FEATURES_USER_FIELD } from '../../../streams/features/src/adapters/user-stage-handler.js';
import { ITEM_STAGE_FIELD as FEATURES_ITEM_FIELD } from '../../../streams/features/src/adapters/item-stage-handler.js';
import { loadCooccurrenceConfig } from '../../../streams/cooccurrence/src/config.js';
import { USER_STAGE_FIELD as COOCCURRENCE_USER_FIELD } from '../../../streams/cooccurrence/src/adapters/user-stage-handler.js';
import { ITEM_STAGE_FIELD as COOCCURRENCE_ITEM_FIELD } from '../../../streams/cooccurrence/src/adapters/item-stage-handler.js';
import { loadTrendingConfig } from '../../../streams/trending/src/config.js';
import { ITEM_STAGE_FIELD as TRENDING_ITEM_FIELD } from '../../../streams/trending/src/adapters/item-stage-handler.js';
import { ReplayPhase, ReplayProcessor, envPrefix, type StageProgressSource } from './domain/replay-processors.js';

export interface ReplayRun {
  readonly version: string;
  readonly groupVersion: string;
  readonly startAtMs: number | undefined;
  readonly topicsJson: string | undefined;
}

/** The topic names each processor's config accepts (its schema is strict, so a drift fails loudly at load). */
const topicNames: Record<ReplayProcessor, readonly string[]> = {
  features: ['interactions', 'items', 'exposures', 'itemActivity'],
  cooccurrence: ['interactions', 'itemActivity'],
  trending: ['items', 'itemActivity'],
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
  const known = Object.entries(parsed).filter(([name]) => topicNames[processor].includes(name));
  return JSON.stringify(Object.fromEntries(known));
}

/** The environment of a processor's child process in a replay (its config loader validates it). */
export function processorEnvironment(processor: ReplayProcessor, base: Readonly<Record<string, string | undefined>>, run: ReplayRun): Record<string, string | undefined> {
  const prefix = `STREAMREC_${envPrefix(processor)}`;
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
 * config loader reads the same environment the child gets, so names and validation are not duplicated.
 */
export function progressSources(processor: ReplayProcessor, env: Readonly<Record<string, string | undefined>>): StageProgressSource[] {
  switch (processor) {
    case ReplayProcessor.Features: {
      const { topics, groupVersion } = loadFeaturesConfig(env);
      return [
        { processor, stage: 'features-user', phase: ReplayPhase.Source, topic: topics.interactions, progress: { kind: 'stored', field: FEATURES_USER_FIELD } },
        // The exposure relay keeps no state either: its group's commits.
        { processor, stage: 'features-exposures', phase: ReplayPhase.Source, topic: topics.exposures, progress: { kind: 'group', groupId: `features-exposures-${groupVersion}` } },
        { processor, stage: 'features-item', phase: ReplayPhase.Repartition, topic: topics.itemActivity, progress: { kind: 'stored', field: FEATURES_ITEM_FIELD } },
      ];
    }
    case ReplayProcessor.Cooccurrence: {
      const { topics } = loadCooccurrenceConfig(env);
      return [
        { processor, stage: 'cooccurrence-user', phase: ReplayPhase.Source, topic: topics.interactions, progress: { kind: 'stored', field: COOCCURRENCE_USER_FIELD } },
        { processor, stage: 'cooccurrence-item', phase: ReplayPhase.Repartition, topic: topics.itemActivity, progress: { kind: 'stored', field: COOCCURRENCE_ITEM_FIELD } },
      ];
    }
    case ReplayProcessor.Trending: {
      const config = loadTrendingConfig(env);
      return [
        // The catalogue relay keeps no state: its progress is its consumer group's commits.
        { processor, stage: 'trending-catalogue', phase: ReplayPhase.Source, topic: config.topics.items, progress: { kind: 'group', groupId: `trending-catalogue-${config.groupVersion}` } },
        { processor, stage: 'trending-item', phase: ReplayPhase.Repartition, topic: config.topics.itemActivity, progress: { kind: 'stored', field: TRENDING_ITEM_FIELD } },
      ];
    }
  }
}

/** The consumer groups a replay's processes create (deleted after the build). */
export function replayGroups(processor: ReplayProcessor, groupVersion: string): string[] {
  switch (processor) {
    case ReplayProcessor.Features:
      return [`features-user-${groupVersion}`, `features-item-${groupVersion}`, `features-exposures-${groupVersion}`];
    case ReplayProcessor.Cooccurrence:
      return [`cooccurrence-user-${groupVersion}`, `cooccurrence-item-${groupVersion}`];
    case ReplayProcessor.Trending:
      return [`trending-item-${groupVersion}`, `trending-catalogue-${groupVersion}`];
  }
}
