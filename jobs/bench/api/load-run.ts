import autocannon from 'autocannon';
import { scrapeMetrics, serverFigures, type ServerFigures } from './prometheus.js';

export interface LoadOptions {
  readonly url: string;
  /** The operations listener, whose /metrics is scraped before and after. */
  readonly opsUrl: string;
  readonly apiKey: string;
  /** Request paths, cycled in order across all connections. */
  readonly paths: readonly string[];
  readonly connections: number;
  readonly durationSeconds: number;
  /** Requests per second over all connections, or undefined for as many as the connections get answered. */
  readonly rate: number | undefined;
}

export interface LatencyFigures {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

export interface LoadRun {
  readonly targetRate: number | null;
  readonly connections: number;
  readonly durationSeconds: number;
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly non2xx: number;
  readonly statusCodes: Readonly<Record<string, number>>;
  readonly errors: number;
  readonly timeouts: number;
  /** autocannon's `latency` (2xx only), ms; its HDR histogram records whole milliseconds (a 3.9 ms answer counts as 3). */
  readonly latencyMs: LatencyFigures;
  /** The same answers timed by the bench from autocannon's `response` events (hrtime, sub-millisecond), ms. */
  readonly exactLatencyMs: LatencyFigures | null;
  readonly server: ServerFigures;
}

/**
 * One autocannon run with /metrics scraped before and after.
 *
 * Two autocannon behaviours shape the figures: `overallRate` is a per-connection budget of rate/C
 * requests per wall-clock second, sent back to back when the second starts (so the load arrives in bursts
 * of up to C concurrent requests, not evenly spread); and its coordinated-omission correction assumes a
 * 1 ms interval at any rate, back-filling phantom samples for every answer slower than 1 ms, so it is off
 * here (`ignoreCoordinatedOmission`) and latency is the plain per-request response time.
 */
export async function runLoad(options: LoadOptions): Promise<LoadRun> {
  const before = await scrapeMetrics(options.opsUrl);
  let next = 0;
  const paths = options.paths;
  const exact: number[] = [];
  let finish: (error: unknown, result: autocannon.Result) => void = () => undefined;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    finish = (error, result) => (error === null || error === undefined ? resolve(result) : reject(error instanceof Error ? error : new Error(`autocannon failed: ${JSON.stringify(error)}`)));
  });
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSeconds,
    ...(options.rate === undefined ? {} : { overallRate: options.rate }),
    ignoreCoordinatedOmission: options.rate !== undefined,
    timeout: 10,
    headers: { 'x-api-key': options.apiKey, accept: 'application/json' },
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => {
          const path = paths[next % paths.length]!;
          next += 1;
          return { ...request, path };
        },
      },
    ],
  }, (error, result) => finish(error, result));
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (statusCode >= 200 && statusCode < 300) exact.push(responseTime);
  });
  const result = await finished;
  const after = await scrapeMetrics(options.opsUrl);
  const total = result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'];
  return {
    targetRate: options.rate ?? null,
    connections: options.connections,
    durationSeconds: result.duration,
    requests: total,
    requestsPerSecond: Math.round(total / result.duration),
    non2xx: result.non2xx,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, stat]) => [code, stat.count ?? 0])),
    errors: result.errors,
    timeouts: result.timeouts,
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max, mean: Number(result.latency.mean.toFixed(3)) },
    exactLatencyMs: percentiles(exact),
    server: serverFigures(before, after),
  };
}

/** Nearest-rank percentiles of raw samples, ms to 0.01. */
export function percentiles(samples: number[]): LatencyFigures | null {
  if (samples.length === 0) return null;
  const sorted = Float64Array.from(samples).sort();
  const rank = (q: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
  const round = (value: number): number => Number(value.toFixed(2));
  const mean = sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
  return { p50: round(rank(0.5)), p90: round(rank(0.9)), p99: round(rank(0.99)), max: round(sorted[sorted.length - 1]!), mean: round(mean) };
}
