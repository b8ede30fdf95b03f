import { parseArgs } from 'node:util';
import { AppError, ErrorCode } from '@streamrec/foundation';
import { AREAS, type Area } from './domain/figures.js';
import type { BenchOptions } from './domain/plan.js';

export const HELP = `Usage: npm run bench -- --out-dir DIR [options]

Runs the streams, freshness and API benchmarks one after the other (child processes), then writes
DIR/bench.json and DIR/bench.md (machine, medians and p99 / slow runs, targets met or not) next to each
sub-benchmark's own JSON (streams.json, freshness.json, api.json). Needs the local stack
(npm run stack:status), the stream processors' state in Redis and a published ranker. See jobs/bench/README.md.

  --out-dir DIR           where the reports go (required; created if missing)
  --quick                 smoke run: streams 10,000 events × 2 runs, freshness 20 commits, API 2 × 10 s
                          (full: 50,000 × 3, 40 commits, 3 × 20 s)
  --only LIST             comma-separated subset of ${AREAS.join(',')} (default all)
  --runs R                runs of the streams throughput and of the API load (default 3, quick 2)
  --events N              interactions for the streams throughput (default 50000, quick 10000)
  --freshness-samples K   commits timed for freshness (default 40, quick 20)
  --api-rate N            request rate of the API runs, req/s (default 500; the target is judged at 500 only)
  --api-duration S        seconds per API run (default 20, quick 10)
  --help                  this text

Exit codes: 0 every phase ran (targets met or not: read the report), 1 a phase failed, 2 usage.`;

export type Command = { readonly kind: 'help' } | { readonly kind: 'run'; readonly options: BenchOptions };

function usage(message: string): AppError {
  return new AppError(ErrorCode.InvalidArgument, message);
}

function positiveInteger(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw usage(`--${option} must be a positive integer, got '${value}'`);
  return parsed;
}

function areas(list: string | undefined): Area[] {
  if (list === undefined) return [...AREAS];
  const asked = list.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  const unknown = asked.filter((entry) => !(AREAS as readonly string[]).includes(entry));
  if (unknown.length > 0 || asked.length === 0) throw usage(`--only takes a comma-separated subset of ${AREAS.join(',')}${unknown.length > 0 ? `; unknown: ${unknown.join(',')}` : ''}`);
  return AREAS.filter((area) => asked.includes(area));
}

/** Throws AppError REC_INVALID_ARGUMENT on a bad command line. */
export function parseCommand(argv: readonly string[]): Command {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        'out-dir': { type: 'string' },
        quick: { type: 'boolean', default: false },
        only: { type: 'string' },
        runs: { type: 'string' },
        events: { type: 'string' },
        'freshness-samples': { type: 'string' },
        'api-rate': { type: 'string' },
        'api-duration': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw usage(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return { kind: 'help' };
  if (values['out-dir'] === undefined || values['out-dir'].trim() === '') throw usage('--out-dir DIR is required');
  return {
    kind: 'run',
    options: {
      outDir: values['out-dir'],
      quick: values.quick,
      areas: areas(values.only),
      runs: positiveInteger(values.runs, 'runs'),
      events: positiveInteger(values.events, 'events'),
      freshnessSamples: positiveInteger(values['freshness-samples'], 'freshness-samples'),
      apiRate: positiveInteger(values['api-rate'], 'api-rate'),
      apiDuration: positiveInteger(values['api-duration'], 'api-duration'),
    },
  };
}
