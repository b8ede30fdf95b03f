/** One sample line of a Prometheus text exposition. */
export interface Series {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const line = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const label = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parseSeries(text: string): Series[] {
  const series: Series[] = [];
  for (const raw of text.split('\n')) {
    if (raw.startsWith('#')) continue;
    const match = line.exec(raw);
    if (match === null) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(label)) if (key !== undefined && value !== undefined) labels[key] = value;
    series.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return series;
}

export async function scrapeMetrics(url: string): Promise<Series[]> {
  const response = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`/metrics answered ${response.status}`);
  return parseSeries(await response.text());
}

/** Sum of the series named `name` whose labels include `match`, grouped by the value of `by` (or one group ''). */
function sumBy(series: readonly Series[], name: string, by?: string, match: Readonly<Record<string, string>> = {}): Map<string, number> {
  const totals = new Map<string, number>();
  for (const entry of series) {
    if (entry.name !== name || !Object.entries(match).every(([key, value]) => entry.labels[key] === value)) continue;
    const group = by === undefined ? '' : (entry.labels[by] ?? '');
    totals.set(group, (totals.get(group) ?? 0) + entry.value);
  }
  return totals;
}

function delta(before: Map<string, number>, after: Map<string, number>, group = ''): number {
  return (after.get(group) ?? 0) - (before.get(group) ?? 0);
}

/** What the API's own metrics say about the requests between two scrapes. */
export interface ServerFigures {
  /** /v1/recommendations answers counted by the API (any status). */
  readonly recommendationRequests: number;
  /** Mean fused candidates per request (what the ranker scores), from the recommendation_candidates histogram. */
  readonly meanCandidates: number | null;
  /** Share of recommendation requests that carried each degraded reason (one answer can carry several). */
  readonly degradedShare: Readonly<Record<string, number>>;
  /** Mean duration per budgeted stage, milliseconds. */
  readonly meanStageMs: Readonly<Record<string, number>>;
  readonly stageTimeouts: Readonly<Record<string, number>>;
  /** Mean server-side duration of /v1/recommendations (http_request_duration_seconds), milliseconds. */
  readonly meanServerMs: number | null;
}

const RECOMMENDATIONS_ROUTE = { route: '/v1/recommendations' };

export function serverFigures(before: readonly Series[], after: readonly Series[]): ServerFigures {
  const diff = (name: string, by?: string, match?: Record<string, string>): Map<string, number> => {
    const start = sumBy(before, name, by, match);
    const end = sumBy(after, name, by, match);
    return new Map([...end.keys()].map((group) => [group, delta(start, end, group)]));
  };
  const requests = diff('http_request_duration_seconds_count', undefined, RECOMMENDATIONS_ROUTE).get('') ?? 0;
  const httpSum = diff('http_request_duration_seconds_sum', undefined, RECOMMENDATIONS_ROUTE).get('') ?? 0;
  const candidatesSum = diff('recommendation_candidates_sum').get('') ?? 0;
  const candidatesCount = diff('recommendation_candidates_count').get('') ?? 0;
  const stageSums = diff('recommendation_stage_duration_seconds_sum', 'stage');
  const stageCounts = diff('recommendation_stage_duration_seconds_count', 'stage');
  const ratio = (part: number, whole: number, digits: number): number | null => (whole > 0 ? Number((part / whole).toFixed(digits)) : null);
  return {
    recommendationRequests: requests,
    meanCandidates: ratio(candidatesSum, candidatesCount, 1),
    degradedShare: Object.fromEntries(
      [...diff('recommendation_degraded_total', 'reason')].filter(([, count]) => count > 0).map(([reason, count]) => [reason, ratio(count, requests, 4) ?? 0]),
    ),
    meanStageMs: Object.fromEntries([...stageSums].map(([stage, sum]) => [stage, ratio(sum * 1_000, stageCounts.get(stage) ?? 0, 3) ?? 0])),
    stageTimeouts: Object.fromEntries([...diff('recommendation_stage_timeouts_total', 'stage')].filter(([, count]) => count > 0)),
    meanServerMs: ratio(httpSum * 1_000, requests, 3),
  };
}
