/**
 * The processors a replay can rebuild, and the stages whose progress it follows. normalize is not
 * replayable this way: it writes the shared event topics, so a second instance would duplicate them.
 */
export const ReplayProcessor = { Features: 'features', Cooccurrence: 'cooccurrence', Trending: 'trending' } as const;
export type ReplayProcessor = (typeof ReplayProcessor)[keyof typeof ReplayProcessor];

export function isReplayProcessor(value: string): value is ReplayProcessor {
  return (Object.values(ReplayProcessor) as string[]).includes(value);
}
