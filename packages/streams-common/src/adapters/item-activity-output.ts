import { ensureTopic, startTopicSink, type TopicSink } from '@streamrec/foundation/kafka';
import type { Kafka } from 'kafkajs';
import { ITEM_ACTIVITY_TOPIC_CONFIG } from '../domain/item-activity.js';

/**
 * The producer of a state version's item-activity topic, which is created first when missing (a new
 * version's own topic: `itemActivityTopic`) with the declared topic's settings and `partitions`.
 */
export async function openItemActivityOutput(kafka: Kafka, topic: string, partitions: number): Promise<TopicSink> {
  await ensureTopic(kafka, { topic, partitions, config: ITEM_ACTIVITY_TOPIC_CONFIG });
  return startTopicSink(kafka, topic);
}
