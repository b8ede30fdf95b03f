import { z } from 'zod';
import { parseConfig } from '@streamrec/foundation';
import { DEFAULT_DECAY_EPOCH_MS, actionWeightsSchema, dedupParamsSchema, eventTimeParamsSchema, type ForwardDecay } from '@streamrec/streams-common';

const DAY_MS = 86_400_000;

const strictlyAscending = (values: readonly number[]): boolean => values.every((value, index) => index === 0 || value > (values[index - 1] ?? value));

/** The knobs of the features processor; validated once (coded error naming every bad path), then frozen. */
export const featuresParamsSchema = z.object({
  actionWeights: actionWeightsSchema.prefault({}),
  /** t₀ of forward decay; bound to the state version (changing it needs a rebase, see README). */
  decayEpochMs: z.number().int().default(DEFAULT_DECAY_EPOCH_MS),
  affinityHalfLifeMs: z.number().int().positive().default(7 * DAY_MS),
  popularityHalfLifeMs: z.number().int().positive().default(3 * DAY_MS),
  recentItems: z.number().int().min(1).max(500).default(50),
  /** Purchased items remembered per user, newest first, so the API filters them out of recommendations. */
  purchasedItems: z.number().int().min(1).max(10_000).default(1_000),
  maxTagsPerUser: z.number().int().min(1).max(1_000).default(100),
  /** Upper bounds of the non-free price buckets: free, <50, <200, <1000, <5000, ≥5000. */
  priceBucketBounds: z.array(z.number().finite().positive()).min(1).refine(strictlyAscending, 'must be strictly ascending').default([50, 200, 1_000, 5_000]),
  dedup: dedupParamsSchema.prefault({}),
  eventTime: eventTimeParamsSchema.prefault({}),
});
export type FeaturesParams = z.infer<typeof featuresParamsSchema>;

export function parseFeaturesParams(input: unknown): FeaturesParams {
  return parseConfig(featuresParamsSchema, input, 'features params');
}

export const defaultFeaturesParams: FeaturesParams = parseFeaturesParams({});

export function affinityDecay(params: Pick<FeaturesParams, 'affinityHalfLifeMs' | 'decayEpochMs'>): ForwardDecay {
  return { halfLifeMs: params.affinityHalfLifeMs, epochMs: params.decayEpochMs };
}

export function popularityDecay(params: Pick<FeaturesParams, 'popularityHalfLifeMs' | 'decayEpochMs'>): ForwardDecay {
  return { halfLifeMs: params.popularityHalfLifeMs, epochMs: params.decayEpochMs };
}
