import { z } from 'zod';
import { withItemActivityTopic } from '@streamrec/streams-common';
import { jsonSetting, parseConfig, processorConfigInput, processorConfigSchema, processorEnvironmentVariables } from '@streamrec/foundation';
import { loadStackEnv } from '@streamrec/foundation/process';
import { trendingParamsSchema } from './domain/trending-params.js';
import { trendingManifest } from './manifest.js';

const METRICS_PORT = trendingManifest.metricsPort;

/** The trending process's configuration: validated once at boot (every violation listed), frozen. */
export const trendingConfigSchema = processorConfigSchema('trending', METRICS_PORT).extend({
  /** Overridable with STREAMREC_<PREFIX>_TOPICS (JSON merged over these defaults; unknown names rejected). */
  topics: z
    .strictObject({
      items: z.string().default('events.items.v1'),
      /** Default: the state version's own topic (`itemActivityTopic`): repartition.item-activity.v1 for v1. */
      itemActivity: z.string().min(1).optional(),
    })
    .prefault({}),
  partitions: z.object({ user: z.number().int().positive().default(6), item: z.number().int().positive().default(6) }).prefault({}),
  params: trendingParamsSchema.prefault({}),
})
  .transform(withItemActivityTopic);
export type TrendingConfig = z.infer<typeof trendingConfigSchema>;
export type TrendingConfigInput = z.input<typeof trendingConfigSchema>;

export function parseTrendingConfig(input: unknown): TrendingConfig {
  return parseConfig(trendingConfigSchema, input, 'trending');
}

/** The environment variables the process reads (documented in the README and `--help`). */
export const environmentVariables = {
  ...processorEnvironmentVariables('TRENDING', METRICS_PORT),
  STREAMREC_TRENDING_PARAMS: 'JSON of trending params overriding the defaults (README: Parameters)',
} as const;

/** The only place the process environment is read. */
export function loadTrendingConfig(environment: Readonly<Record<string, string | undefined>> = process.env): TrendingConfig {
  const env = loadStackEnv(environment);
  return parseTrendingConfig({ ...processorConfigInput(env, 'TRENDING'), params: jsonSetting(env['STREAMREC_TRENDING_PARAMS'], 'STREAMREC_TRENDING_PARAMS') });
}
