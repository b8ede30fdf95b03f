import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { DEGRADED_REASONS } from './domain/serving/degradation.js';
import type { Stage } from './domain/serving/stages.js';

/** Everything the API exposes on /metrics (monitoring/ alerts and the Grafana dashboard use these names). */
export interface ApiMetrics {
  readonly registry: Registry;
  readonly httpDuration: Histogram<'route' | 'method' | 'status'>;
  readonly degraded: Counter<'reason'>;
  readonly stageDuration: Histogram<'stage'>;
  readonly stageTimeouts: Counter<'stage'>;
  readonly candidates: Histogram;
  readonly breakerState: Gauge<'model'>;
  readonly modelInfo: Gauge<'model' | 'version'>;
  readonly modelRejected: Counter<'model' | 'reason'>;
  readonly exposures: Counter<'result'>;
  readonly eventsAccepted: Counter<'action'>;
  readonly authFailures: Counter<'reason'>;
  readonly rateLimited: Counter<'key'>;
  readonly experimentsReloads: Counter<'result'>;
  readonly snapshotRefreshes: Counter<'result'>;
  readonly catalogueItems: Gauge;
  readonly contentIndexItems: Gauge;
  /** Users whose last answer is kept for degraded answers (bounded by answerCache.capacity). */
  readonly answerCacheEntries: Gauge;
  /** Exposures waiting for Kafka (bounded by exposures.maxQueued; beyond it they are dropped and counted). */
  readonly exposuresQueued: Gauge;
  readonly freshness: Histogram;
  /** Called at each scrape to refresh gauges whose source changes without an event (a breaker's cooldown ending). */
  onScrape: (() => void) | undefined;
}

export function createApiMetrics(): ApiMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'api' });
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const metrics: ApiMetrics = {
    registry,
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by route template, method and status',
      labelNames: ['route', 'method', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    }),
    degraded: new Counter({ name: 'recommendation_degraded_total', help: 'Answers degraded, by reason (one answer can count several reasons)', labelNames: ['reason'], registers }),
    stageDuration: new Histogram({
      name: 'recommendation_stage_duration_seconds',
      help: 'Time per budgeted stage of a recommendation',
      labelNames: ['stage'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1],
      registers,
    }),
    stageTimeouts: new Counter({ name: 'recommendation_stage_timeouts_total', help: 'Stages that ran out of their budget', labelNames: ['stage'], registers }),
    candidates: new Histogram({ name: 'recommendation_candidates', help: 'Fused candidates per request (what the ranker scores)', buckets: [0, 10, 50, 100, 200, 300, 400, 600, 1000], registers }),
    breakerState: new Gauge({
      name: 'ranker_breaker_state',
      help: 'Ranker circuit breaker per model name: 0 closed, 1 half-open, 2 open',
      labelNames: ['model'],
      registers,
      collect: () => metrics.onScrape?.(),
    }),
    modelInfo: new Gauge({ name: 'ranker_model_info', help: '1 for the model version serving each name', labelNames: ['model', 'version'], registers }),
    modelRejected: new Counter({ name: 'ranker_model_rejected_total', help: 'Model publications refused (the previous model kept serving)', labelNames: ['model', 'reason'], registers }),
    exposures: new Counter({ name: 'exposures_total', help: 'Exposure events by result: sent, dropped_queue_full, dropped_encode_failed, flush_failed', labelNames: ['result'], registers }),
    eventsAccepted: new Counter({ name: 'beacon_events_total', help: 'Storefront events accepted into events.interactions.v1', labelNames: ['action'], registers }),
    authFailures: new Counter({ name: 'http_auth_failures_total', help: 'Requests refused by authentication or scope', labelNames: ['reason'], registers }),
    rateLimited: new Counter({ name: 'http_rate_limited_total', help: 'Requests refused by a key rate limit', labelNames: ['key'], registers }),
    experimentsReloads: new Counter({ name: 'experiments_reloads_total', help: 'experiments.yaml reloads by result (ok, invalid)', labelNames: ['result'], registers }),
    snapshotRefreshes: new Counter({ name: 'popular_snapshot_refreshes_total', help: 'Popular/trending list rebuilds by result', labelNames: ['result'], registers }),
    catalogueItems: new Gauge({ name: 'catalogue_items', help: 'Items in the API catalogue', registers }),
    contentIndexItems: new Gauge({ name: 'content_index_items', help: 'Items in the usearch content index', registers }),
    answerCacheEntries: new Gauge({ name: 'answer_cache_entries', help: 'Users whose last answer is kept for degraded answers (at most answerCache.capacity)', registers }),
    exposuresQueued: new Gauge({ name: 'exposures_queued', help: 'Exposures waiting for Kafka (at most exposures.maxQueued)', registers }),
    freshness: new Histogram({
      name: 'recommendation_user_freshness_seconds',
      help: 'Age of the newest event applied for the user at request time (known users)',
      buckets: [0.1, 0.5, 1, 5, 30, 60, 300, 3600, 86_400],
      registers,
    }),
    onScrape: undefined,
  };
  for (const reason of DEGRADED_REASONS) metrics.degraded.inc({ reason }, 0);
  // Series exist from the start at 0, so the first invalid reload is an increase Prometheus sees (ApiExperimentsRejected).
  for (const result of ['ok', 'invalid']) metrics.experimentsReloads.inc({ result }, 0);
  return metrics;
}

export function stageMetrics(metrics: ApiMetrics): { observe(stage: Stage, seconds: number): void; timedOut(stage: Stage): void } {
  return {
    observe: (stage, seconds) => metrics.stageDuration.observe({ stage }, seconds),
    timedOut: (stage) => metrics.stageTimeouts.inc({ stage }),
  };
}
