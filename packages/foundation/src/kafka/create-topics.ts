import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin, ITopicConfig } from 'kafkajs';

/** Metadata errors a KRaft broker gives for a topic it created a moment ago, until its metadata image has it. */
const SETTLING = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE', 'NOT_LEADER_FOR_PARTITION', 'NOT_LEADER_OR_FOLLOWER']);

export interface CreateTopicsInput {
  readonly topics: ITopicConfig[];
  /** The broker's creation timeout (ms), as in `admin.createTopics`. */
  readonly timeout?: number;
}

/**
 * `admin.createTopics` that returns once every partition of the topics has a leader. kafkajs's own
 * `waitForLeaders` tolerates only LEADER_NOT_AVAILABLE, but a KRaft broker answers metadata for a topic
 * it has just created with UNKNOWN_TOPIC_OR_PARTITION ("This server does not host this topic-partition")
 * until its metadata image catches up (KAFKA-15780, kafkajs #815), more often just after a broker
 * restart; kafkajs then fails the whole call although the topic was created. Answers true when a topic
 * was created, false when all existed (as kafkajs does).
 */
export async function createTopicsReady(admin: Admin, input: CreateTopicsInput, waitMs = 30_000): Promise<boolean> {
  const created = await admin.createTopics({ topics: input.topics, timeout: input.timeout, waitForLeaders: false });
  await waitForTopicLeaders(admin, input.topics.map((topic) => topic.topic), waitMs);
  return created;
}

/** Polls topic metadata until every partition of `topics` has a leader, tolerating the errors of a topic still settling. */
export async function waitForTopicLeaders(admin: Admin, topics: readonly string[], waitMs = 30_000): Promise<void> {
  const deadline = Date.now() + waitMs;
  let last = 'no metadata yet';
  for (;;) {
    try {
      const { topics: found } = await admin.fetchTopicMetadata({ topics: [...topics] });
      const pending = topics.filter((name) => {
        const partitions = found.find((topic) => topic.name === name)?.partitions ?? [];
        return partitions.length === 0 || partitions.some((partition) => partition.leader < 0 || partition.partitionErrorCode !== 0);
      });
      if (pending.length === 0) return;
      last = `no leader yet for ${pending.join(', ')}`;
    } catch (error) {
      const type = settlingType(error);
      if (type === undefined) throw error;
      last = type;
    }
    if (Date.now() >= deadline) throw new Error(`topics ${topics.join(', ')} have no leader for every partition after ${waitMs} ms (${last})`);
    await sleep(100);
  }
}

/**
 * `read()`, again every 100 ms while it fails with an error of a topic still settling, for up to `waitMs`.
 * Each broker of a cluster updates its metadata image on its own: right after a topic is created (or a broker
 * restarted), a request that lands on a broker still behind fails with UNKNOWN_TOPIC_OR_PARTITION although
 * another broker already led the topic. Any other error, or the settling one after the wait, is thrown.
 */
export async function whileTopicSettles<T>(read: () => Promise<T>, waitMs = 30_000): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return await read();
    } catch (error) {
      if (settlingType(error) === undefined || Date.now() >= deadline) throw error;
    }
    await sleep(100);
  }
}

/** The kafkajs error type when `error` (or the error a retrier gave up on) is one of a topic still settling. */
function settlingType(error: unknown): string | undefined {
  const { type, originalError } = error as { type?: string; originalError?: { type?: string } };
  const found = type ?? originalError?.type;
  return found !== undefined && SETTLING.has(found) ? found : undefined;
}
