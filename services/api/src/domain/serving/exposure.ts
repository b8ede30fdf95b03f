import type { WritableExposure } from '@streamrec/schemas';
import type { Answer } from './serve-recommendations.js';

/**
 * One answer as serving.exposures.v1 logs it: what was shown, why, and what each item was ranked with;
 * then the sampled ranked candidates that were not shown (shown = false, positions after the shown ones).
 */
export function exposureOf(answer: Answer, ingestTimeMs: number): WritableExposure {
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
      features: float32Row(item.features),
      shown: position < answer.items.length,
    })),
    ingest_time: ingestTimeMs,
  };
}

/**
 * A feature row as the exposure writer takes it: the answer's float32 view as it is (the writer copies its
 * bytes), anything else as a plain array of float32 values.
 */
function float32Row(row: ArrayLike<number>): Float32Array | number[] {
  if (row instanceof Float32Array) return row;
  const length = row.length;
  const values = new Array<number>(length);
  for (let index = 0; index < length; index += 1) values[index] = Math.fround(row[index] ?? 0);
  return values;
}
