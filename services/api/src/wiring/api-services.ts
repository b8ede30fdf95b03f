import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { AppError, ErrorCode } from '@streamrec/foundation';
import { type Logger } from '@streamrec/foundation/process';
import { createEventCodec } from '@streamrec/schemas/avro';
import { userIdOf, type ItemId, type ItemInfo } from '@streamrec/streams-common';
import { readTrending } from '@streamrec/trending/reader';
import { nodeSecretHasher } from '../adapters/api-key-hash.js';
import { startExposurePublisher, type ExposurePublisher } from '../adapters/exposure-publisher.js';
import { budgetedStageRunner } from '../adapters/stage-budget.js';
import { authenticate } from '../domain/auth/api-keys.js';
import { beaconInteraction } from '../domain/serving/beacon-event.js';
import { BreakerState, CircuitBreaker } from '../domain/ranking/circuit-breaker.js';
import { assignVariant } from '../domain/experiments/experiments.js';
import { exposureOf } from '../domain/serving/exposure.js';
import type { RecommendDependencies } from '../domain/serving/recommend.js';
import { serveRecommendations, type ServeDependencies } from '../domain/serving/serve-recommendations.js';
import { popularItems } from '../domain/serving/popular-items.js';
import { similarItems } from '../domain/recall/similar-items.js';
import type { ApiConfig } from '../config.js';
import type { ApiServices, ItemList } from '../http/services.js';
import { stageMetrics, type ApiMetrics } from '../metrics.js';
import type { ConnectedProducer } from './clients.js';
import type { ApiComponents } from './components.js';

const breakerGauge = { [BreakerState.Closed]: 0, [BreakerState.HalfOpen]: 1, [BreakerState.Open]: 2 } as const;

export interface ApiServicesHandle {
  readonly services: ApiServices;
  readonly exposures: ExposurePublisher;
  /**
   * Answers `count` requests of unknown users through the whole path with no exposure, no answer cache,
   * no metrics and a breaker of their own, so the first real answers after start-up meet compiled code
   * and a filled item-stats cache instead of timing out their features read.
   */
  readonly warmUp: (count: number) => Promise<void>;
}

