import { describe, expect, it } from 'vitest';
import { createEventCodec, createExposureWriter } from '@streamrec/schemas/avro';
import { Channel } from '../recall/channels.js';
import { DegradedReason } from './degradation.js';
import { exposureOf } from './exposure.js';
import type { Answer } from './serve-recommendations.js';
import { item, user } from '../test-fixtures.js';

const answer: Answer = {
  requestId: 'req-1',
  user: user('42'),
  scene: 'home',
  servedAtMs: 1_795_000_000_123.456,
  items: [
    { item: item(7), score: 0.123456789, channels: [Channel.Cooccurrence, Channel.Content], features: [1.5, 0.1] },
    { item: item(9), score: 2, channels: [], features: [] },
  ],
  unshown: [{ item: item(11), score: 0.05, channels: [Channel.Popular], features: [0.25, 0] }],
  model: { name: 'ranker', version: 'v3' },
  experiment: 'exp',
  variant: 'control',
  featureNames: ['fused_score', 'ch_content'],
  degraded: [DegradedReason.RecallPartial],
  newestEventMs: null,
  coldStart: false,
  candidates: 2,
  latencyMs: 4.6,
};

describe('exposure of an answer', () => {
  it('logs what was shown, in order, with the primary channel, float32 scores and the ranking features, then the sampled unshown candidates', () => {
    const exposure = exposureOf(answer, 1_795_000_000_200);
    expect(exposure).toMatchObject({ request_id: 'req-1', user_id: '42', event_time: 1_795_000_000_123, model_version: 'v3', variant: 'control', degraded_reasons: ['recall_partial'], latency_ms: 5 });
    expect(exposure.items).toEqual([
      { item_id: 7, position: 0, channel: 'cooccurrence', score: Math.fround(0.123456789), features: [1.5, Math.fround(0.1)], shown: true },
      { item_id: 9, position: 1, channel: 'unknown', score: 2, features: [], shown: true },
      { item_id: 11, position: 2, channel: 'popular', score: Math.fround(0.05), features: [0.25, 0], shown: false },
    ]);
  });

  it('encodes as serving.exposures.v1 Avro and decodes to the same record', () => {
    const codec = createEventCodec('serving.exposures.v1');
    const exposure = exposureOf(answer, 1_795_000_000_200);
    expect(codec.decode(createExposureWriter().encode(exposure))).toEqual(exposure);
  });

  it('hands the answer’s float32 rows to the writer as they are, and they decode to the same values', () => {
    const rows = Float32Array.from([1.5, 0.1, 0.25, 0]);
    const fromRows: Answer = { ...answer, items: [{ ...answer.items[0]!, features: rows.subarray(0, 2) }], unshown: [{ ...answer.unshown[0]!, features: rows.subarray(2, 4) }] };
    const exposure = exposureOf(fromRows, 1_795_000_000_200);
    expect(exposure.items[0]?.features).toBe(fromRows.items[0]?.features);
    const decoded = createEventCodec('serving.exposures.v1').decode(createExposureWriter().encode(exposure));
    expect(decoded.items.map(({ features }) => features)).toEqual([[1.5, Math.fround(0.1)], [0.25, 0]]);
  });
});
