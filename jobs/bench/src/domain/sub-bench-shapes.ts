import { z } from 'zod';
import { AppError, ErrorCode } from '@streamrec/foundation';

/**
 * The parts of the sub-benchmarks' JSON this job reads (jobs/bench/streams/streams.ts and
 * jobs/bench/api/api.ts). Unknown fields are ignored, so the sub-benches can grow; a renamed
 * field fails here with its path instead of turning into a silent `—` in the report.
 * NaN figures arrive as `null` (JSON.stringify), hence the nullable numbers.
 */
const figure = z.number().nullable();

/** bench-support `RateSummary` / `Summary`: median and p99 over runs (p99 of a rate: the slow run). */
const rateSummary = z.object({ median: figure, p99: figure, min: figure, max: figure, samples: z.number() });

const stageFigures = z.object({
  eventsPerSecond: rateSummary,
  eventsPerCpuSecond: rateSummary,
  interactionsPerSecond: rateSummary,
  inputRecords: z.number(),
  /** Absent in runs of benches older than the count. */
  redisCommandsPerInteraction: figure.optional(),
});

const throughput = z.object({
  stages: z.record(z.string(), stageFigures),
  featuresPlusCooccurrenceInteractionsPerSecond: rateSummary,
  featuresInteractionsPerSecond: rateSummary,
  cooccurrenceInteractionsPerSecond: rateSummary,
  redisCommandsPerInteraction: figure.optional(),
  /** Absent in runs of benches older than the slow-log watch. */
  longestScriptMs: figure.optional(),
  scriptsOver5msShare: figure.optional(),
});

const clientFigures = z.object({ version: z.string(), messagesPerSecond: rateSummary, messagesPerCpuSecond: rateSummary });
const clients = z.union([
  z.object({ skipped: z.string() }),
  z.object({
    messages: z.number(),
    kafkajs: clientFigures,
    platformatic: clientFigures,
    ratioPlatformaticToKafkajs: figure,
    ratioPerCpuSecond: figure,
    checksumsAgree: z.boolean(),
  }),
]);

const freshness = z.object({
  chain: z.string(),
  samples: z.number(),
  lost: z.number(),
  freshnessMs: rateSummary.extend({ p50: figure, p90: figure }),
  pollIntervalMs: z.number(),
  trickle: z.object({ requestedPerSecond: z.number(), achievedPerSecond: z.number(), rows: z.number(), seconds: z.number() }).optional(),
});

export const streamsBenchSchema = z.object({
  benchmark: z.literal('streams'),
  settings: z.object({ events: z.number(), runs: z.number(), partitionConcurrency: z.number(), pinnedCore: z.number().nullable(), pinning: z.string() }),
  throughput: throughput.optional(),
  clients: clients.optional(),
  freshness: freshness.optional(),
});

const latency = z.object({ p50: z.number(), p90: z.number(), p99: z.number(), max: z.number(), mean: z.number() });
const loadRun = z.object({
  targetRate: z.number().nullable(),
  connections: z.number(),
  requestsPerSecond: z.number(),
  non2xx: z.number(),
  errors: z.number(),
  timeouts: z.number(),
  latencyMs: latency,
  exactLatencyMs: latency.nullable(),
  server: z.object({ meanCandidates: figure, meanServerMs: figure, degradedShare: z.record(z.string(), z.number()) }),
});
const scoringTiming = z.object({ model: z.string(), features: z.number(), rows: z.number(), iterations: z.number(), medianMs: z.number(), p99Ms: z.number(), maxMs: z.number() });

export const apiBenchSchema = z.object({
  benchmark: z.literal('api'),
  settings: z.object({ runs: z.number(), durationSeconds: z.number(), rate: z.number(), connections: z.number(), users: z.number() }),
  runs: z.array(loadRun).min(1),
  medians: z.object({ p50Ms: figure, p99Ms: figure, exactP99Ms: figure, requestsPerSecond: figure, meanCandidates: figure }),
  maxThroughput: loadRun,
  target: z.object({ description: z.string(), met: z.boolean().nullable(), why: z.string().optional() }),
  onnx: z.object({ published: z.union([z.object({ skipped: z.string() }), scoringTiming]), syntheticTrees: scoringTiming }).optional(),
  /** serve-cpu.ts: CPU per answer in process. */
  serveCpu: z
    .object({
      settings: z.object({ answers: z.number(), runs: z.number() }),
      cpuMicrosPerAnswer: z.object({ median: z.number(), max: z.number() }),
      cpuMicrosP99: z.object({ median: z.number() }),
      stages: z.array(z.object({ stage: z.string(), share: z.number(), microsPerAnswer: z.number() })).nullable(),
    })
    .optional(),
});

export type StreamsBench = z.infer<typeof streamsBenchSchema>;
export type ApiBench = z.infer<typeof apiBenchSchema>;
export type LoadRun = z.infer<typeof loadRun>;
export type RateSummary = z.infer<typeof rateSummary>;

function parseWith<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw new AppError(ErrorCode.PayloadInvalid, `${what} does not have the expected shape: ${problems.slice(0, 5).join('; ')}`, { details: { problems } });
}

export function parseStreamsBench(value: unknown, what = 'streams bench JSON'): StreamsBench {
  return parseWith(streamsBenchSchema, value, what);
}

export function parseApiBench(value: unknown, what = 'API bench JSON'): ApiBench {
  return parseWith(apiBenchSchema, value, what);
}
