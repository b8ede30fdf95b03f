import type { Exposure } from '@streamrec/schemas';
import type { Answer } from './serve-recommendations.js';

/**
 * One answer as serving.exposures.v1 logs it: what was shown, why, and what each item was ranked with;
 * then the sampled ranked candidates that were not shown (shown = false, positions after the shown ones).
 */
export function exposureOf(answer: Answer, ingestTimeMs: number): Exposure {
  return {
    request_id: answer.requestId,
    user_id: answer.user,
    event_time: Math.floor(answer.servedAtMs),
    scene: answer.scene,
    experiment: answer.experiment,
    variant: answer.variant,
    model_name: answer.model?.name ?? null,
    model_version: answer.model?.version ?? null,
    degraded_reasons: [...answer.degraded],
    latency_ms: Math.max(0, Math.round(answer.latencyMs)),
    feature_names: [...answer.featureNames],
    items: [...answer.items, ...answer.unshown].map((item, position) => ({
      item_id: Number(item.item),
      position,
      channel: item.channels[0] ?? 'unknown',
      score: Math.fround(item.score),
      features: Array.from(item.features, Math.fround),
      shown: position < answer.items.length,
    })),
    ingest_time: ingestTimeMs,
  };
}
