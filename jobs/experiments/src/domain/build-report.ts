import { METRICS } from './metrics.js';
import type { ReadoutPolicy } from './policy.js';
import { REPORT_FORMAT_VERSION, type ExperimentReadout, type ExperimentsReport } from './report.js';
import type { DataWindow } from './queries.js';
import type { ConfiguredSplit } from './srm.js';
import type { ExperimentOverview } from './warehouse.js';

/**
 * Which experiments a run reads: the one asked for; else every experiment with exposures in the window
 * and every enabled one in the config (so a configured experiment that logs nothing shows up as
 * "no data" instead of vanishing), in name order.
 */
export function experimentsToRead(asked: string | undefined, overviews: readonly ExperimentOverview[], splits: readonly ConfiguredSplit[]): string[] {
  if (asked !== undefined) return [asked];
  const names = new Set([...overviews.map((overview) => overview.experiment), ...splits.filter((split) => split.enabled).map((split) => split.id)]);
  return [...names].sort();
}

export interface ReportMeta {
  readonly startedAtMs: number;
  readonly finishedAtMs: number;
  readonly window: DataWindow;
  readonly configFile: string;
  readonly policy: ReadoutPolicy;
}

export function buildReport(meta: ReportMeta, readouts: readonly ExperimentReadout[]): ExperimentsReport {
  return {
    version: REPORT_FORMAT_VERSION,
    generatedAt: new Date(meta.finishedAtMs).toISOString(),
    durationMs: meta.finishedAtMs - meta.startedAtMs,
    window: { since: new Date(meta.window.fromMs).toISOString(), until: new Date(meta.window.toMs).toISOString() },
    configFile: meta.configFile,
    policy: meta.policy,
    metrics: METRICS.map(({ name, label, unit, definition }) => ({ name, label, unit, definition })),
    experiments: readouts,
  };
}
