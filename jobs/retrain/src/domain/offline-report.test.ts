import { describe, expect, it } from 'vitest';
import { offlineReportMarkdown, type OfflineReportView } from './offline-report.js';
import type { RankingMetrics } from './ranking-metrics.js';

const metrics = (ndcg: number): RankingMetrics => ({ ndcg_at_10: ndcg, hr_at_10: 0.5, auc: 0.75, groups_evaluated: 4, groups: 4, rows: 40 });

const report: OfflineReportView = {
  model_name: 'ranker',
  window: { from: '2026-11-01T00:00:00.000Z', to: '2026-11-08T00:00:00.000Z', label_window_ms: 86_400_000, experiment: null },
  candidate: { version: 'ranker-new', coverage: 0.8, item_rows_lacking: 16, absent_features: ['item_age_days'] },
  baseline: { version: 'ranker-old', coverage: 1, item_rows_lacking: 0, absent_features: [] },
  bootstrap: { resamples: 1000 },
  segments: [
    { all: true, experiment: '', variant: '', requests: 8, rows: 80, positives: 9, metrics: { candidate: metrics(0.5), baseline: metrics(0.4), served: metrics(0.3) }, gains: [
      { against: 'baseline', mean: 0.1, ci95: [0.02, 0.18], verdict: 'better' },
      { against: 'served', mean: 0.2, ci95: [-0.01, 0.4], verdict: 'no clear difference' },
    ] },
    { all: false, experiment: 'fusion', variant: 'b', requests: 4, rows: 40, positives: 4, metrics: { candidate: metrics(0.25), baseline: metrics(0.5), served: metrics(0.3) }, gains: [
      { against: 'baseline', mean: -0.25, ci95: [-0.4, -0.1], verdict: 'worse' },
      { against: 'served', mean: -0.05, ci95: null, verdict: 'no clear difference' },
    ] },
    { all: false, experiment: '', variant: '', requests: 4, rows: 40, positives: 5, metrics: { candidate: metrics(0.75), baseline: metrics(0.3), served: metrics(0.3) }, gains: [
      { against: 'baseline', mean: null, ci95: null, verdict: 'no data' },
      { against: 'served', mean: null, ci95: null, verdict: 'no data' },
    ] },
  ],
};

describe('offline score markdown', () => {
  const markdown = offlineReportMarkdown(report);

  it('has one row per segment with each scorer’s metrics and the gains with their intervals', () => {
    expect(markdown).toContain('| segment | requests | rows | NDCG@10 candidate | NDCG@10 baseline | NDCG@10 served order | HR@10 candidate |');
    expect(markdown).toContain('| **all traffic** | 8 | 80 | 0.5000 | 0.4000 | 0.3000 | 0.5000 | 0.5000 | 0.5000 | 0.7500 | 0.7500 | 0.7500 | +0.1000 [+0.0200, +0.1800] better | +0.2000 [−0.0100, +0.4000] no clear difference |');
    expect(markdown).toContain('| fusion / b | 4 | 40 | 0.2500 |');
    expect(markdown).toContain('−0.2500 [−0.4000, −0.1000] worse | −0.0500 no clear difference |');
    expect(markdown).toContain('| (no experiment) | 4 | 40 | 0.7500 | 0.3000 | 0.3000 | 0.5000 | 0.5000 | 0.5000 | 0.7500 | 0.7500 | 0.7500 | — | — |');
  });

  it('names the window, the baseline and the features the logged rows lack', () => {
    expect(markdown).toContain('# Offline score of ranker-new (ranker)');
    expect(markdown).toContain('Traffic: 2026-11-01T00:00:00.000Z → 2026-11-08T00:00:00.000Z, labels within 24 h. Baseline: ranker-old.');
    expect(markdown).toContain('item_age_days; 16 logged item rows lack one of them (20 %).');
  });
});
