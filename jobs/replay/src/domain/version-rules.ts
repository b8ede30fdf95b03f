/** What the CLI refuses to do to state versions, decided before touching Redis. Pure. */

/** A build or rerun writes into `target`: never the active version; an existing one only with --force. */
export function buildRefusal(target: string, active: string, targetKeys: number, force: boolean): string | undefined {
  if (target === active) return `${target} is the active version (sr:active-version): a replay never writes into or deletes it`;
  if (targetKeys > 0 && !force) return `${target} already has ${targetKeys} keys; pass --force to delete them first, or choose another version`;
  return undefined;
}

/** Where a build starts reading one partition of a source topic (the log start when it builds from offset 0). */
export interface SourceStart {
  readonly topic: string;
  readonly partition: number;
  readonly start: bigint;
}

/**
 * A build from offset 0 must read every record of its sources. A partition whose log no longer starts at
 * 0 lost its first records to retention (events.* keep 30 days), and the state would silently miss them;
 * the processors would pause such a partition anyway (assignment-seek.ts). `--from-timestamp` is the
 * explicit choice of a partial history and is not refused.
 */
export function deletedHistoryRefusal(starts: readonly SourceStart[], fromTimestamp: boolean): string | undefined {
  if (fromTimestamp) return undefined;
  // Several stages may read one topic: each partition is named once.
  const late = new Map(starts.filter(({ start }) => start > 0n).map((entry) => [`${entry.topic}/${entry.partition}`, entry]));
  if (late.size === 0) return undefined;
  const byTopic = new Map<string, string[]>();
  for (const { topic, partition, start } of late.values()) byTopic.set(topic, [...(byTopic.get(topic) ?? []), `${partition} (starts at ${start})`]);
  const lost = [...byTopic].map(([topic, partitions]) => `${topic} partition${partitions.length === 1 ? '' : 's'} ${partitions.join(', ')}`).join('; ');
  return `cannot build from offset 0: ${lost} lost their first records to retention, so the state would miss them. Rebuild the event topics from the CDC topics (docs/OPERATIONS.md#log-mismatch), or build a partial history with --from-timestamp`;
}

/**
 * A build's item stages must read, and its user stages write, a topic of their own: the target version's
 * (`itemActivityTopic`). Writing into the active version's topic would make the live item stages count
 * every record again once their dedup sets have expired.
 */
export function repartitionRefusal(buildTopics: readonly string[], activeVersionTopic: string): string | undefined {
  return buildTopics.includes(activeVersionTopic)
    ? `the build would write into the active version's item-activity topic ${activeVersionTopic}; leave itemActivity out of --topics so the new version uses its own`
    : undefined;
}

/**
 * Which item-activity topic a build's processors use. Normally the new version's own (the processors'
 * default), so the build is self-contained. trending alone is the exception: its item stage ranks the
 * activity records features' user stage writes, so a trending-only rerun reads the active version's
 * topic. Its one producer there, the catalogue relay, re-sends availability records under the same dedup
 * ids; they state an item's availability as of a catalogue change, so applying them again is harmless.
 * Returns the `--topics` JSON to pass, and whether the build may write into the active topic.
 */
export function itemActivityRouting(processors: readonly string[], activeVersionTopic: string, topicsJson: string | undefined): { topicsJson: string | undefined; sharesActiveTopic: boolean } {
  const trendingOnly = processors.length === 1 && processors[0] === 'trending';
  if (!trendingOnly) return { topicsJson, sharesActiveTopic: false };
  const given = topicsJson === undefined ? {} : (JSON.parse(topicsJson) as Record<string, unknown>);
  return { topicsJson: JSON.stringify({ itemActivity: activeVersionTopic, ...given }), sharesActiveTopic: true };
}

export function dropRefusal(version: string, active: string): string | undefined {
  return version === active ? `${version} is the active version: switch readers to another version first` : undefined;
}

export function switchRefusal(target: string, current: string, expected: string | undefined, targetOffsetKeys: number): string | undefined {
  if (expected !== undefined && expected !== current) return `the active version is ${current}, not ${expected}`;
  if (target === current) return `${target} is already the active version`;
  if (targetOffsetKeys === 0) return `${target} has no stored offsets: nothing was built into it`;
  return undefined;
}

/** The consumer-group suffix of a build: fresh per run, so no Kafka commit of an earlier run applies. */
export function replayGroupVersion(target: string, nowMs: number): string {
  return `replay-${target}-${nowMs.toString(36)}`;
}
