import { describe, expect, it } from 'vitest';
import { cdcLag, cdcLagSample, countDeadLetters } from './topic-records.js';
import type { TopicRecord } from './measurements.js';

const bytes = (value: unknown): Uint8Array => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
const record = (topic: string, value: unknown, timestampMs = 0): TopicRecord => ({ topic, partition: 0, offset: '0', timestampMs, value: value === null ? null : bytes(value) });

describe('dead letters', () => {
  it('counts per processor, code and reason, most frequent first', () => {
    let offset = 0;
    const letter = (reason: string, code = 'REC_UNMAPPABLE_EVENT') => record('dlq.normalize', { processor: 'normalize', code, reason, source: { topic: 'cdc.x', partition: 0, offset: String((offset += 1)) } });
    const counts = countDeadLetters([letter('unmapped_url'), letter('wrong_type', 'REC_CDC_ENVELOPE_INVALID'), letter('unmapped_url'), record('dlq.features', 'not json'), record('dlq.features', null)], 'dlq.');
    expect(counts).toEqual([
      { processor: 'normalize', code: 'REC_UNMAPPABLE_EVENT', reason: 'unmapped_url', count: 2 },
      { processor: 'features', code: '', reason: 'tombstone', count: 1 },
      { processor: 'features', code: '', reason: 'unreadable dead letter', count: 1 },
      { processor: 'normalize', code: 'REC_CDC_ENVELOPE_INVALID', reason: 'wrong_type', count: 1 },
    ]);
  });

  it('counts a letter sent again (same processor, source record and code) once', () => {
    const letter = (offset: string, code = 'REC_PAYLOAD_INVALID') => record('dlq.features', { processor: 'features', code, reason: 'value is not JSON', source: { topic: 'events.interactions.v1', partition: 3, offset } });
    // Offsets 7 and 8, with 7 sent twice (a crash between the send and the apply), and 8 with another code.
    const counts = countDeadLetters([letter('7'), letter('8'), letter('7'), letter('8', 'REC_SCHEMA_UNKNOWN_FINGERPRINT')], 'dlq.');
    expect(counts.map(({ code, count }) => [code, count])).toEqual([
      ['REC_PAYLOAD_INVALID', 2],
      ['REC_SCHEMA_UNKNOWN_FINGERPRINT', 1],
    ]);
    // Letters without a source (not foundation's JSON) are not deduplicated: nothing identifies them.
    expect(countDeadLetters([record('dlq.x', { processor: 'x', code: 'C', reason: 'r' }), record('dlq.x', { processor: 'x', code: 'C', reason: 'r' })], 'dlq.')[0]?.count).toBe(2);
  });

  it('cuts long reasons so they group', () => {
    const long = 'x'.repeat(200);
    const [count] = countDeadLetters([record('dlq.sink', { processor: 'sink', code: 'C', reason: `${long}1` }), record('dlq.sink', { processor: 'sink', code: 'C', reason: `${long}2` })], 'dlq.');
    expect(count?.count).toBe(2);
    expect(count?.reason).toHaveLength(80);
  });
});

describe('CDC lag', () => {
  const envelope = (op: string, tsMs: number, snapshot = 'false') => ({ before: null, after: { id: 1 }, op, ts_ms: tsMs + 5, source: { ts_ms: tsMs, snapshot, db: 'shop' } });

  it('is the Kafka timestamp minus the binlog event time of streamed changes', () => {
    expect(cdcLagSample(record('cdc.shop.orders', envelope('u', 1_000_000), 1_000_750))).toEqual({ topic: 'cdc.shop.orders', lagMs: 750 });
    expect(cdcLagSample(record('cdc.shop.orders', envelope('r', 1_000_000, 'true'), 1_005_000))).toBeUndefined();
    expect(cdcLagSample(record('cdc.shop.orders', envelope('c', 1_000_000, 'last'), 1_005_000))).toBeUndefined();
    expect(cdcLagSample(record('cdc.shop.orders', null, 1_005_000))).toBeUndefined();
    expect(cdcLagSample(record('cdc.shop.orders', { op: 'c' }, 1_005_000))).toBeUndefined();
  });

  it('summarises per topic and overall with interpolated percentiles', () => {
    // lags 0, 1000, 2000, 3000, 4000 ms: p50 2000; p95 at position 3.8 → 3800
    const records = [0, 1, 2, 3, 4].map((second) => record(second < 2 ? 'cdc.a' : 'cdc.b', envelope('c', 1_000_000), 1_000_000 + second * 1_000));
    const lag = cdcLag(records);
    expect(lag.overall).toEqual({ samples: 5, p50Ms: 2_000, p95Ms: 3_800, maxMs: 4_000 });
    expect(lag.perTopic.map((topic) => [topic.topic, topic.samples, topic.maxMs])).toEqual([['cdc.a', 2, 1_000], ['cdc.b', 3, 4_000]]);
  });
});
