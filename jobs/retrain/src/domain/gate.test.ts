import { describe, expect, it } from 'vitest';
import { decideGate, type ChampionEvaluation } from './gate.js';
import type { RankingMetrics } from './ranking-metrics.js';

const metrics = (ndcg: number | null): RankingMetrics => ({ ndcg_at_10: ndcg, hr_at_10: ndcg, auc: 0.7, groups_evaluated: ndcg === null ? 0 : 10, groups: 10, rows: 100 });
const scored = (ndcg: number | null): ChampionEvaluation => ({ kind: 'scored', version: 'v1', metrics: metrics(ndcg) });
const settings = { margin: 0.001, force: false };

describe('champion/challenger gate', () => {
  it.each([
    ['no champion', 0.3, { kind: 'none' } as const, settings, true, false, /no champion is published/],
    ['beats by more than the margin', 0.5, scored(0.4), settings, true, false, /beats the champion: holdout NDCG@10 0.50000 vs champion v1 0.40000 \(\+0.10000, margin 0.001\)/],
    ['beats by exactly the margin', 0.401, scored(0.4), settings, true, false, /beats the champion/],
    ['beats by less than the margin', 0.4005, scored(0.4), settings, false, false, /does not beat the champion by the margin/],
    ['ties', 0.4, scored(0.4), settings, false, false, /\+0.00000/],
    ['is worse', 0.3, scored(0.4), settings, false, false, /-0.10000/],
    ['is worse, forced', 0.3, scored(0.4), { ...settings, force: true }, true, true, /forced with --force; the gate would have refused: does not beat/],
    ['a negative margin lets a slightly worse one through', 0.399, scored(0.4), { margin: -0.005, force: false }, true, false, /beats the champion/],
    ['champion not comparable', 0.5, { kind: 'not_comparable', version: 'v1', reason: 'it reads item_ctr' } as const, settings, false, false, /cannot be scored on this holdout \(it reads item_ctr\); publish anyway with --force/],
    ['champion not comparable, forced', 0.5, { kind: 'not_comparable', version: 'v1', reason: 'x' } as const, { ...settings, force: true }, true, true, /forced/],
    ['challenger without evaluable groups', null, { kind: 'none' } as const, settings, false, false, /no holdout request with a positive/],
    ['champion without NDCG', 0.5, scored(null), settings, false, false, /has no NDCG@10/],
  ] as const)('%s', (_case, challenger, champion, gateSettings, publish, forced, reason) => {
    const verdict = decideGate(metrics(challenger), champion, gateSettings);
    expect(verdict.publish).toBe(publish);
    expect(verdict.forced).toBe(forced);
    expect(verdict.reason).toMatch(reason);
  });

  it('reports the delta when there is a champion to compare with', () => {
    expect(decideGate(metrics(0.45), scored(0.4), settings).deltaNdcgAt10).toBeCloseTo(0.05, 12);
    expect(decideGate(metrics(0.45), { kind: 'none' }, settings).deltaNdcgAt10).toBeNull();
  });
});