/** The routes' services over the real components (Redis, Kafka, ONNX, usearch). */
export function createApiServices(config: ApiConfig, parts: ApiComponents, redis: Redis, producer: ConnectedProducer, metrics: ApiMetrics, log: Logger): ApiServicesHandle {
  const catalogue = (item: ItemId): ItemInfo | undefined => parts.catalogue.lookup(item, 0);
  const catalogueReady = (): boolean => parts.catalogueReader.isCaughtUp();
  const runStage = budgetedStageRunner(config.budgetsMs, stageMetrics(metrics));
  const breakers = new Map<string, CircuitBreaker>();
  const breakerFor = (name: string): CircuitBreaker => {
    let breaker = breakers.get(name);
    if (breaker === undefined) {
      breaker = new CircuitBreaker({
        ...config.breaker,
        now: Date.now,
        onStateChange: (from, to) => {
          metrics.breakerState.set({ model: name }, breakerGauge[to]);
          log.warn({ model: name, from, to }, 'ranker circuit breaker changed state');
        },
      });
      breakers.set(name, breaker);
      metrics.breakerState.set({ model: name }, 0);
    }
    return breaker;
  };
  // An open breaker turns half-open when its cooldown ends, which no event reports: read the states at each scrape.
  metrics.onScrape = () => {
    for (const [name, breaker] of breakers) metrics.breakerState.set({ model: name }, breakerGauge[breaker.state]);
  };
  const exposures = startExposurePublisher(
    producer.producer,
    { topic: config.topics.exposures, ...config.exposures },
    {
      sent: (count) => metrics.exposures.inc({ result: 'sent' }, count),
      dropped: (count, reason) => metrics.exposures.inc({ result: `dropped_${reason}` }, count),
      failedFlush: () => metrics.exposures.inc({ result: 'flush_failed' }),
    },
    log.child({ component: 'exposures' }),
  );
  const recommendDeps: RecommendDependencies = {
    readProfile: (user) => parts.state.readProfile(user),
    readNeighbours: (seeds) => parts.state.readNeighbours(seeds),
    readUsersRecent: (users) => parts.state.readUsersRecent(users),
    readItemStats: (items) => parts.state.readItemStats(items),
    content: parts.content,
    catalogue,
    catalogueReady,
    snapshot: () => parts.snapshot.current(),
    models: parts.models,
    breakerFor,
    runStage,
    decay: config.featuresParams,
    priceBucketOf: parts.priceBucketOf,
    priceBucketIndexOf: parts.priceBucketIndexOf,
    industrySize: (industry) => parts.catalogue.industrySize(industry),
    params: config.recall,
    unshownSampleRate: config.exposures.unshownSampleRate,
  };
  const serveDeps: ServeDependencies = {
    ...recommendDeps,
    clock: () => performance.timeOrigin + performance.now(),
    newRequestId: randomUUID,
    assign: (user, scene) => assignVariant(parts.experiments.current(), user, scene),
    lastAnswers: parts.answers,
    onAnswer: (answer) => {
      for (const reason of answer.degraded) metrics.degraded.inc({ reason });
      metrics.candidates.observe(answer.candidates);
      if (answer.newestEventMs !== null) metrics.freshness.observe(Math.max(0, Date.now() - answer.newestEventMs) / 1000);
      exposures.publish(exposureOf(answer, Date.now()));
    },
  };
  const interactions = createEventCodec('events.interactions.v1');

  const services: ApiServices = {
    http: config.http,
    metrics,
    clock: Date.now,
    authenticate: (presented) => authenticate(parts.apiKeys, presented, nodeSecretHasher),
    recommend: (request) => serveRecommendations(request, serveDeps),
    similar: async (item, limit) => {
      const weights = parts.experiments.current().fallback.weights;
      const result = await similarItems(item, limit, weights, { readNeighbours: recommendDeps.readNeighbours, content: parts.content, catalogue, catalogueReady, runStage });
      for (const reason of result.degraded) metrics.degraded.inc({ reason });
      return result;
    },
    popular: async (request): Promise<ItemList> => {
      const result = await popularItems(request, {
        snapshot: () => parts.snapshot.current(),
        catalogue,
        runStage,
        readHotList: (query) => readTrending(redis, { context: parts.context(), params: config.trendingParams }, { ...query, nowMs: Date.now() }),
      });
      for (const reason of result.degraded) metrics.degraded.inc({ reason });
      return result;
    },
    acceptEvent: async (body) => {
      const interaction = beaconInteraction(body, Date.now(), randomUUID);
      if (catalogueReady() && catalogue(body.item_id as ItemId) === undefined) throw new AppError(ErrorCode.NotFound, `item ${body.item_id} is not in the catalogue`);
      try {
        await producer.producer.send({ topic: config.topics.interactions, acks: -1, timeout: 3_000, messages: [{ key: interaction.user_id, value: interactions.encode(interaction) }] });
      } catch (cause) {
        throw new AppError(ErrorCode.DependencyUnavailable, 'Kafka did not take the event; retry with the same event_id', { retriable: true, cause });
      }
      metrics.eventsAccepted.inc({ action: interaction.action });
      return interaction.event_id;
    },
    readiness: async () => {
      const redisOk = await Promise.race([redis.ping().then(() => true, () => false), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 250).unref())]);
      const checks = {
        catalogue: { ok: catalogueReady(), detail: `${parts.catalogue.size} items` },
        models: { ok: parts.models.isCaughtUp(), detail: Object.keys(parts.models.status().models).join(',') || 'none published' },
        redis: { ok: redisOk, detail: redisOk ? 'reachable' : 'unreachable: answers degrade to the fallback lists' },
        kafka: { ok: producer.isConnected(), detail: producer.isConnected() ? 'connected' : 'not connected: events refused, exposures queued' },
        warm_up: { ok: warmedUp !== undefined, detail: warmedUp === undefined ? 'internal answers not run yet' : `${warmedUp} internal answers` },
      };
      // Redis and Kafka being down degrades answers; it does not make the instance unfit to serve.
      return { ready: checks.catalogue.ok && checks.models.ok && checks.warm_up.ok, checks };
    },
    reloadExperiments: () => {
      const result = parts.experiments.reload();
      return { ok: result.ok, errors: [...result.errors], checksum: result.checksum };
    },
    status: () => ({
      state_version: parts.activeVersion.current(),
      catalogue: { items: parts.catalogue.size, caught_up: catalogueReady() },
      content_index: { items: parts.content.size },
      models: parts.models.status(),
      breakers: Object.fromEntries([...breakers].map(([name, breaker]) => [name, breaker.state])),
      experiments: parts.experiments.status(),
      last_answers: parts.answers.size,
      popular_lists_built_at: new Date(parts.snapshot.current().builtAtMs).toISOString(),
      exposures_queued: exposures.queued(),
    }),
    forgetUsers: async (users) => ({ forgotten: await parts.answers.forget(users.map((user) => userIdOf(user))) }),
  };
  let warmedUp: number | undefined;
  const warmUp = async (count: number): Promise<void> => {
    const quiet = { observe: () => undefined, timedOut: () => undefined };
    const breaker = new CircuitBreaker({ ...config.breaker, now: Date.now });
    const warmDeps: ServeDependencies = {
      ...serveDeps,
      runStage: budgetedStageRunner(config.budgetsMs, quiet),
      breakerFor: () => breaker,
      lastAnswers: { get: () => undefined, remember: () => undefined },
      onAnswer: () => undefined,
    };
    try {
      for (let index = 0; index < count; index += 1) {
        await serveRecommendations({ user: userIdOf(`warm-up-${index}`), scene: 'home', limit: 20, exclude: new Set(), excludeSeen: true }, warmDeps);
      }
    } finally {
      warmedUp = count;
    }
  };
  return { services, exposures, warmUp };
}
