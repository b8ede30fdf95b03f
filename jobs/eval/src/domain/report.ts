import { METRIC_NAMES, round4, type MetricComparison, type Metrics } from './metrics.js';
import type { PublishedRow } from './published.js';
import type { DatasetStats } from './dataset.js';
import type { Population, StageExperiments } from './stages.js';
import type { StageScore } from './scoring.js';

/** The JSON the harness writes (`--out`) and the markdown table built from it. Pure. */
export interface CheckResult {
  readonly name: string;
  readonly ok: boolean | null;
  readonly description: string;
  readonly expected?: Metrics;
  readonly ours?: Metrics;
  readonly comparison?: MetricComparison;
  readonly note?: string;
}

/** How the ranker stage's model was trained (the training job's own figures). */
export interface TrainingFacts {
  readonly modelVersion: string;
  readonly objective: string;
  readonly trees: number;
  readonly trainSeconds: number;
  readonly rows: Readonly<Record<string, number>>;
  readonly groups: Readonly<Record<string, number>>;
  readonly onnxBytes: number;
  readonly holdout: Readonly<Record<string, number>>;
  /** Options given to the training run beyond the stage's own (--retrain-options); empty = the job's defaults. */
  readonly retrainOptions: readonly string[];
}

export type StageResult =
  | ({
      readonly name: string;
      readonly status: 'ok';
      readonly description: string;
      readonly population: Population;
      readonly wallMs: number;
      readonly popularity: string;
      readonly experiments: StageExperiments;
      readonly training?: TrainingFacts;
    } & StageScore)
  | { readonly name: string; readonly status: 'skipped'; readonly description: string; readonly reason: string };

export interface EvalReport {
  readonly harness: 'streamrec-eval/1';
  readonly startedAt: string;
  readonly dataset: { readonly dir: string; readonly stats: DatasetStats };
  readonly seed: number;
  readonly sample: { readonly size: number; readonly users: number };
  readonly schedule: { readonly t0: string; readonly firstEvent: string; readonly lastEvent: string; readonly userSpacingMs: number; readonly stepMs: number };
  readonly run: { readonly stateVersion: string; readonly runId: string; readonly kept: boolean; readonly tuning: unknown; readonly fusedExperiments: string };
  readonly stages: readonly StageResult[];
  readonly checks: readonly CheckResult[];
  readonly published: readonly PublishedRow[];
  readonly phasesMs: Readonly<Record<string, number>>;
  readonly totalMs: number;
}

const cell = (value: number): string => round4(value).toFixed(4).replace(/^0/, '');

export function markdownReport(report: EvalReport): string {
  const header = `| stage | users | ${METRIC_NAMES.join(' | ')} |`;
  const rule = `|---|---|${METRIC_NAMES.map(() => '---').join('|')}|`;
  const ours = report.stages.map((stage) =>
    stage.status === 'ok'
      ? `| streamrec: ${stage.name} | ${stage.users}${stage.population === 'sample' ? ' (sample)' : ''} | ${METRIC_NAMES.map((name) => cell(stage.metrics[name])).join(' | ')} |`
      : `| streamrec: ${stage.name} | – | ${METRIC_NAMES.map(() => '–').join(' | ')} |`,
  );
  const published = report.published.map((row) => `| ${row.model} (published) | all | ${METRIC_NAMES.map((name) => cell(row.metrics[name])).join(' | ')} |`);
  const skipped = report.stages.filter((stage) => stage.status === 'skipped').map((stage) => `- \`${stage.name}\`: ${stage.status === 'skipped' ? stage.reason : ''}`);
  const training = report.stages.flatMap((stage) =>
    stage.status === 'ok' && stage.training !== undefined
      ? [
          `- \`${stage.name}\`: model ${stage.training.modelVersion} (${stage.training.objective}, ${stage.training.trees} trees, ONNX ${(stage.training.onnxBytes / 1024).toFixed(0)} KiB), ` +
            `trained in ${stage.training.trainSeconds.toFixed(1)} s on ${stage.training.rows['train'] ?? 0} rows / ${stage.training.groups['train'] ?? 0} requests ` +
            `(valid ${stage.training.rows['valid'] ?? 0} / ${stage.training.groups['valid'] ?? 0}, holdout ${stage.training.rows['holdout'] ?? 0} / ${stage.training.groups['holdout'] ?? 0}); ` +
            `holdout NDCG@10 ${(stage.training.holdout['ndcg_at_10'] ?? 0).toFixed(4)} over the logged candidates; ` +
            (stage.training.retrainOptions.length === 0 ? 'the training job’s defaults' : `training options ${stage.training.retrainOptions.join(' ')}`),
        ]
      : [],
  );
  const checks = report.checks.map((check) => `- ${check.ok === null ? 'n/a' : check.ok ? 'PASS' : 'FAIL'} — ${check.name}: ${check.description}${check.comparison === undefined ? '' : ` (max |Δ| ${check.comparison.maxDifference.toFixed(5)})`}${check.note === undefined ? '' : `; ${check.note}`}`);
  const phases = Object.entries(report.phasesMs).map(([phase, ms]) => `${phase} ${(ms / 1000).toFixed(1)} s`);
  const stats = report.dataset.stats;
  return [
    `# streamrec evaluation: ${report.dataset.dir}`,
    '',
    `${stats.users} users, ${stats.items} items, ${stats.interactions} interactions (${stats.replayed} replayed: every sequence without its last item). Seed ${report.seed}; ` +
      `per-channel stages on a seeded sample of ${report.sample.users} users, the others on all users. Full ranking, leave-one-out, the target s[-1] never replayed; ` +
      `each user's history s[:-1] excluded from the answer.`,
    '',
    header,
    rule,
    ...ours,
    ...published,
    '',
    ...(skipped.length > 0 ? ['Not run:', ...skipped, ''] : []),
    ...(training.length > 0 ? ['Trained:', ...training, ''] : []),
    'Checks:',
    ...checks,
    '',
    `Wall time: ${(report.totalMs / 1000).toFixed(1)} s (${phases.join(', ')}).`,
    '',
  ].join('\n');
}
