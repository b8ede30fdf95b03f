/**
 * Progress of a replay: per input partition, the offsets to cover (`start` … `end`, end exclusive, as
 * captured when the phase began) and the offset the new state version has stored. Pure.
 */
export interface PartitionTarget {
  readonly stage: string;
  readonly topic: string;
  readonly partition: number;
  /** First offset the replay reads (earliest, or the offset at --from-timestamp). */
  readonly start: bigint;
  /** End offset (high watermark) captured at the start of the phase: the replay is done at end − 1. */
  readonly end: bigint;
}

export interface PhaseProgress {
  readonly applied: bigint;
  readonly total: bigint;
  readonly done: boolean;
  /** Partitions not yet at their end offset. */
  readonly pending: number;
}

/** `storedOffset` is the last applied offset (undefined: nothing applied yet). */
export function partitionApplied(target: PartitionTarget, storedOffset: bigint | undefined): bigint {
  const total = target.end > target.start ? target.end - target.start : 0n;
  if (storedOffset === undefined) return 0n;
  const covered = storedOffset + 1n - target.start;
  return covered < 0n ? 0n : covered > total ? total : covered;
}

export function phaseProgress(targets: readonly PartitionTarget[], stored: (target: PartitionTarget) => bigint | undefined): PhaseProgress {
  let applied = 0n;
  let total = 0n;
  let pending = 0;
  for (const target of targets) {
    const size = target.end > target.start ? target.end - target.start : 0n;
    const done = partitionApplied(target, stored(target));
    applied += done;
    total += size;
    if (done < size) pending += 1;
  }
  return { applied, total, done: pending === 0, pending };
}

export interface RateSample {
  readonly atMs: number;
  readonly applied: bigint;
}

/** Records per second over the samples' window and the ETA of the rest; undefined while unknown. */
export function rateAndEta(samples: readonly RateSample[], total: bigint): { perSecond: number | undefined; etaSeconds: number | undefined } {
  const first = samples[0];
  const last = samples.at(-1);
  if (first === undefined || last === undefined || last.atMs <= first.atMs) return { perSecond: undefined, etaSeconds: undefined };
  const perSecond = (Number(last.applied - first.applied) * 1000) / (last.atMs - first.atMs);
  const remaining = Number(total - last.applied);
  if (remaining <= 0) return { perSecond, etaSeconds: 0 };
  return { perSecond, etaSeconds: perSecond > 0 ? remaining / perSecond : undefined };
}

/** One progress line, e.g. `user stages: 12,000 / 50,000 records (24.0%), 5,200 rec/s, ETA 7 s, 3 partitions left`. */
export function progressLine(label: string, progress: PhaseProgress, rate: { perSecond: number | undefined; etaSeconds: number | undefined }): string {
  const percent = progress.total === 0n ? 100 : (Number(progress.applied) * 100) / Number(progress.total);
  const parts = [`${label}: ${formatCount(progress.applied)} / ${formatCount(progress.total)} records (${percent.toFixed(1)}%)`];
  parts.push(rate.perSecond === undefined ? 'rate —' : `${formatCount(BigInt(Math.round(rate.perSecond)))} rec/s`);
  parts.push(rate.etaSeconds === undefined ? 'ETA —' : `ETA ${formatDuration(rate.etaSeconds)}`);
  parts.push(progress.done ? 'done' : `${progress.pending} partition${progress.pending === 1 ? '' : 's'} left`);
  return parts.join(', ');
}

export function formatCount(value: bigint): string {
  return value.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function formatDuration(seconds: number): string {
  const whole = Math.ceil(seconds);
  if (whole < 60) return `${whole} s`;
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${whole % 60} s`;
  return `${Math.floor(whole / 3600)} h ${Math.floor((whole % 3600) / 60)} min`;
}
