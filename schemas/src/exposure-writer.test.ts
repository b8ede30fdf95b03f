import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@streamrec/foundation';
import { createEventCodec } from './avro-codec.js';
import type { ExposedItem, Exposure, WritableExposure } from './event-types.js';
import { EXPOSURE_WRITER_FIELDS, createExposureWriter } from './exposure-writer.js';
import { loadAvroSchema } from './schema-files.js';

const codec = createEventCodec('serving.exposures.v1');

/** A seeded generator, so a failure names an exposure that can be made again. */
function randomOf(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

const TEXTS = ['', 'home', 'req-00000000-0000-4000-8000-000000000000', 'anon:0123456789abcdef', 'Zürich – 東京 🚀 données', 'x'.repeat(200), '日本語'.repeat(30)];
const LONGS = [0, 1, -1, 63, 64, -64, -65, 127, 128, 300, 2 ** 30 - 1, 2 ** 30, -(2 ** 30), -(2 ** 30) - 1, 2 ** 31, 1_795_000_000_123, 9_007_199_254_740_990, -9_007_199_254_740_990];
const INTS = [0, 1, -1, 64, -65, 2 ** 30, -(2 ** 30) - 1, 2 ** 31 - 1, -(2 ** 31)];
const FLOATS = [0, -0, 1.5, -2.25, 0.1, 1e-40, 3.4e38, 1e39, -1e39, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];

function randomExposure(seed: number): WritableExposure {
  const random = randomOf(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  const nullable = (): string | null => (random() < 0.3 ? null : pick(TEXTS));
  const width = Math.floor(random() * 120);
  const floatValue = (): number => (random() < 0.3 ? pick(FLOATS) : (random() - 0.5) * 10 ** Math.floor(random() * 12 - 6));
  const items: WritableExposure['items'] = Array.from({ length: Math.floor(random() * 60) }, (_, position) => {
    const values = Array.from({ length: random() < 0.1 ? 0 : width }, floatValue);
    return {
      item_id: pick(LONGS),
      position: random() < 0.8 ? position : pick(INTS),
      channel: pick(TEXTS),
      score: floatValue(),
      // The API hands float32 rows (views into one buffer); other callers plain arrays.
      features: random() < 0.5 ? values : new Float32Array(values.length + 3).subarray(2, 2 + values.length).map((_, index) => values[index] ?? 0),
      shown: random() < 0.5,
    };
  });
  return {
    request_id: pick(TEXTS),
    user_id: pick(TEXTS),
    event_time: pick(LONGS),
    scene: pick(TEXTS),
    experiment: nullable(),
    variant: nullable(),
    model_name: nullable(),
    model_version: nullable(),
    degraded_reasons: Array.from({ length: Math.floor(random() * 4) }, () => pick(TEXTS)),
    latency_ms: pick(INTS),
    feature_names: Array.from({ length: random() < 0.2 ? 0 : width }, (_, index) => `feature_${index}`),
    items,
    ingest_time: pick(LONGS),
  };
}

/** The same exposure with plain arrays, as avsc takes it (it refuses typed arrays). */
const plain = (exposure: WritableExposure): Exposure => ({ ...exposure, items: exposure.items.map((item) => ({ ...item, features: Array.from(item.features) })) });

describe('the exposure writer', () => {
  it('writes the fields the schema file declares, in its order', () => {
    const schema = loadAvroSchema('serving.exposures.v1') as { fields: { name: string; type: { items?: { fields?: { name: string }[] } } }[] };
    expect(schema.fields.map(({ name }) => name)).toEqual(EXPOSURE_WRITER_FIELDS.exposure);
    const items = schema.fields.find(({ name }) => name === 'items');
    expect(items?.type.items?.fields?.map(({ name }) => name)).toEqual(EXPOSURE_WRITER_FIELDS.item);
  });

  it('gives the bytes avsc gives, on 300 random exposures (edge longs and ints, unicode, nulls, empty arrays, NaN and out-of-range floats, typed-array rows)', () => {
    const writer = createExposureWriter();
    for (let seed = 1; seed <= 300; seed += 1) {
      const exposure = randomExposure(seed);
      const expected = codec.encode(plain(exposure));
      expect(writer.encode(exposure).equals(expected), `exposure of seed ${seed}`).toBe(true);
      // Again: the feature names now come from the writer's copy of the last ones.
      expect(writer.encode(exposure).equals(expected), `exposure of seed ${seed}, written again`).toBe(true);
    }
  });

  it('returns a buffer of its own for each message (the next one does not overwrite it), growing for a large one', () => {
    const writer = createExposureWriter();
    const small = randomExposure(7);
    const first = writer.encode(small);
    const copy = Buffer.from(first);
    const large = { ...randomExposure(8), items: Array.from({ length: 400 }, (_, position) => ({ item_id: position, position, channel: 'popular', score: 1, features: new Array<number>(112).fill(0.5), shown: true })) };
    expect(writer.encode(large).equals(codec.encode(plain(large)))).toBe(true);
    expect(first.equals(copy)).toBe(true);
    expect(codec.decode(first)).toEqual(codec.decode(codec.encode(plain(small))));
  });

  it('refuses a value of the wrong type with REC_PAYLOAD_INVALID naming the field, as the codec does', () => {
    const writer = createExposureWriter();
    const valid = randomExposure(3);
    const item: ExposedItem = { item_id: 5, position: 0, channel: 'tag', score: 1, features: [1], shown: true };
    const cases: [WritableExposure, string][] = [
      [{ ...valid, user_id: 42 as unknown as string }, 'user_id'],
      [{ ...valid, event_time: 1.5 }, 'event_time'],
      [{ ...valid, ingest_time: Number.MAX_SAFE_INTEGER }, 'ingest_time'],
      [{ ...valid, latency_ms: 2 ** 31 }, 'latency_ms'],
      [{ ...valid, variant: undefined as unknown as null }, 'variant'],
      [{ ...valid, items: [{ ...item, item_id: Number.NaN }] }, 'items.item_id'],
      [{ ...valid, items: [{ ...item, features: ['1'] as unknown as number[] }] }, 'items.features'],
      [{ ...valid, items: [{ ...item, shown: 1 as unknown as boolean }] }, 'items.shown'],
    ];
    for (const [exposure, field] of cases) {
      expect(() => codec.encode(exposure as Exposure), field).toThrow();
      let error: unknown;
      try {
        writer.encode(exposure);
      } catch (caught) {
        error = caught;
      }
      expect(error, field).toMatchObject({ code: ErrorCode.PayloadInvalid });
      expect((error as Error).message, field).toContain(`${field}: invalid value`);
    }
    expect(writer.encode(valid).equals(codec.encode(plain(valid)))).toBe(true);
  });
});
