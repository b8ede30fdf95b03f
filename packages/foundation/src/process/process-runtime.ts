import type { AddressInfo } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import { Redis } from 'ioredis';
import { kafkaLogCreator } from '../kafka/kafka-logging.js';
import type { Logger } from './logger.js';
import { startMetricsServer } from '../metrics/metrics-server.js';
import { createProcessorMetrics, type ProcessorMetrics } from '../metrics/processor-metrics.js';
import type { RunningConsumer } from '../kafka/batch-consumer.js';
import type { RunningProcess } from './run-process.js';
import { createRedisStateStore } from '../redis/redis-state-store.js';
import type { StateStore } from '../state/state-store.js';
import type { RedisConfig } from '../config/redis-config.js';
import { kafkaClientOptions, type KafkaConfig } from '../config/kafka-config.js';

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
  /**
   * The last start-up step: serve /metrics and /healthz (healthy while every consumer runs) and hand
   * back the running process (ready once every consumer fetched once).
   */
  readonly serve: (consumers: readonly RunningConsumer[], metrics: { readonly host: string; readonly port: number }) => Promise<RunningProcess>;
}

export interface ProcessRuntimeConfig {
  /** Brokers and SASL credentials (the processor role's, `kafkaConfigInput(env, 'processor')`), and the client id. */
  readonly kafka: Pick<KafkaConfig, 'username' | 'password'> & { readonly clientId: string; readonly brokers: readonly string[] };
  readonly redis: RedisConfig;
}

export function createProcessRuntime(config: ProcessRuntimeConfig, processor: string, log: Logger): ProcessRuntime {
  const kafka = new Kafka({ clientId: config.kafka.clientId, ...kafkaClientOptions(config.kafka), logLevel: logLevel.WARN, logCreator: kafkaLogCreator(log) });
  const redis = new Redis({ ...config.redis, maxRetriesPerRequest: 3 });
  const stoppers: (() => Promise<unknown>)[] = [async () => redis.quit()];
  const metrics = createProcessorMetrics(processor);
  const stopAll = async (): Promise<void> => {
    for (const stop of stoppers.splice(0).reverse()) await stop().catch((error: unknown) => log.warn({ err: error }, 'stop failed'));
  };
  return {
    kafka,
    redis,
    store: createRedisStateStore(redis),
    metrics,
    onStop: (stop) => {
      stoppers.push(stop);
    },
    stopAll,
    serve: async (consumers, listen) => {
      const isHealthy = (): boolean => consumers.every((consumer) => consumer.isRunning());
      const server = await startMetricsServer({ host: listen.host, port: listen.port, registry: metrics.registry, isHealthy });
      stoppers.push(() => new Promise((resolve) => server.close(resolve)));
      const fetched = Promise.all(consumers.map((consumer) => consumer.firstFetch())).then(() => undefined);
      return { ready: () => fetched, metricsPort: () => (server.address() as AddressInfo).port, isHealthy, stop: stopAll };
    },
  };
}
