import { AppError, ErrorCode, decayTimeField, decayedCounter } from '@streamrec/foundation';
import { decayedValue } from '@streamrec/streams-common';
import { affinityDecay, popularityDecay, type FeaturesParams } from './features-params.js';

/** Read-side helpers for services/api: stored raw values + the request time → feature values. */
export type DecayParams = Pick<FeaturesParams, 'affinityHalfLifeMs' | 'popularityHalfLifeMs' | 'decayEpochMs'>;

export function decayedAffinity(raw: number, nowMs: number, params: DecayParams): number {
  return decayedValue(raw, nowMs, affinityDecay(params));
}

export function decayedPopularity(raw: number, nowMs: number, params: DecayParams): number {
  return decayedValue(raw, nowMs, popularityDecay(params));
}

export interface NamedScore {
  readonly name: string;
  readonly value: number;
}

/** A `ZREVRANGE … WITHSCORES` reply of an affinity zset → decayed affinities, strongest first. */
export function decayedAffinities(flat: readonly string[], nowMs: number, params: DecayParams): NamedScore[] {
  if (flat.length % 2 !== 0) throw new AppError(ErrorCode.InvalidArgument, 'WITHSCORES reply must have an even length');
  const scores: NamedScore[] = [];
  for (let index = 0; index < flat.length; index += 2) {
    scores.push({ name: flat[index] ?? '', value: decayedAffinity(Number(flat[index + 1]), nowMs, params) });
  }
  return scores.sort((a, b) => b.value - a.value);
}

/** Bayesian-smoothed CTR: a new item starts at `prior.rate` and moves to its own rate as exposures grow. */
export interface CtrPrior {
  readonly rate: number;
  /** Pseudo-exposures the prior is worth. */
  readonly strength: number;
}

export const defaultCtrPrior: CtrPrior = Object.freeze({ rate: 0.05, strength: 20 });

export function smoothedCtr(clicks: number, exposures: number, prior: CtrPrior = defaultCtrPrior): number {
  return (Math.max(0, clicks) + prior.rate * prior.strength) / (Math.max(0, exposures) + prior.strength);
}

/** A decayed counter of a `stats` hash (activity-stats.ts) as of `nowMs`; 0 when the field is absent. */
export function decayedStat(stats: Readonly<Record<string, number>>, field: string, halfLifeMs: number, nowMs: number): number {
  return decayedCounter(stats[field], stats[decayTimeField(field)], nowMs, halfLifeMs);
}
