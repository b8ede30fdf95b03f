import { describe, expect, it } from 'vitest';
import { processorEnvironment, progressSources, topicsFor } from './processors.js';

const run = { version: 'v7', groupVersion: 'replay-v7-x', startAtMs: 1_700_000_000_000, topicsJson: '{"interactions":"t.i","items":"t.c","itemActivity":"t.r"}' };

describe('replay processes', () => {
  it('gives each child its version, a fresh group, earliest, an ephemeral metrics port and its own topics', () => {
    const env = processorEnvironment('trending', { PATH: '/bin', STREAMREC_TRENDING_STATE_VERSION: 'v1' }, run);
    expect(env).toMatchObject({
      PATH: '/bin',
      STREAMREC_TRENDING_STATE_VERSION: 'v7',
      STREAMREC_TRENDING_GROUP_VERSION: 'replay-v7-x',
      STREAMREC_TRENDING_START_FROM: 'earliest',
      STREAMREC_TRENDING_START_AT: '1700000000000',
      STREAMREC_TRENDING_METRICS_PORT: '0',
      STREAMREC_TRENDING_TOPICS: '{"items":"t.c","itemActivity":"t.r"}',
    });
    expect(topicsFor('cooccurrence', run.topicsJson)).toBe('{"interactions":"t.i","itemActivity":"t.r"}');
  });

  it('follows source stages first and item stages on the repartition topic second, with the names the processor uses', () => {
    const sources = progressSources('trending', processorEnvironment('trending', {}, run));
    expect(sources).toEqual([
      { processor: 'trending', stage: 'trending-catalogue', phase: 'source', topic: 't.c', progress: { kind: 'group', groupId: 'trending-catalogue-replay-v7-x' } },
      { processor: 'trending', stage: 'trending-item', phase: 'repartition', topic: 't.r', progress: { kind: 'stored', field: 'trending-item/repartition.item-activity.v1' } },
    ]);
    expect(progressSources('features', processorEnvironment('features', {}, { ...run, topicsJson: undefined })).map((source) => [source.phase, source.topic])).toEqual([
      ['source', 'events.interactions.v1'],
      ['source', 'serving.exposures.v1'],
      ['source', 'events.users.v1'],
      ['repartition', 'repartition.item-activity.v1.v7'], // the new version's own topic
    ]);
  });
});
