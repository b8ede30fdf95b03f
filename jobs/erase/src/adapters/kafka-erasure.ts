import { Partitioners, type Admin, type Kafka } from 'kafkajs';

/** The topics whose records can name a person, in pipeline order: what must be consumed before the state is swept. */
export const PERSONAL_TOPICS_PREFIXES = ['cdc.shop.', 'cdc.matomo.'] as const;
export const PERSONAL_TOPICS = ['events.interactions.v1', 'events.users.v1', 'repartition.item-activity.v1', 'serving.exposures.v1'] as const;

/**
 * A tombstone for the user on the compacted events.users.v1 (keyed by id, partitioned like normalize's
 * producer): compaction then drops every profile record of theirs, and the features profile stage
 * deletes the profile it holds.
 */
export async function writeUserTombstone(kafka: Kafka, topic: string, user: string): Promise<{ partition: number; offset: string }> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    const [result] = await producer.send({ topic, acks: -1, messages: [{ key: user, value: null }] });
    return { partition: result?.partition ?? 0, offset: result?.baseOffset ?? '0' };
  } finally {
    await producer.disconnect();
  }
}

/** A consumer group still behind the end offsets captured at the start of a round. */
export interface Lagging {
  readonly group: string;
  readonly topic: string;
  readonly behind: number;
}

/**
 * Waits until every active consumer group has consumed, on the topics that can name a person, up to the
 * end offsets seen when the wait began; `rounds` times, so what a processor produced while catching up
 * (events from CDC rows, repartition records from events) is consumed too. Groups without members are
 * left out (a stopped processor reads the erasure list, or is swept, when it runs again). Returns the
 * groups still behind when `timeoutMs` ran out (empty: settled).
 */
export async function waitForConsumers(admin: Admin, options: { readonly rounds: number; readonly timeoutMs: number; readonly progress: (line: string) => void }): Promise<Lagging[]> {
  const deadline = Date.now() + options.timeoutMs;
  const listed = (await admin.listTopics()).filter((topic) => PERSONAL_TOPICS_PREFIXES.some((prefix) => topic.startsWith(prefix)) || (PERSONAL_TOPICS as readonly string[]).includes(topic));
  let lagging: Lagging[] = [];
  for (let round = 1; round <= options.rounds; round += 1) {
    const targets = new Map<string, Map<number, bigint>>();
    for (const topic of listed) targets.set(topic, new Map((await admin.fetchTopicOffsets(topic)).map(({ partition, high }) => [partition, BigInt(high)])));
    const groups = await activeGroups(admin);
    for (;;) {
      lagging = await behind(admin, groups, targets);
      if (lagging.length === 0 || Date.now() > deadline) break;
      options.progress(`round ${round}/${options.rounds}: waiting for ${lagging.map((entry) => `${entry.group} (${entry.topic}: ${entry.behind} behind)`).join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    if (lagging.length > 0) return lagging;
  }
  return lagging;
}

async function activeGroups(admin: Admin): Promise<string[]> {
  const { groups } = await admin.listGroups();
  const ids = groups.filter((group) => group.protocolType === 'consumer').map((group) => group.groupId);
  if (ids.length === 0) return [];
  const described = await admin.describeGroups(ids);
  return described.groups.filter((group) => group.members.length > 0).map((group) => group.groupId);
}

async function behind(admin: Admin, groups: readonly string[], targets: ReadonlyMap<string, ReadonlyMap<number, bigint>>): Promise<Lagging[]> {
  const found: Lagging[] = [];
  for (const group of groups) {
    const committed = await admin.fetchOffsets({ groupId: group, topics: [...targets.keys()] });
    for (const { topic, partitions } of committed) {
      // Only topics the group consumes: at least one partition with a committed offset.
      if (!partitions.some(({ offset }) => BigInt(offset) >= 0n)) continue;
      let missing = 0n;
      for (const { partition, offset } of partitions) {
        // No commit on a partition: a group that started at the end and has read nothing there yet.
        if (BigInt(offset) < 0n) continue;
        const target = targets.get(topic)?.get(partition) ?? 0n;
        if (BigInt(offset) < target) missing += target - BigInt(offset);
      }
      if (missing > 0n) found.push({ group, topic, behind: Number(missing) });
    }
  }
  return found;
}
