import { describe, expect, it } from 'vitest';
import pino from 'pino';
import type { Producer } from 'kafkajs';
import type { Exposure } from '@streamrec/schemas';
import { createEventCodec } from '@streamrec/schemas/avro';
import { startExposurePublisher, type ExposureMetrics } from './exposure-publisher.js';

const codec = createEventCodec('serving.exposures.v1');
const exposure = (requestId: string): Exposure => ({
  request_id: requestId,
  user_id: 'u1',
  event_time: 1_732_000_000_000,
  scene: 'home',
  experiment: null,
  variant: null,
  model_name: null,
  model_version: null,
  degraded_reasons: [],
  latency_ms: 1,
  feature_names: [],
  items: [],
  ingest_time: 1_732_000_000_000,
});

/** A producer whose sends wait for `release()` (or fail while `down`), recording what was delivered. */
function gatedProducer() {
  const delivered: string[] = [];
  let down = false;
  let release: (() => void) | undefined;
  const producer = {
    send: async ({ messages }: { messages: { value: Buffer }[] }) => {
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      if (down) throw new Error('broker down');
      delivered.push(...messages.map(({ value }) => codec.decode(value).request_id));
      return [];
    },
  } as unknown as Producer;
  return {
    producer,
    delivered,
    setDown: (value: boolean) => {
      down = value;
    },
    release: () => release?.(),
  };
}

function countingMetrics() {
  const counts = { sent: 0, dropped: 0, failedFlushes: 0 };
  const metrics: ExposureMetrics = {
    sent: (count) => (counts.sent += count),
    dropped: (count) => (counts.dropped += count),
    failedFlush: () => (counts.failedFlushes += 1),
  };
  return { counts, metrics };
}

describe('exposure publisher', () => {
  it('a batch in flight while the full queue drops its oldest: each exposure is delivered at most once, the newest kept', async () => {
    const gate = gatedProducer();
    const { counts, metrics } = countingMetrics();
    const publisher = startExposurePublisher(gate.producer, { topic: 't', maxQueued: 4, flushEveryMs: 60_000, batchSize: 2 }, metrics, pino({ level: 'silent' }));
    for (const id of ['a', 'b']) publisher.publish(exposure(id)); // batchSize reached: a flush of [a, b] starts
    for (const id of ['c', 'd', 'e', 'f', 'g']) publisher.publish(exposure(id)); // full at 4: a, b, c dropped
    expect(counts.dropped).toBe(3);
    expect(publisher.queued()).toBe(4);
    gate.release(); // [a, b] delivered after all
    await new Promise((resolve) => setImmediate(resolve));
    while (publisher.queued() > 0) {
      gate.release();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(gate.delivered).toEqual(['a', 'b', 'd', 'e', 'f', 'g']);
    expect(counts.sent).toBe(6);
    await publisher.stop();
  });

  it('a failed send keeps the batch queued for the next flush', async () => {
    const gate = gatedProducer();
    const { counts, metrics } = countingMetrics();
    const publisher = startExposurePublisher(gate.producer, { topic: 't', maxQueued: 10, flushEveryMs: 60_000, batchSize: 100 }, metrics, pino({ level: 'silent' }));
    publisher.publish(exposure('x'));
    gate.setDown(true);
    const failed = publisher.flush();
    gate.release();
    await failed;
    expect(counts.failedFlushes).toBe(1);
    expect(publisher.queued()).toBe(1);
    gate.setDown(false);
    const retried = publisher.flush();
    gate.release();
    await retried;
    expect(gate.delivered).toEqual(['x']);
    expect(publisher.queued()).toBe(0);
  });
});
