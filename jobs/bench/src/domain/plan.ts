import { Area } from './figures.js';

/** What the user asked for (jobs/bench/src/cli-args.ts). Undefined knobs take the full or the quick default. */
export interface BenchOptions {
  readonly outDir: string;
  readonly quick: boolean;
  readonly areas: readonly Area[];
  readonly runs: number | undefined;
  readonly events: number | undefined;
  readonly freshnessSamples: number | undefined;
  readonly apiRate: number | undefined;
  readonly apiDuration: number | undefined;
}

/** The settings every phase runs with, after defaults: written into the report. */
export interface EffectiveSettings {
  readonly quick: boolean;
  readonly areas: readonly Area[];
  readonly streams: { readonly events: number; readonly runs: number };
  readonly freshness: { readonly samples: number };
  readonly api: { readonly runs: number; readonly durationSeconds: number; readonly rate: number };
}

/** Full defaults are the sub-benchmarks' own; quick ones make a smoke run of about two minutes. */
const DEFAULTS = {
  full: { events: 50_000, runs: 3, freshnessSamples: 40, apiRuns: 3, apiDuration: 20, apiRate: 500 },
  quick: { events: 10_000, runs: 2, freshnessSamples: 20, apiRuns: 2, apiDuration: 10, apiRate: 500 },
} as const;

export function effectiveSettings(options: BenchOptions): EffectiveSettings {
  const base = options.quick ? DEFAULTS.quick : DEFAULTS.full;
  return {
    quick: options.quick,
    areas: options.areas,
    streams: { events: options.events ?? base.events, runs: options.runs ?? base.runs },
    freshness: { samples: options.freshnessSamples ?? base.freshnessSamples },
    api: { runs: options.runs ?? base.apiRuns, durationSeconds: options.apiDuration ?? base.apiDuration, rate: options.apiRate ?? base.apiRate },
  };
}

export interface Phase {
  readonly area: Area;
  /** Repo-relative script run with `npx tsx`. */
  readonly script: string;
  readonly args: readonly string[];
  /** File name of the sub-bench's JSON inside the output directory. */
  readonly rawFile: string;
  /** A-priori duration, seconds; scaled by how the finished phases compared with theirs for the ETA. */
  readonly estimateSeconds: number;
  /** Why the kafkajs vs @platformatic/kafka comparison is left out of the streams phase, if it is. */
  readonly clientsLeftOut: string | null;
}

const STREAMS_SCRIPT = 'jobs/bench/streams/streams.ts';
const API_SCRIPT = 'jobs/bench/api/api.ts';

export interface Environment {
  /** Null when @platformatic/kafka can be loaded; otherwise why not. */
  readonly platformaticMissing: string | null;
}

/**
 * The phases in the order they run. The estimates come from quick runs on the 2-core development
 * machine (process start-ups dominate small runs; a stage handles ~2,000 interactions/s there).
 */
export function planPhases(settings: EffectiveSettings, outDir: string, environment: Environment): Phase[] {
  const phases: Phase[] = [];
  const join = (file: string): string => `${outDir.replace(/\/+$/, '')}/${file}`;
  if (settings.areas.includes(Area.Streams)) {
    const { events, runs } = settings.streams;
    const withClients = environment.platformaticMissing === null;
    const sections = withClients ? 'throughput,clients' : 'throughput';
    phases.push({
      area: Area.Streams,
      script: STREAMS_SCRIPT,
      args: ['--out', join('streams.json'), '--events', String(events), '--runs', String(runs), '--only', sections],
      rawFile: 'streams.json',
      estimateSeconds: Math.round(5 + events / 20_000 + runs * (4 + events / 2_000) + (withClients ? runs * 2 * (1.5 + events / 40_000) : 0)),
      clientsLeftOut: environment.platformaticMissing,
    });
  }
  if (settings.areas.includes(Area.Freshness)) {
    phases.push({
      area: Area.Freshness,
      script: STREAMS_SCRIPT,
      args: ['--out', join('freshness.json'), '--only', 'freshness', '--freshness-samples', String(settings.freshness.samples)],
      rawFile: 'freshness.json',
      estimateSeconds: Math.round(12 + settings.freshness.samples * 0.35),
      clientsLeftOut: null,
    });
  }
  if (settings.areas.includes(Area.Api)) {
    const { runs, durationSeconds, rate } = settings.api;
    phases.push({
      area: Area.Api,
      script: API_SCRIPT,
      args: ['--out', join('api.json'), '--runs', String(runs), '--duration', String(durationSeconds), '--rate', String(rate)],
      rawFile: 'api.json',
      // start-up and user sampling, 5 s warm-up, the rated runs, the unlimited run, CPU per answer in process
      // (start-up, warm-up, a run of 2,000 answers each and the profiled one), ONNX scoring
      estimateSeconds: Math.round(15 + 5 + (runs + 1) * (durationSeconds + 0.5) + (15 + (runs + 1) * 10) + 5),
      clientsLeftOut: null,
    });
  }
  return phases;
}

/**
 * Seconds left for the phases not finished yet: their estimates, scaled by how long the finished phases
 * took against their own estimates (1 before any has finished).
 */
export function remainingSeconds(phases: readonly Pick<Phase, 'estimateSeconds'>[], finishedSeconds: readonly number[]): number {
  const done = phases.slice(0, finishedSeconds.length);
  const estimated = done.reduce((sum, phase) => sum + phase.estimateSeconds, 0);
  const actual = finishedSeconds.reduce((sum, seconds) => sum + seconds, 0);
  const scale = estimated > 0 && actual > 0 ? actual / estimated : 1;
  return phases.slice(finishedSeconds.length).reduce((sum, phase) => sum + phase.estimateSeconds * scale, 0);
}
