import { Kafka, Partitioners, logLevel } from 'kafkajs';
import { Redis } from 'ioredis';
import { kafkaClientOptions } from '@streamrec/foundation';
import { kafkaLogCreator, renewingProducer, type RecordSender } from '@streamrec/foundation/kafka';
import { type Logger } from '@streamrec/foundation/process';
import type { ApiConfig } from '../config.js';

/**
 * Redis for request-time reads: no offline queue and no per-command retries, so while Redis is down a
 * read fails at once (and the request degrades) instead of queueing behind reconnects.
 */
export function requestRedis(config: ApiConfig): Redis {
  return new Redis({
    ...config.redis,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 1_000,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
  });
}

/**
 * The shared rate limit's own connection: a count that takes longer than `http.sharedRateLimitTimeoutMs`
 * (50 ms) fails, and the request is let through (the limit is skipped, never the answer delayed or refused
 * because Redis is slow or down).
 */
export function rateLimitRedis(config: ApiConfig): Redis {
  return new Redis({ ...config.redis, enableOfflineQueue: false, maxRetriesPerRequest: 0, connectTimeout: 1_000, commandTimeout: config.http.sharedRateLimitTimeoutMs, retryStrategy: (attempt) => Math.min(attempt * 100, 1_000) });
}

export function apiKafka(config: ApiConfig, log: Logger): Kafka {
  return new Kafka({ clientId: config.kafka.clientId, ...kafkaClientOptions(config.kafka), logLevel: logLevel.WARN, logCreator: kafkaLogCreator(log), retry: { retries: 2 } });
}

export interface ConnectedProducer {
  readonly producer: RecordSender;
  isConnected(): boolean;
  stop(): Promise<void>;
}

/**
 * The producer connects in the background and keeps trying: the API serves before (and while) Kafka is
 * unreachable. It is renewed when the broker loses its state (`renewingProducer`): after a broker kill -9
 * the next exposures and beacons go through a new producer instead of failing until the API restarts.
 */
export function backgroundProducer(kafka: Kafka, log: Logger): ConnectedProducer {
  // Idempotent (with acks -1 on every send): a send kafkajs retries after a lost acknowledgement is written
  // once. Retries are bounded so a beacon gets its 503 within seconds while Kafka is down; a send that ran
  // out of them may still have landed, and the client's retry with the same event_id is deduplicated
  // downstream (kafkajs warns about the bounded retries once at start-up).
  let connected = false;
  let stopped = false;
  const producer = renewingProducer(
    kafka,
    { allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1, retry: { retries: 5 }, createPartitioner: Partitioners.DefaultPartitioner },
    {
      created: (made) => {
        made.on(made.events.CONNECT, () => {
          connected = true;
        });
        made.on(made.events.DISCONNECT, () => {
          connected = false;
        });
      },
      renewed: (cause) => log.warn({ err: cause }, 'Kafka lost the producer\'s state (a broker restart); the next send uses a new producer'),
    },
  );
  const connect = async (): Promise<void> => {
    while (!stopped && !connected) {
      try {
        await producer.connect();
        connected = true;
      } catch (error) {
        log.warn({ err: error }, 'Kafka producer not connected yet; retrying in 2 s');
        await new Promise((resolve) => setTimeout(resolve, 2_000).unref());
      }
    }
  };
  void connect();
  return {
    producer,
    isConnected: () => connected,
    stop: async () => {
      stopped = true;
      await producer.disconnect();
    },
  };
}
