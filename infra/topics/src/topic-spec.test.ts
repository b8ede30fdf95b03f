import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@streamrec/foundation/process';
import { appliedConfig, checkBrokers, durabilityProfile, parseTopicSpecs, parseTopicsFile, planTopics } from './topic-spec.js';

const durability = { profiles: { local: { replication_factor: 1, min_insync_replicas: 1 }, production: { replication_factor: 3, min_insync_replicas: 2 } } };

describe('parseTopicSpecs', () => {
  it('accepts the repository topics file', () => {
    const specs = parseTopicSpecs(JSON.parse(readFileSync(join(repoRoot, 'schemas', 'topics.json'), 'utf8')), 'topics.json');
    expect(specs.map((s) => s.name)).toContain('events.interactions.v1');
    expect(specs.find((s) => s.name === 'events.items.v1')?.config['cleanup.policy']).toBe('compact');
  });

  it('names the bad path and rejects duplicates', () => {
    expect(() => parseTopicSpecs({ durability, topics: [{ name: 'Bad', partitions: 0 }] }, 'f.json')).toThrow(/topics\.0\.name.*\n.*topics\.0\.partitions/s);
    expect(() => parseTopicSpecs({ durability, topics: [{ name: 'a.b', partitions: 1 }, { name: 'a.b', partitions: 1 }] }, 'f.json')).toThrow(/declared twice/);
  });
});

describe('planTopics', () => {
  const declared = parseTopicSpecs(
    { durability, topics: [{ name: 'new.t', partitions: 3 }, { name: 'grow.t', partitions: 6 }, { name: 'same.t', partitions: 2 }, { name: 'shrink.t', partitions: 1 }] },
    'f.json',
  );

  it('creates missing topics, grows partitions, and never shrinks', () => {
    const plan = planTopics(declared, [
      { name: 'grow.t', partitions: 3 },
      { name: 'same.t', partitions: 2 },
      { name: 'shrink.t', partitions: 4 },
    ]);
    expect(plan.create.map((t) => t.name)).toEqual(['new.t']);
    expect(plan.addPartitions).toEqual([{ name: 'grow.t', from: 3, to: 6 }]);
    expect(plan.cannotShrink).toEqual([{ name: 'shrink.t', existing: 4, declared: 1 }]);
  });
});

describe('durability profiles', () => {
  const file = parseTopicsFile(JSON.parse(readFileSync(join(repoRoot, 'schemas', 'topics.json'), 'utf8')), 'topics.json');

  it('the repository declares local (1 replica, min ISR 1) and production (3 replicas, min ISR 2)', () => {
    expect(durabilityProfile(file, 'local')).toEqual({ name: 'local', replicationFactor: 1, minInsyncReplicas: 1 });
    expect(durabilityProfile(file, 'production')).toEqual({ name: 'production', replicationFactor: 3, minInsyncReplicas: 2 });
    expect(() => durabilityProfile(file, 'staging')).toThrow(/no durability profile 'staging'.*local, production/);
  });

  it('under production every topic gets min.insync.replicas 2 beside its own config', () => {
    const production = durabilityProfile(file, 'production');
    for (const topic of file.topics) expect(appliedConfig(topic, production)).toEqual({ ...topic.config, 'min.insync.replicas': '2' });
  });

  it('refuses a cluster with fewer brokers than the replication factor', () => {
    const production = durabilityProfile(file, 'production');
    expect(() => checkBrokers(production, 1)).toThrow("profile 'production' needs 3 brokers (replication factor 3, min.insync.replicas 2); the cluster has 1");
    expect(() => checkBrokers(production, 3)).not.toThrow();
    expect(() => checkBrokers(durabilityProfile(file, 'local'), 1)).not.toThrow();
  });

  it('rejects a min ISR above the replication factor, a missing durability section and a topic-level min.insync.replicas', () => {
    const topics = [{ name: 'a.b', partitions: 1 }];
    expect(() => parseTopicsFile({ durability: { profiles: { bad: { replication_factor: 1, min_insync_replicas: 2 } } }, topics }, 'f.json')).toThrow(/min_insync_replicas cannot exceed replication_factor/);
    expect(() => parseTopicsFile({ topics }, 'f.json')).toThrow(/durability/);
    expect(() => parseTopicsFile({ durability, topics: [{ name: 'a.b', partitions: 1, config: { 'min.insync.replicas': '2' } }] }, 'f.json')).toThrow(/comes from the durability profile/);
  });

  it('plans min.insync.replicas where it drifted and reports a replication factor it cannot change', () => {
    const declared = parseTopicSpecs({ durability, topics: [{ name: 'a.t', partitions: 1 }, { name: 'b.t', partitions: 1 }] }, 'f.json');
    const plan = planTopics(declared, [{ name: 'a.t', partitions: 1, replicationFactor: 1, minInsyncReplicas: '1' }, { name: 'b.t', partitions: 1, replicationFactor: 3, minInsyncReplicas: '2' }], durabilityProfile(file, 'production'));
    expect(plan.setMinInsync).toEqual([{ name: 'a.t', from: '1', to: '2' }]);
    expect(plan.replicationDiffers).toEqual([{ name: 'a.t', existing: 1, declared: 3 }]);
    expect(plan.create).toEqual([]);
  });
});
