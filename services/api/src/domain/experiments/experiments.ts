import { z } from 'zod';
import { deepFreeze, murmur2 } from '@streamrec/foundation';
import { CHANNELS, type Channel } from '../recall/channels.js';
import { invalidYamlError, validateYaml, type YamlValidation } from '../yaml-config.js';

/**
 * A/B experiments over the fusion weights, the ranker model and the diversity cap
 * (config/experiments.yaml). A request lands in the first enabled experiment whose scenes
 * include its scene; its variant is a pure function of the experiment's salt and the user id,
 * so a user sees the same variant on every replica and after every restart or release.
 */

/** Traffic is split in basis points: a share in percent may have two decimals (33.33). */
export const BUCKETS = 10_000;

export interface Assignment {
  readonly experiment: string | null;
  readonly variant: string | null;
  readonly weights: Readonly<Record<Channel, number>>;
  /** Ranker to score candidates with; null serves the fused order without a model. */
  readonly modelName: string | null;
  readonly maxPerIndustry: number;
  /** Candidates recalled per channel before fusion (0 skips the channel's recall); from the defaults. */
  readonly candidates: Readonly<Record<Channel, number>>;
}

export interface ExperimentDefaults {
  readonly weights: Readonly<Record<Channel, number>>;
  readonly modelName: string | null;
  readonly maxPerIndustry: number;
  /** Candidates recalled per channel before fusion (0 skips the channel's recall). */
  readonly candidates: Readonly<Record<Channel, number>>;
}

export interface ExperimentVariant {
  readonly name: string;
  readonly share: number;
  /** Buckets [fromBucket, toBucket) of the 10,000 belong to this variant. */
  readonly fromBucket: number;
  readonly toBucket: number;
  /** Precomputed at parse time: what assignVariant returns for this variant. */
  readonly assignment: Assignment;
}

export interface Experiment {
  readonly id: string;
  readonly salt: string;
  readonly enabled: boolean;
  /** null: every scene. */
  readonly scenes: readonly string[] | null;
  readonly variants: readonly ExperimentVariant[];
}

export interface ExperimentsConfig {
  readonly defaults: ExperimentDefaults;
  readonly experiments: readonly Experiment[];
  /** What a request outside every experiment gets (experiment and variant null). */
  readonly fallback: Assignment;
}

export const DEFAULT_CANDIDATES_PER_CHANNEL = 100;

const channelList = CHANNELS.join(', ');
const identifier = /^[a-z0-9][a-z0-9._-]{0,62}$/;
const idSchema = z.string().regex(identifier, { error: 'must be 1–63 characters of a-z, 0-9, ".", "_", "-", starting with a letter or digit' });
const sceneSchema = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, { error: 'a scene is lower-case snake_case (home, item_detail, cart)' });
const modelSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, { error: 'a model name is lower-case (ranker), or null for no model' }).nullable();
const maxPerIndustrySchema = z.int({ error: 'must be an integer ≥ 1' }).min(1, { error: 'must be an integer ≥ 1' });

const weightSchema = z
  .number({ error: (issue) => (issue.input === undefined ? 'missing: the defaults need a weight for every channel' : 'must be a finite number ≥ 0') })
  .min(0, { error: 'must be a finite number ≥ 0' });
const candidateSchema = z.int({ error: 'must be an integer ≥ 0' }).min(0, { error: 'must be an integer ≥ 0' }).max(10_000, { error: 'must be ≤ 10000' });

