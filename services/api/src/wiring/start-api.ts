import type { FastifyInstance } from 'fastify';
import type { Logger } from '@streamrec/foundation/process';
import type { ApiConfig } from '../config.js';
import { buildApps } from '../http/app.js';
import type { ApiServices } from '../http/services.js';
import { createApiMetrics } from '../metrics.js';
import type { ExposurePublisher } from '../adapters/exposure-publisher.js';
import { createApiServices } from './api-services.js';
import { apiKafka, backgroundProducer, rateLimitRedis, requestRedis } from './clients.js';
import { startComponents, type ApiComponents } from './components.js';

/** Internal answers before the API reports ready (each ~10–30 ms on a cold process). */
const WARM_UP_ANSWERS = 20;

export interface RunningApi {
  /** The public app (the /v1 routes). */
  readonly app: FastifyInstance;
  /** The operations app: /readyz, /metrics, /admin/*, /docs. */
  readonly ops: FastifyInstance;
  /** `http://host:port` the API listens on. */
  readonly url: string;
  /** `http://host:port` of the operations listener. */
  readonly opsUrl: string;
  readonly services: ApiServices;
  readonly parts: ApiComponents;
  readonly exposures: ExposurePublisher;
  /** Catalogue and models caught up. */
  ready(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts every component, builds the app and listens (main.ts and the integration tests). */
export async function startApi(config: ApiConfig, log: Logger): Promise<RunningApi> {
  const metrics = createApiMetrics();
  const redis = requestRedis(config);
  redis.on('error', (error: Error) => log.debug({ err: error }, 'redis connection error'));
  const kafka = apiKafka(config, log);
  const producer = backgroundProducer(kafka, log);
  const parts = await startComponents(config, kafka, redis, metrics, log);
  const { services, exposures, warmUp } = createApiServices(config, parts, redis, producer, metrics, log);
  const limiter = config.http.sharedRateLimit ? rateLimitRedis(config) : undefined;
  limiter?.on('error', (error: Error) => log.debug({ err: error }, 'rate-limit redis connection error'));
  const { api: app, ops } = await buildApps(services, { logger: log, ...(limiter === undefined ? {} : { rateLimitRedis: limiter }) });
  const gauges = setInterval(() => {
    metrics.catalogueItems.set(parts.catalogue.size);
    metrics.contentIndexItems.set(parts.content.size);
    metrics.answerCacheEntries.set(parts.answers.size);
    metrics.exposuresQueued.set(exposures.queued());
  }, 5_000);
  gauges.unref();
  const opsUrl = await ops.listen({ host: config.ops.host, port: config.ops.port });
  const url = await app.listen({ host: config.host, port: config.port });
  log.info({ url, opsUrl }, 'api listening (operations: /readyz, /metrics, /admin, /docs on opsUrl)');
  // Ready once the catalogue and models are caught up and a few internal answers have warmed the path.
  const ready = Promise.all([parts.catalogueReader.caughtUp(), parts.models.caughtUp()]).then(() =>
    warmUp(WARM_UP_ANSWERS).catch((error: unknown) => log.warn({ err: error }, 'warm-up answers failed; serving anyway')),
  );
  return {
    app,
    ops,
    url,
    opsUrl,
    services,
    parts,
    exposures,
    ready: () => ready,
    stop: async () => {
      clearInterval(gauges);
      await app.close();
      await ops.close();
      await exposures.stop();
      await parts.stop();
      await producer.stop();
      redis.disconnect();
      limiter?.disconnect();
    },
  };
}
