import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin } from 'kafkajs';
import { AppError, ErrorCode } from '@streamrec/foundation';
import { ITEM_ACTIVITY_TOPIC, itemActivityTopic } from '@streamrec/streams-common';

/**
 * Deletes a state version's own item-activity topic (never v1's declared one) and waits until Kafka has
 * forgotten it, so the processors that start next create it empty. Returns whether there was one.
 */
export async function deleteVersionTopic(admin: Admin, version: string, timeoutMs = 30_000): Promise<string | undefined> {
  const topic = itemActivityTopic(version);
  if (topic === ITEM_ACTIVITY_TOPIC || !(await admin.listTopics()).includes(topic)) return undefined;
  await admin.deleteTopics({ topics: [topic], timeout: timeoutMs });
  const deadline = Date.now() + timeoutMs;
  while ((await admin.listTopics()).includes(topic)) {
    if (Date.now() > deadline) throw new AppError(ErrorCode.Timeout, `topic ${topic} was not deleted within ${timeoutMs} ms`);
    await sleep(200);
  }
  return topic;
}
