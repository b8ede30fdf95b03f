import { z } from 'zod';
import { withItemActivityTopic } from '@streamrec/streams-common';
import { jsonSetting, parseConfig, processorConfigInput, processorConfigSchema, processorEnvironmentVariables } from '@streamrec/foundation';
import { loadStackEnv } from '@streamrec/foundation/process';
import { cooccurrenceParamsSchema } from './domain/cooccurrence-params.js';
import { cooccurrenceManifest, defaultPairsTopic } from './manifest.js';

const METRICS_PORT = cooccurrenceManifest.metricsPort;

/** The cooccurrence process's configuration: validated once at boot (every violation listed), frozen. */
export const cooccurrenceConfigSchema = processorConfigSchema('cooccurrence', METRICS_PORT).extend({
  /** Overridable with STREAMREC_<PREFIX>_TOPICS (JSON merged over these defaults; unknown names rejected). */
  topics: z
    .strictObject({
      interactions: z.string().default('events.interactions.v1'),
      /** Default: the state version's own topic (`itemActivityTopic`): repartition.item-activity.v1 for v1. */
      itemActivity: z.string().min(1).optional(),
      /**
       * Where the user stage commits the daily pair increments (README: Pair increments); null: nowhere.
       * Default: events.cooccurrence.v1 when reading events.interactions.v1, else null, so a test or an
       * evaluation on its own topics never writes into the analysts' topic unless asked to.
       */
      pairs: z.string().min(1).nullable().optional(),
    })
    .prefault({}),
  partitions: z.object({ user: z.number().int().positive().default(6), item: z.number().int().positive().default(6) }).prefault({}),
  /** Refuse to start when the decay horizon is closer than this (README: rebasing t₀). */
  minHorizonMarginMs: z.number().int().nonnegative().default(180 * 86_400_000),
  params: cooccurrenceParamsSchema.prefault({}),
})
  .transform(withItemActivityTopic)
  .transform((config) => ({ ...config, topics: { ...config.topics, pairs: config.topics.pairs === undefined ? defaultPairsTopic(config.topics.interactions) : config.topics.pairs } }));
export type CooccurrenceConfig = z.infer<typeof cooccurrenceConfigSchema>;
export type CooccurrenceConfigInput = z.input<typeof cooccurrenceConfigSchema>;

export function parseCooccurrenceConfig(input: unknown): CooccurrenceConfig {
  return parseConfig(cooccurrenceConfigSchema, input, 'cooccurrence');
}

/** The environment variables the process reads (documented in the README and `--help`). */
export const environmentVariables = {
  ...processorEnvironmentVariables('COOCCURRENCE', METRICS_PORT),
  STREAMREC_COOCCURRENCE_PARAMS: 'JSON of cooccurrence params overriding the defaults (README: Parameters)',
} as const;

/** The only place the process environment is read. */
export function loadCooccurrenceConfig(environment: Readonly<Record<string, string | undefined>> = process.env): CooccurrenceConfig {
  const env = loadStackEnv(environment);
  return parseCooccurrenceConfig({ ...processorConfigInput(env, 'COOCCURRENCE'), params: jsonSetting(env['STREAMREC_COOCCURRENCE_PARAMS'], 'STREAMREC_COOCCURRENCE_PARAMS') });
}
