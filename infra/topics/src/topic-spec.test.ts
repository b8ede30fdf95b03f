import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@streamrec/foundation/process';
import { parseTopicSpecs, planTopics } from './topic-spec.js';

describe('parseTopicSpecs', () => {
  it('accepts the repository topics file', () => {
    const specs = parseTopicSpecs(JSON.parse(readFileSync(join(repoRoot, 'schemas', 'topics.json'), 'utf8')), 'topics.json');
    expect(specs.map((s) => s.name)).toContain('events.interactions.v1');
    expect(specs.find((s) => s.name === 'events.items.v1')?.config['cleanup.policy']).toBe('compact');
  });

  it('names the bad path and rejects duplicates', () => {
    expect(() => parseTopicSpecs({ topics: [{ name: 'Bad', partitions: 0 }] }, 'f.json')).toThrow(/topics\.0\.name.*\n.*topics\.0\.partitions/s);
    expect(() => parseTopicSpecs({ topics: [{ name: 'a.b', partitions: 1 }, { name: 'a.b', partitions: 1 }] }, 'f.json')).toThrow(/declared twice/);
  });
});

describe('planTopics', () => {
  const declared = parseTopicSpecs(
    { topics: [{ name: 'new.t', partitions: 3 }, { name: 'grow.t', partitions: 6 }, { name: 'same.t', partitions: 2 }, { name: 'shrink.t', partitions: 1 }] },
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
