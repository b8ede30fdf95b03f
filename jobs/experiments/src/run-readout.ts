import type { ConfiguredSplit } from './domain/srm.js';
import { buildReport, experimentsToRead } from './domain/build-report.js';
import type { ReadoutPolicy } from './domain/policy.js';
import { readoutFamilies, type MetricFamily } from './domain/prometheus-families.js';
import type { DataWindow } from './domain/queries.js';
import { buildReadout } from './domain/readout.js';
import type { ExperimentReadout, ExperimentsReport } from './domain/report.js';
import { reportHtml } from './domain/report-html.js';
import { readExperiment, readOverview, type SqlReader } from './domain/warehouse.js';

export interface ReadoutDependencies {
  readonly reader: SqlReader;
  readonly loadSplits: (file: string) => Promise<readonly ConfiguredSplit[]>;
  readonly writeFiles: (dir: string, files: { readonly json: string; readonly html: string; readonly metrics: string }) => Promise<string[]>;
  readonly renderMetrics: (families: readonly MetricFamily[]) => Promise<string>;
  readonly now: () => number;
  readonly progress: (line: string) => void;
}

export interface ReadoutRequest {
  readonly experiment: string | undefined;
  readonly control: string | undefined;
  readonly window: DataWindow;
  readonly configFile: string;
  readonly outDir: string;
  readonly database: string;
  readonly rowLimit: number;
  readonly policy: ReadoutPolicy;
}

export interface ReadoutRun {
  readonly report: ExperimentsReport;
  readonly files: readonly string[];
  readonly families: readonly MetricFamily[];
}

/** One readout: the experiments of the window from ClickHouse, judged against the config, written to the output directory. */
export async function runReadout(request: ReadoutRequest, deps: ReadoutDependencies): Promise<ReadoutRun> {
  const startedAtMs = deps.now();
  const { window } = request;
  deps.progress(`reading ${request.configFile}`);
  const splits = await deps.loadSplits(request.configFile);
  deps.progress(`experiments with exposures ${new Date(window.fromMs).toISOString()} – ${new Date(window.toMs).toISOString()}`);
  const overviews = await readOverview(deps.reader, request.database, window, request.experiment);
  const readouts: ExperimentReadout[] = [];
  for (const experiment of experimentsToRead(request.experiment, overviews, splits)) {
    const overview = overviews.find((entry) => entry.experiment === experiment);
    const split = splits.find((entry) => entry.id === experiment) ?? null;
    deps.progress(overview === undefined ? `${experiment}: no exposures in the window` : `${experiment}: ${overview.users} users, ${overview.requests} answers — reading per-user activity`);
    const data = overview === undefined ? null : await readExperiment(deps.reader, request.database, window, overview, request.rowLimit);
    readouts.push(
      buildReadout({
        experiment,
        split,
        control: request.control,
        activity: data?.activity ?? [],
        purchases: data?.purchases ?? [],
        degradedReasons: data?.degradedReasons ?? [],
        bucketMs: data?.bucketMs ?? 86_400_000,
        firstExposureMs: overview?.firstMs ?? null,
        lastExposureMs: overview?.lastMs ?? null,
        policy: request.policy,
      }),
    );
  }
  const report = buildReport({ startedAtMs, finishedAtMs: deps.now(), window, configFile: request.configFile, policy: request.policy }, readouts);
  const families = readoutFamilies(report);
  deps.progress(`writing ${request.outDir}`);
  const files = await deps.writeFiles(request.outDir, { json: `${JSON.stringify(report, null, 2)}\n`, html: reportHtml(report), metrics: await deps.renderMetrics(families) });
  return { report, files, families };
}
