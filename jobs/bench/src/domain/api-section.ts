import { Area, AREA_TITLES, SectionStatus, TailKind, figure, type Figure, type Section } from './figures.js';
import { formatNumber } from './format.js';
import type { ApiBench, LoadRun } from './sub-bench-shapes.js';
import { apiLatencyVerdict, serveCpuVerdict } from './targets.js';

/** The slow end of a few runs: the largest latency, or the smallest rate. */
const worst = (runs: readonly LoadRun[], pick: (run: LoadRun) => number): number => Math.max(...runs.map(pick));
const slowest = (runs: readonly LoadRun[], pick: (run: LoadRun) => number): number => Math.min(...runs.map(pick));

function medianOf(values: readonly number[]): number | null {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Median share of answers carrying each degraded reason, over the rated runs, largest first. */
export function degradedShares(runs: readonly LoadRun[]): [string, number][] {
  const reasons = new Set(runs.flatMap((run) => Object.keys(run.server.degradedShare)));
  return [...reasons]
    .map((reason): [string, number] => [reason, medianOf(runs.map((run) => run.server.degradedShare[reason] ?? 0)) ?? 0])
    .sort((a, b) => b[1] - a[1]);
}

export function apiSection(bench: ApiBench, rawFile: string): Section {
  const { runs, medians, settings } = bench;
  const n = runs.length;
  const exact = runs.every((run) => run.exactLatencyMs !== null);
  const figures: Figure[] = [
    figure(
      `latency p99 at ${formatNumber(settings.rate)} req/s (per run; whole ms)`,
      'ms',
      medians.p99Ms,
      worst(runs, (run) => run.latencyMs.p99),
      TailKind.SlowRun,
      n,
      apiLatencyVerdict({
        met: bench.target.met,
        why: bench.target.why,
        worstP99Ms: worst(runs, (run) => run.latencyMs.p99),
        rate: settings.rate,
        slowestRequestsPerSecond: slowest(runs, (run) => run.requestsPerSecond),
        failedRequests: runs.reduce((sum, run) => sum + run.non2xx + run.errors + run.timeouts, 0),
      }),
    ),
    ...(exact ? [figure('latency p99, sub-millisecond timing (per run)', 'ms', medians.exactP99Ms, worst(runs, (run) => run.exactLatencyMs?.p99 ?? Number.NaN), TailKind.SlowRun, n)] : []),
    figure('latency p50 (per run)', 'ms', medians.p50Ms, worst(runs, (run) => run.latencyMs.p50), TailKind.SlowRun, n),
    figure('achieved rate', 'req/s', medians.requestsPerSecond, slowest(runs, (run) => run.requestsPerSecond), TailKind.SlowRun, n),
    figure('non-2xx + errors + timeouts', 'requests', medianOf(runs.map((run) => run.non2xx + run.errors + run.timeouts)), worst(runs, (run) => run.non2xx + run.errors + run.timeouts), TailKind.SlowRun, n),
    figure('server-side mean duration', 'ms', medianOf(runs.flatMap((run) => (run.server.meanServerMs === null ? [] : [run.server.meanServerMs]))), null, TailKind.None, n),
    figure('fused candidates per request (mean)', 'candidates', medians.meanCandidates, null, TailKind.None, n),
    figure(`max throughput, no rate limit (${bench.maxThroughput.connections} connections, one run)`, 'req/s', bench.maxThroughput.requestsPerSecond, null, TailKind.None, 1),
    figure('max throughput run: latency p99', 'ms', bench.maxThroughput.latencyMs.p99, null, TailKind.None, 1),
  ];
  const serveCpu = bench.serveCpu;
  if (serveCpu !== undefined) {
    const { median, max } = serveCpu.cpuMicrosPerAnswer;
    figures.push(figure('CPU per answer, in process (mean of a run)', 'µs', median, max, TailKind.SlowRun, serveCpu.settings.runs, serveCpuVerdict(median)));
    figures.push(figure('CPU per answer, in process: p99 of the answers (per run)', 'µs', serveCpu.cpuMicrosP99.median, null, TailKind.None, serveCpu.settings.runs));
  }
  const notes = [`${n} runs × ${settings.durationSeconds} s at ${formatNumber(settings.rate)} req/s over ${settings.connections} connections, ${formatNumber(settings.users)} sampled users (~10 % unknown); autocannon on the same machine as the API.`];
  const degraded = degradedShares(runs).filter(([, share]) => share > 0);
  if (degraded.length > 0) notes.push(`Degraded answers (median share over runs): ${degraded.map(([reason, share]) => `${reason} ${(share * 100).toFixed(1)} %`).join(', ')}.`);
  if (serveCpu !== undefined) {
    const stages = serveCpu.stages === null ? 'not profiled' : serveCpu.stages.map(({ stage, microsPerAnswer }) => `${stage} ${formatNumber(microsPerAnswer)}`).join(', ');
    notes.push(`CPU per answer: the API in the bench's own process, ${formatNumber(serveCpu.settings.answers)} answers one at a time per run (no HTTP); by stage, µs: ${stages}.`);
  }
  const onnx = bench.onnx;
  if (onnx === undefined) notes.push('ONNX scoring: left out (--skip-onnx).');
  else {
    if ('skipped' in onnx.published) notes.push(`ONNX published ranker: skipped: ${onnx.published.skipped}`);
    else figures.push(figure(`ONNX score(${onnx.published.rows}) alone, published ${onnx.published.model} (${onnx.published.features} features)`, 'ms', onnx.published.medianMs, onnx.published.p99Ms, TailKind.P99, onnx.published.iterations));
    const trees = onnx.syntheticTrees;
    figures.push(figure(`ONNX score(${trees.rows}) alone, synthetic 200 trees × depth 6 (${trees.features} features)`, 'ms', trees.medianMs, trees.p99Ms, TailKind.P99, trees.iterations));
    notes.push('ONNX figures are over iterations of one call at a time in the bench process (no HTTP, no Redis); the issue states no target for them (the API gives the ranking stage a 25 ms budget by default).');
  }
  return { area: Area.Api, title: AREA_TITLES.api, status: SectionStatus.Ok, reason: null, rawFile, figures, notes };
}
