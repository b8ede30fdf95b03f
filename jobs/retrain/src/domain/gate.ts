import type { RankingMetrics } from './ranking-metrics.js';

/**
 * The champion/challenger gate. Both models are scored by onnxruntime on the same holdout rows (the
 * newest requests, never seen in training), and the challenger is published only when its NDCG@10 beats
 * the champion's by at least the margin — or with --force, which is recorded as such.
 */
export type ChampionEvaluation =
  | { readonly kind: 'none' }
  | { readonly kind: 'scored'; readonly version: string; readonly metrics: RankingMetrics }
  /** The champion could not be scored on this holdout (it reads a feature the run has no column for, or did not load). */
  | { readonly kind: 'not_comparable'; readonly version: string; readonly reason: string };

export interface GateSettings {
  /** Absolute NDCG@10 improvement the challenger needs over the champion. */
  readonly margin: number;
  readonly force: boolean;
}

export interface GateVerdict {
  readonly publish: boolean;
  readonly forced: boolean;
  /** Challenger − champion NDCG@10, when both exist. */
  readonly deltaNdcgAt10: number | null;
  readonly reason: string;
}

/** Floating-point slack, so a delta that equals the margin in decimal is not refused by its last bit. */
const EPSILON = 1e-12;

const fmt = (value: number): string => value.toFixed(5);
const signed = (value: number): string => `${value >= 0 ? '+' : ''}${value.toFixed(5)}`;

export function decideGate(challenger: RankingMetrics, champion: ChampionEvaluation, settings: GateSettings): GateVerdict {
  const refuse = (reason: string, delta: number | null = null): GateVerdict =>
    settings.force
      ? { publish: true, forced: true, deltaNdcgAt10: delta, reason: `forced with --force; the gate would have refused: ${reason}` }
      : { publish: false, forced: false, deltaNdcgAt10: delta, reason };
  const ndcg = challenger.ndcg_at_10;
  if (ndcg === null) return refuse('the challenger has no holdout request with a positive label to evaluate');
  switch (champion.kind) {
    case 'none':
      return { publish: true, forced: false, deltaNdcgAt10: null, reason: `no champion is published under this name; challenger holdout NDCG@10 ${fmt(ndcg)}` };
    case 'not_comparable':
      return refuse(`the champion ${champion.version} cannot be scored on this holdout (${champion.reason}); publish anyway with --force`);
    case 'scored': {
      const base = champion.metrics.ndcg_at_10;
      if (base === null) return refuse(`the champion ${champion.version} has no NDCG@10 on this holdout`);
      const delta = ndcg - base;
      const comparison = `holdout NDCG@10 ${fmt(ndcg)} vs champion ${champion.version} ${fmt(base)} (${signed(delta)}, margin ${settings.margin})`;
      if (delta >= settings.margin - EPSILON) return { publish: true, forced: false, deltaNdcgAt10: delta, reason: `beats the champion: ${comparison}` };
      return refuse(`does not beat the champion by the margin: ${comparison}`, delta);
    }
  }
}
