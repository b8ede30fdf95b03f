import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '@streamrec/foundation/process';
import { ITEM_ACTIVITY_TOPIC, ITEM_ACTIVITY_TOPIC_CONFIG, itemActivityTopic } from './item-activity.js';

interface TopicsFile {
  topics: { name: string; partitions: number; config: Record<string, string> }[];
}

describe('repartition topic declaration', () => {
  it('declares the item-activity topic with the partitions and retention of events.interactions.v1', () => {
    const { topics } = JSON.parse(readFileSync(join(repoRoot, 'schemas', 'topics.json'), 'utf8')) as TopicsFile;
    const repartition = topics.find((topic) => topic.name === ITEM_ACTIVITY_TOPIC);
    const interactions = topics.find((topic) => topic.name === 'events.interactions.v1');
    expect(repartition?.partitions).toBe(6);
    expect(repartition?.partitions).toBe(interactions?.partitions);
    expect(repartition?.config['retention.ms']).toBe(interactions?.config['retention.ms']);
    expect(repartition?.config).toEqual(ITEM_ACTIVITY_TOPIC_CONFIG);
  });

  it('gives every state version but v1 its own topic', () => {
    expect(itemActivityTopic('v1')).toBe(ITEM_ACTIVITY_TOPIC);
    expect(itemActivityTopic('v2')).toBe('repartition.item-activity.v1.v2');
    expect(new Set(['v1', 'v2', 'v12', 'v21'].map(itemActivityTopic)).size).toBe(4);
  });
});
