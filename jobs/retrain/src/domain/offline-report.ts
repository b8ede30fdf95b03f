import type { NdcgGain, Scorer, SegmentResult } from './offline-scoring.js';

/** What the markdown needs of an offline-scoring report (score-offline.ts). */
export interface OfflineReportView {
  readonly model_name: string;
  readonly window: { readonly from: string; readonly to: string; readonly label_window_ms: number; readonly experiment: string | null };
  readonly candidate: ModelView;
  readonly baseline: ModelView | null;
  readonly bootstrap: { readonly resamples: number };
  readonly segments: readonly SegmentResult[];
}

interface ModelView {
  readonly version: string;
  readonly coverage: number;
  readonly item_rows_lacking: number;
  readonly absent_features: readonly string[];
}

const SCORER_COLUMNS: readonly { readonly scorer: Scorer; readonly title: string }[] = [
  { scorer: 'candidate', title: 'candidate' },
  { scorer: 'baseline', title: 'baseline' },
  { scorer: 'served', title: 'served order' },
];

function fixed(value: number | null | undefined, digits = 4): string {
  return value === null || value === undefined ? '—' : value.toFixed(digits);
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(4)}`;
}

function gainCell(gain: NdcgGain | undefined): string {
  if (gain === undefined || gain.mean === null) return '—';
  const interval = gain.ci95 === null ? '' : ` [${signed(gain.ci95[0])}, ${signed(gain.ci95[1])}]`;
  return `${signed(gain.mean)}${interval} ${gain.verdict}`;
}

function segmentName(segment: SegmentResult): string {
  if (segment.all) return '**all traffic**';
  if (segment.experiment === '') return '(no experiment)';
  return `${segment.experiment} / ${segment.variant === '' ? '(no variant)' : segment.variant}`;
}

function coverageNote(role: string, model: ModelView | null): string[] {
  if (model === null || model.absent_features.length === 0) return [];
  return [
    `- ${role} ${model.version} reads features some logged rows lack (scored as missing): ${model.absent_features.join(', ')}; ${model.item_rows_lacking} logged item rows lack one of them (${(100 - model.coverage * 100).toPrecision(2)} %).`,
  ];
}

/** A markdown report: per segment the gate's metrics for each scorer and the candidate's NDCG@10 gains with their 95 % intervals. */
export function offlineReportMarkdown(report: OfflineReportView): string {
  const scorers = SCORER_COLUMNS.filter(({ scorer }) => report.segments[0]?.metrics[scorer] !== undefined);
  const against = report.segments[0]?.gains.map((gain) => gain.against) ?? [];
  const header = [
    'segment',
    'requests',
    'rows',
    ...scorers.map(({ title }) => `NDCG@10 ${title}`),
    ...scorers.map(({ title }) => `HR@10 ${title}`),
    ...scorers.map(({ title }) => `AUC ${title}`),
    ...against.map((scorer) => `NDCG@10 gain vs ${SCORER_COLUMNS.find((column) => column.scorer === scorer)?.title ?? scorer} [95 % CI]`),
  ];
  const rows = report.segments.map((segment) => [
    segmentName(segment),
    String(segment.requests),
    String(segment.rows),
    ...scorers.map(({ scorer }) => fixed(segment.metrics[scorer]?.ndcg_at_10)),
    ...scorers.map(({ scorer }) => fixed(segment.metrics[scorer]?.hr_at_10)),
    ...scorers.map(({ scorer }) => fixed(segment.metrics[scorer]?.auc)),
    ...against.map((scorer) => gainCell(segment.gains.find((gain) => gain.against === scorer))),
  ]);
  const window = `${report.window.from} → ${report.window.to}, labels within ${report.window.label_window_ms / 3_600_000} h${report.window.experiment === null ? '' : `, experiment ${report.window.experiment}`}`;
  return [
    `# Offline score of ${report.candidate.version} (${report.model_name})`,
    '',
    `Traffic: ${window}. Baseline: ${report.baseline?.version ?? 'none'}. Requests with a positive label only; intervals: paired bootstrap over requests (${report.bootstrap.resamples} resamples).`,
    ...coverageNote('The candidate', report.candidate),
    ...coverageNote('The baseline', report.baseline),
    '',
    `| ${header.join(' | ')} |`,
    `|${header.map((_, index) => (index === 0 ? '---' : '---:')).join('|')}|`,
    ...rows.map((cells) => `| ${cells.join(' | ')} |`),
    '',
  ].join('\n');
}
