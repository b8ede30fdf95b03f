/** What the merged report is made of: areas, figures, targets. Pure types and small constructors. */

export const Area = { Streams: 'streams', Freshness: 'freshness', Api: 'api' } as const;
export type Area = (typeof Area)[keyof typeof Area];

export const AREAS: readonly Area[] = [Area.Streams, Area.Freshness, Area.Api];

export const AREA_TITLES: Readonly<Record<Area, string>> = {
  streams: 'Streams: stage throughput and Kafka clients',
  freshness: 'Freshness: MariaDB commit → Redis',
  api: 'Serving API',
};

/** A target and its verdict; `met: null` when it could not be judged (not measured at the target's setting). */
export interface TargetVerdict {
  readonly description: string;
  readonly met: boolean | null;
  /** Why it was (not) met, in figures: `slow run 1,988/s < 25,000/s`. */
  readonly detail: string;
}

/**
 * One row of a report table. `median` is over runs (or over samples for a single-run measurement);
 * `tail` is the slow end, and `tailKind` says which: the p99 of samples, or the slowest of a few runs
 * (a nearest-rank p99 over fewer than 100 runs is the slowest run).
 */
export interface Figure {
  readonly label: string;
  readonly unit: string;
  readonly median: number | null;
  readonly tail: number | null;
  readonly tailKind: TailKind;
  /** Runs or samples the median and tail are over. */
  readonly samples: number | null;
  readonly target: TargetVerdict | null;
}

export const TailKind = { SlowRun: 'slow run', P99: 'p99', None: 'none' } as const;
export type TailKind = (typeof TailKind)[keyof typeof TailKind];

export const SectionStatus = { Ok: 'ok', Skipped: 'skipped', Failed: 'failed' } as const;
export type SectionStatus = (typeof SectionStatus)[keyof typeof SectionStatus];

export interface Section {
  readonly area: Area;
  readonly title: string;
  readonly status: SectionStatus;
  /** Why the section was skipped or failed. */
  readonly reason: string | null;
  /** The sub-benchmark's own JSON, relative to the output directory. */
  readonly rawFile: string | null;
  readonly figures: readonly Figure[];
  /** Context a reader needs next to the table (what was left out, how the figures were taken). */
  readonly notes: readonly string[];
}

export function figure(label: string, unit: string, median: number | null, tail: number | null, tailKind: TailKind, samples: number | null, target: TargetVerdict | null = null): Figure {
  return { label, unit, median, tail, tailKind, samples, target };
}

export function emptySection(area: Area, status: SectionStatus, reason: string, rawFile: string | null = null): Section {
  return { area, title: AREA_TITLES[area], status, reason, rawFile, figures: [], notes: [] };
}
