import { z } from 'zod';
import { parseConfig } from '@streamrec/foundation';
import { actionWeightsSchema, dedupParamsSchema } from '@streamrec/streams-common';

const MINUTE_MS = 60_000;

/** The hot-list windows readers ask for; each is summed from event-time buckets of its own width. */
export const TrendingWindow = { Hour: 'hour', Day: 'day', Week: 'week' } as const;
export type TrendingWindow = (typeof TrendingWindow)[keyof typeof TrendingWindow];

const windowSpec = (bucketMs: number, buckets: number) =>
  z
    .object({
      bucketMs: z.number().int().positive().default(bucketMs),
      /** Buckets a reader sums: the window is `buckets × bucketMs`, ending with the bucket of `now`. */
      buckets: z.number().int().min(1).max(1_000).default(buckets),
    })
    .prefault({});

export const trendingParamsSchema = z.object({
  actionWeights: actionWeightsSchema.prefault({}),
  windows: z
    .object({
      hour: windowSpec(5 * MINUTE_MS, 12),
      day: windowSpec(60 * MINUTE_MS, 24),
      week: windowSpec(24 * 60 * MINUTE_MS, 7),
    })
    .prefault({}),
  /** Buckets kept beyond a window, so a reader whose clock is a little behind the writers' still sums a full window. */
  graceBuckets: z.number().int().min(0).max(100).default(1),
  /** Members kept per bucket zset; readers read at most this deep. */
  bucketKeepTop: z.number().int().min(10).max(100_000).default(500),
  dedup: dedupParamsSchema.prefault({}),
});
export type TrendingParams = z.infer<typeof trendingParamsSchema>;
export type WindowSpec = TrendingParams['windows'][TrendingWindow];

export function parseTrendingParams(input: unknown): TrendingParams {
  return parseConfig(trendingParamsSchema, input, 'trending params');
}

export const defaultTrendingParams: TrendingParams = parseTrendingParams({});

export const trendingWindows: readonly TrendingWindow[] = Object.freeze(Object.values(TrendingWindow));

/** Buckets a writer keeps per (scope, window): the window plus the grace. */
export function keptBuckets(spec: WindowSpec, params: Pick<TrendingParams, 'graceBuckets'>): number {
  return spec.buckets + params.graceBuckets;
}

export function bucketOf(timeMs: number, spec: WindowSpec): number {
  return Math.floor(timeMs / spec.bucketMs);
}
