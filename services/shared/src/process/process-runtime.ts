import { Kafka, logLevel } from 'kafkajs';
import { Redis } from 'ioredis';
import { kafkaLogCreator } from '../kafka/kafka-logging.js';
import type { Logger } from '../logger.js';
import { createProcessorMetrics, type ProcessorMetrics } from '../metrics/processor-metrics.js';
import { createRedisStateStore, type StateStore } from '../state/redis-state-store.js';

/** The clients every stream process holds, and the ordered shutdown of what it started. */
export interface ProcessRuntime {
  readonly kafka: Kafka;
  readonly redis: Redis;
  readonly store: StateStore;
  readonly metrics: ProcessorMetrics;
  /** Registers something to stop; `stopAll` stops in reverse order of registration. */
  readonly onStop: (stop: () => Promise<unknown>) => void;
  /** Stops everything registered (Redis last), logging but not throwing individual failures. */
  readonly stopAll: () => Promise<void>;
}

export interface ProcessRuntimeConfig {
  readonly kafka: { readonly clientId: string; readonly brokers: readonly string[] };
  readonly redis: { readonly host: string; readonly port: number };
}

export function createProcessRuntime(config: ProcessRuntimeConfig, processor: string, log: Logger): ProcessRuntime {
  const kafka = new Kafka({ clientId: config.kafka.clientId, brokers: [...config.kafka.brokers], logLevel: logLevel.WARN, logCreator: kafkaLogCreator(log) });
  const redis = new Redis({ host: config.redis.host, port: config.redis.port, maxRetriesPerRequest: 3 });
  const stoppers: (() => Promise<unknown>)[] = [async () => redis.quit()];
  return {
    kafka,
    redis,
    store: createRedisStateStore(redis),
    metrics: createProcessorMetrics(processor),
    onStop: (stop) => {
      stoppers.push(stop);
    },
    stopAll: async () => {
      for (const stop of stoppers.splice(0).reverse()) await stop().catch((error: unknown) => log.warn({ err: error }, 'stop failed'));
    },
  };
}
