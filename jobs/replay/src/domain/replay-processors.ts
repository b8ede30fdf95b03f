/**
 * The processors a replay can rebuild, and the stages whose progress it follows. normalize is not
 * replayable this way: it writes the shared event topics, so a second instance would duplicate them.
 */
export const ReplayProcessor = { Features: 'features', Cooccurrence: 'cooccurrence', Trending: 'trending' } as const;
export type ReplayProcessor = (typeof ReplayProcessor)[keyof typeof ReplayProcessor];

export function isReplayProcessor(value: string): value is ReplayProcessor {
  return (Object.values(ReplayProcessor) as string[]).includes(value);
}

/**
 * Phase `source`: stages reading topics nobody writes during the replay (interactions, items), whose end
 * offsets are fixed at the start. Phase `repartition`: item stages, whose input the source stages are still
 * writing, so their end offsets are captured only once the source phase is done.
 */
export const ReplayPhase = { Source: 'source', Repartition: 'repartition' } as const;
export type ReplayPhase = (typeof ReplayPhase)[keyof typeof ReplayPhase];

export interface StageProgressSource {
  readonly processor: ReplayProcessor;
  readonly stage: string;
  readonly phase: ReplayPhase;
  readonly topic: string;
  /** Where the stage's progress is read: its offsets-hash field in the new version, or a consumer group's commits (stateless relays). */
  readonly progress: { readonly kind: 'stored'; readonly field: string } | { readonly kind: 'group'; readonly groupId: string };
}

/** `STREAMREC_<PREFIX>_…` of a processor. */
export const envPrefix = (processor: ReplayProcessor): string => processor.toUpperCase();
