import { z } from 'zod';
import { withItemActivityTopic } from '@streamrec/streams-common';
import { jsonSetting, parseConfig, processorConfigInput, processorConfigSchema, processorEnvironmentVariables } from '@streamrec/foundation';
import { loadStackEnv } from '@streamrec/foundation/process';
import { featuresParamsSchema } from './domain/features-params.js';
import { featuresManifest } from './manifest.js';

const METRICS_PORT = featuresManifest.metricsPort;

/** The features process's configuration: validated once at boot (every violation listed), frozen. */
export const featuresConfigSchema = processorConfigSchema('features', METRICS_PORT).extend({
  /** Overridable with STREAMREC_<PREFIX>_TOPICS (JSON merged over these defaults; unknown names rejected). */
  topics: z
    .strictObject({
      interactions: z.string().default('events.interactions.v1'),
      items: z.string().default('events.items.v1'),
      /** Shop profiles (compacted), for the profile stage. */
      users: z.string().default('events.users.v1'),
      /** What the API showed (CTR denominators), relayed to the item stage. */
      exposures: z.string().default('serving.exposures.v1'),
      /** Default: the state version's own topic (`itemActivityTopic`): repartition.item-activity.v1 for v1. */
      itemActivity: z.string().min(1).optional(),
    })
    .prefault({}),
  partitions: z
    .object({ user: z.number().int().positive().default(6), item: z.number().int().positive().default(6), users: z.number().int().positive().default(3) })
    .prefault({}),
  /** Refuse to start when the decay horizon is closer than this (README: rebasing t₀). */
  minHorizonMarginMs: z.number().int().nonnegative().default(180 * 86_400_000),
  params: featuresParamsSchema.prefault({}),
})
  .transform(withItemActivityTopic);
export type FeaturesConfig = z.infer<typeof featuresConfigSchema>;
export type FeaturesConfigInput = z.input<typeof featuresConfigSchema>;

export function parseFeaturesConfig(input: unknown): FeaturesConfig {
  return parseConfig(featuresConfigSchema, input, 'features');
}

/** The environment variables the process reads (documented in the README and `--help`). */
export const environmentVariables = {
  ...processorEnvironmentVariables('FEATURES', METRICS_PORT),
  STREAMREC_FEATURES_PARAMS: 'JSON of features params overriding the defaults (README: Parameters)',
} as const;

/** The only place the process environment is read. */
export function loadFeaturesConfig(environment: Readonly<Record<string, string | undefined>> = process.env): FeaturesConfig {
  const env = loadStackEnv(environment);
  return parseFeaturesConfig({ ...processorConfigInput(env, 'FEATURES'), params: jsonSetting(env['STREAMREC_FEATURES_PARAMS'], 'STREAMREC_FEATURES_PARAMS') });
}
