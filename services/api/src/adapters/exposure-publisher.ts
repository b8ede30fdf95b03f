import type { RecordSender } from '@streamrec/foundation/kafka';
import type { Logger } from '@streamrec/foundation/process';
import type { WritableExposure } from '@streamrec/schemas';
import { createExposureWriter } from '@streamrec/schemas/avro';
import { BoundedQueue } from '../domain/serving/bounded-queue.js';

export interface ExposurePublisherOptions {
  readonly topic: string;
  /** Exposures waiting for Kafka beyond this are dropped (and counted): serving never waits on Kafka. */
  readonly maxQueued: number;
  readonly flushEveryMs: number;
  readonly batchSize: number;
}

export interface ExposureMetrics {
  sent(count: number): void;
  dropped(count: number, reason: 'queue_full' | 'encode_failed'): void;
  failedFlush(): void;
}

export interface ExposurePublisher {
  publish(exposure: WritableExposure): void;
  queued(): number;
  /** Sends what is queued now (tests, shutdown). */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Every answer → serving.exposures.v1 (Avro), keyed by user. Answers are queued and sent in batches
 * in the background, so a slow or dead Kafka never slows an answer; a failed send stays queued and
 * is retried on the next flush, and only what exceeds `maxQueued` is dropped.
 */
export function startExposurePublisher(producer: Pick<RecordSender, 'send'>, options: ExposurePublisherOptions, metrics: ExposureMetrics, log: Logger): ExposurePublisher {
  const writer = createExposureWriter();
  // A ring buffer: queuing, dropping the oldest and taking a batch never copy the queue.
  const queue = new BoundedQueue<{ key: string; value: Buffer }>(options.maxQueued);
  let flushing: Promise<void> | undefined;

  const sendQueued = async (): Promise<void> => {
    while (queue.size > 0) {
      const batch = queue.peek(options.batchSize);
      try {
        await producer.send({ topic: options.topic, acks: -1, messages: batch.items });
      } catch (error) {
        metrics.failedFlush();
        log.warn({ err: error, queued: queue.size }, 'exposures not sent; retrying on the next flush');
        return;
      }
      queue.removeThrough(batch.through);
      metrics.sent(batch.items.length);
    }
  };
  const flush = (): Promise<void> => {
    flushing ??= sendQueued().finally(() => {
      flushing = undefined;
    });
    return flushing;
  };
  const timer = setInterval(() => void flush(), options.flushEveryMs);
  timer.unref();

  return {
    publish(exposure) {
      let value: Buffer;
      try {
        value = writer.encode(exposure);
      } catch (error) {
        metrics.dropped(1, 'encode_failed');
        log.error({ err: error, requestId: exposure.request_id }, 'exposure could not be encoded');
        return;
      }
      if (queue.push({ key: exposure.user_id, value }) > 0) metrics.dropped(1, 'queue_full');
      if (queue.size >= options.batchSize) void flush();
    },
    queued: () => queue.size,
    flush,
    stop: async () => {
      clearInterval(timer);
      await flush();
    },
  };
}
