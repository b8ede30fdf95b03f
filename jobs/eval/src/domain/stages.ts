import { stringify } from 'yaml';
import { AppError, ErrorCode } from '@streamrec/foundation';
import { CHANNELS, type Channel } from '@streamrec/api';
import { parseExperimentsYaml } from '@streamrec/api';

/**
 * The evaluation's stages: each is one experiments file the API serves (weights, candidates per
 * channel, no model) plus the API's popularity mode, or a placeholder for a stage that cannot run yet.
 * Pure: the files are built as text here and written by the adapters.
 */
export const Population = { All: 'all', Sample: 'sample' } as const;
export type Population = (typeof Population)[keyof typeof Population];

export type SnapshotPopularity = 'decayed' | 'counts';

/** The `defaults` block of an experiments file the harness writes. */
export interface StageExperiments {
  readonly weights: Readonly<Record<Channel, number>>;
  readonly candidates: Readonly<Record<Channel, number>>;
}

export interface RecallStage {
  readonly kind: 'recall';
  readonly name: string;
  readonly description: string;
  /** The API's `snapshot.popularity`: plain counts only for the popularity check. */
  readonly popularity: SnapshotPopularity;
  readonly population: Population;
  readonly experiments: StageExperiments;
}

export interface PlaceholderStage {
  readonly kind: 'placeholder';
  readonly name: string;
  readonly description: string;
  readonly reason: string;
}

/** The ranker stage: its own pipeline (ranker-stage.ts), which yields `ranker` and its recall-order baseline. */
export interface RankerStage {
  readonly kind: 'ranker';
  readonly name: string;
  readonly description: string;
}

export type Stage = RecallStage | PlaceholderStage | RankerStage;

export const POPULARITY_STAGE = 'popularity';
export const FUSED_STAGE = 'fused';
export const RANKER_STAGE = 'ranker';
/** The popular channel reads this deep into the popular list, so a long history never empties it. */
const POPULARITY_DEPTH = 1_000;

export const STAGE_NAMES: readonly string[] = Object.freeze([POPULARITY_STAGE, FUSED_STAGE, ...CHANNELS, RANKER_STAGE]);


const zeroes = (): Record<Channel, number> => Object.fromEntries(CHANNELS.map((channel) => [channel, 0])) as Record<Channel, number>;

/** Weights and candidates of an experiments file's defaults (config/experiments.yaml or a tuned one). */
export function fusedExperimentsFrom(yamlText: string, source: string): StageExperiments {
  const config = parseExperimentsYaml(yamlText, source);
  return { weights: { ...config.defaults.weights }, candidates: { ...config.defaults.candidates } };
}

export function isChannel(name: string): name is Channel {
  return (CHANNELS as readonly string[]).includes(name);
}

/**
 * The stages to run, in the order asked. `fused` serves `fused`'s weights; each channel alone keeps the
 * fused file's candidate depth for that channel and switches every other channel off.
 */
export function planStages(names: readonly string[], fused: StageExperiments): Stage[] {
  const unknown = names.filter((name) => !STAGE_NAMES.includes(name));
  if (unknown.length > 0) throw new AppError(ErrorCode.InvalidArgument, `unknown stage ${unknown.join(', ')}; valid stages: ${STAGE_NAMES.join(', ')}`);
  return [...new Set(names)].map((name): Stage => {
    if (name === RANKER_STAGE) return { kind: 'ranker', name, description: 'fused candidates re-ranked by the ranker the training job learned from logged exposures' };
    if (name === POPULARITY_STAGE) {
      return {
        kind: 'recall',
        name,
        description: 'popular channel only, plain event counts (the live popularity check)',
        popularity: 'counts',
        population: Population.All,
        experiments: { weights: { ...zeroes(), popular: 1 }, candidates: { ...zeroes(), popular: POPULARITY_DEPTH } },
      };
    }
    if (name === FUSED_STAGE) {
      return { kind: 'recall', name, description: 'all channels fused with the experiments file\'s default weights, no model', popularity: 'decayed', population: Population.All, experiments: fused };
    }
    const channel = name as Channel;
    return {
      kind: 'recall',
      name,
      description: `${channel} channel alone`,
      popularity: 'decayed',
      population: Population.Sample,
      experiments: { weights: { ...zeroes(), [channel]: 1 }, candidates: { ...zeroes(), [channel]: Math.max(fused.candidates[channel], 100) } },
    };
  });
}

/**
 * The experiments file of a stage: its weights and candidates as defaults, no ranker, no experiments
 * (every user gets the defaults), and a diversity cap no 20-item answer reaches.
 */
export function stageExperimentsYaml(experiments: StageExperiments, limit: number): string {
  return `# Written by the evaluation harness (jobs/eval); one stage's settings.\n${stringify({
    defaults: { weights: experiments.weights, model: null, max_per_industry: limit, candidates: experiments.candidates },
    experiments: [],
  })}`;
}