function channelMap<Value extends z.ZodType>(value: Value) {
  const shape = Object.fromEntries(CHANNELS.map((channel) => [channel, value])) as Record<Channel, Value>;
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown channel ${issue.keys.map((key) => `"${key}"`).join(', ')}; valid channels: ${channelList}` : undefined),
  });
}

const allWeightsSchema = channelMap(weightSchema);
const someWeightsSchema = allWeightsSchema.partial();

const defaultsSchema = z.strictObject({
  weights: allWeightsSchema,
  model: modelSchema.default(null),
  max_per_industry: maxPerIndustrySchema,
  candidates: channelMap(candidateSchema).partial().default({}),
});

const hasTwoDecimalsAtMost = (share: number): boolean => Math.abs(share * 100 - Math.round(share * 100)) < 1e-6;
const isValidShare = (share: number): boolean => share >= 0 && share <= 100 && hasTwoDecimalsAtMost(share);

const variantSchema = z.strictObject({
  name: idSchema,
  share: z
    .number({ error: 'must be a percentage between 0 and 100' })
    .min(0, { error: 'must be a percentage between 0 and 100' })
    .max(100, { error: 'must be a percentage between 0 and 100' })
    .refine(hasTwoDecimalsAtMost, { error: 'at most two decimals (shares are split into 10,000 buckets)' }),
  weights: someWeightsSchema.optional(),
  model: modelSchema.optional(),
  max_per_industry: maxPerIndustrySchema.optional(),
});

const variantsSchema = z
  .array(variantSchema)
  .min(1, { error: 'an experiment needs at least one variant' })
  .superRefine((variants, context) => {
    reportDuplicates(variants.map((variant) => variant.name), 'variant name', 'name', context);
    // A sum over shares already reported as invalid (or over no variants) would only add noise.
    if (variants.length === 0 || !variants.every((variant) => isValidShare(variant.share))) return;
    const total = variants.reduce((sum, variant) => sum + Math.round(variant.share * 100), 0);
    if (total !== BUCKETS) context.addIssue({ code: 'custom', message: `variant shares must sum to exactly 100, they sum to ${total / 100}` });
  });

const experimentSchema = z.strictObject({
  id: idSchema,
  salt: z.string().min(1, { error: 'must not be empty (omit it to use the id)' }).optional(),
  enabled: z.boolean({ error: 'must be true or false' }).default(true),
  scenes: z.array(sceneSchema).min(1, { error: 'omit scenes to match every scene; an empty list would match none' }).optional(),
  variants: variantsSchema,
});

const fileSchema = z.strictObject({
  defaults: defaultsSchema,
  experiments: z
    .array(experimentSchema)
    .default([])
    .superRefine((experiments, context) => reportDuplicates(experiments.map((experiment) => experiment.id), 'experiment id', 'id', context)),
});

type ExperimentsFile = z.output<typeof fileSchema>;

function reportDuplicates(values: readonly string[], what: string, field: string, context: z.RefinementCtx): void {
  const seen = new Set<string>();
  values.forEach((value, index) => {
    if (seen.has(value)) context.addIssue({ code: 'custom', path: [index, field], message: `duplicate ${what} "${value}"` });
    seen.add(value);
  });
}

/** Every problem of the file at once, or the ready-to-serve config; never throws. */
export function validateExperimentsYaml(text: string): YamlValidation<ExperimentsConfig> {
  const validation = validateYaml(fileSchema, text);
  return validation.ok ? { ok: true, value: buildConfig(validation.value) } : validation;
}

/** Throws AppError(ConfigInvalid) listing every violation; `source` names the file in the message. */
export function parseExperimentsYaml(text: string, source: string): ExperimentsConfig {
  const validation = validateExperimentsYaml(text);
  if (!validation.ok) throw invalidYamlError('experiments config', source, validation.violations);
  return validation.value;
}

/** Cheap per request: a scan of the (few) experiments, one murmur2 of ~50 bytes, no allocation. */
export function assignVariant(config: ExperimentsConfig, userId: string, scene: string): Assignment {
  for (const experiment of config.experiments) {
    if (!experiment.enabled || (experiment.scenes !== null && !experiment.scenes.includes(scene))) continue;
    const bucket = bucketOf(experiment.salt, userId);
    for (const variant of experiment.variants) {
      if (bucket < variant.toBucket) return variant.assignment;
    }
  }
  return config.fallback;
}

const encoder = new TextEncoder();

/**
 * The user's bucket in [0, 10000) for a salt. Kafka's murmur2 is pinned by its own tests and by
 * Kafka's partitioner, so the mapping never changes between processes or releases.
 */
export function bucketOf(salt: string, userId: string): number {
  return (murmur2(encoder.encode(`${salt}:${userId}`)) & 0x7fffffff) % BUCKETS;
}

function buildConfig(file: ExperimentsFile): ExperimentsConfig {
  const defaults: ExperimentDefaults = {
    weights: file.defaults.weights,
    modelName: file.defaults.model,
    maxPerIndustry: file.defaults.max_per_industry,
    candidates: Object.fromEntries(CHANNELS.map((channel) => [channel, file.defaults.candidates[channel] ?? DEFAULT_CANDIDATES_PER_CHANNEL])) as Record<Channel, number>,
  };
  const experiments = file.experiments.map((experiment): Experiment => {
    let fromBucket = 0;
    const variants = experiment.variants.map((variant): ExperimentVariant => {
      const toBucket = fromBucket + Math.round(variant.share * 100);
      const built: ExperimentVariant = {
        name: variant.name,
        share: variant.share,
        fromBucket,
        toBucket,
        assignment: {
          experiment: experiment.id,
          variant: variant.name,
          weights: { ...defaults.weights, ...variant.weights },
          modelName: variant.model === undefined ? defaults.modelName : variant.model,
          maxPerIndustry: variant.max_per_industry ?? defaults.maxPerIndustry,
          candidates: defaults.candidates,
        },
      };
      fromBucket = toBucket;
      return built;
    });
    return {
      id: experiment.id,
      salt: experiment.salt ?? experiment.id,
      enabled: experiment.enabled,
      scenes: experiment.scenes ?? null,
      variants,
    };
  });
  const fallback: Assignment = {
    experiment: null,
    variant: null,
    weights: defaults.weights,
    modelName: defaults.modelName,
    maxPerIndustry: defaults.maxPerIndustry,
    candidates: defaults.candidates,
  };
  return deepFreeze({ defaults, experiments, fallback });
}
