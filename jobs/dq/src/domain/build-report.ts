import { evaluateChecks, type CheckPolicy } from './checks.js';
import { reportData, type FigureOptions } from './figures.js';
import type { TopicReadResult, WarehouseMeasurements } from './measurements.js';
import type { DqReport } from './report.js';
import { qualityScore, runStatus, worstVerdict } from './verdict.js';
import { isoSeconds, type CatalogueScope } from './window.js';

export interface RunFacts {
  readonly runId: string;
  readonly suite: string;
  readonly startedAtMs: number;
  readonly finishedAtMs: number;
  readonly catalogueScope: CatalogueScope;
  readonly configFile: string;
}

/** The run's report: figures from the measurements, every check judged, the score and the status. */
export function buildReport(facts: RunFacts, measured: WarehouseMeasurements, deadLetters: TopicReadResult, cdc: TopicReadResult, options: FigureOptions & { readonly policy: CheckPolicy }): DqReport {
  const data = reportData(measured, deadLetters, cdc, options);
  const checks = evaluateChecks(data, options.policy);
  return {
    version: 1,
    runId: facts.runId,
    suite: facts.suite,
    startedAt: new Date(facts.startedAtMs).toISOString(),
    finishedAt: new Date(facts.finishedAtMs).toISOString(),
    window: { from: isoSeconds(options.window.fromMs), to: isoSeconds(options.window.toMs), fromMs: options.window.fromMs, toMs: options.window.toMs },
    catalogueScope: facts.catalogueScope,
    configFile: facts.configFile,
    score: qualityScore(checks),
    status: runStatus(worstVerdict(checks.map((check) => check.verdict))),
    checks,
    data,
  };
}

/** A run id that sorts by time: dq-20261205T004501Z-1a2b3c. */
export const runIdAt = (ms: number, suffix: string): string => `dq-${isoSeconds(ms).replace(/[-:]/g, '')}-${suffix}`;
