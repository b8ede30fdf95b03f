import type { Kafka } from 'kafkajs';
import type { Redis } from 'ioredis';
import { itemActivityTopic } from '@streamrec/streams-common';
import { redisAs, scanKeys } from './redis.js';
import { kafkaAdmin } from './stack.js';

/**
 * The shared part of a stream process's config in a test: the local stack, the test's own state
 * version and consumer groups, starting at the latest offsets so the test need not chew through history.
 */
export function processTestConfig(processor: string, run: { suffix: string; version: string; groupVersion: string }): Record<string, unknown> {
  return {
    kafka: { ...kafkaAdmin, clientId: `test-${processor}-${run.suffix}` },
    redis: redisAs('processor'),
    stateVersion: run.version,
    groupVersion: run.groupVersion,
    startFrom: 'latest',
    metrics: { port: 0 },
    maxRetryDelayMs: 500,
  };
}

/** Removes what a process test left behind: its consumer groups, its own topics and its state version's keys. */
export async function cleanUpProcessTest(kafka: Kafka, redis: Redis, leftovers: { groups: string[]; topics?: string[]; version: string }): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteGroups(leftovers.groups).catch(() => undefined);
  // The version's own item-activity topic, which the processors created (never v1's declared one).
  const topics = [...(leftovers.topics ?? []), ...(leftovers.version === 'v1' ? [] : [itemActivityTopic(leftovers.version)])];
  const existing = new Set(await admin.listTopics());
  const owned = topics.filter((topic) => existing.has(topic));
  if (owned.length > 0) await admin.deleteTopics({ topics: owned }).catch(() => undefined);
  await admin.disconnect();
  const keys = await scanKeys(redis, `sr:${leftovers.version}:*`);
  if (keys.length > 0) await redis.del(...keys);
}
