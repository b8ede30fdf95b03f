/**
 * Time completeness on an hourly series. A gap is a run of hours without events that has hours with
 * events on both sides: the pipeline (or the source) went quiet while it was busy before and after. Empty
 * hours at the start or the end of the window are reported apart: they may be a window that begins before
 * the data or a quiet night, and the end of the window may be the current, unfinished hour.
 */

export const HOUR_MS = 3_600_000;

export interface Gap {
  /** First empty hour, epoch ms. */
  readonly fromMs: number;
  /** Number of consecutive empty hours. */
  readonly hours: number;
}

export interface Completeness {
  readonly hours: number;
  readonly hoursWithEvents: number;
  readonly gaps: readonly Gap[];
  /** Empty hours inside gaps. */
  readonly gapHours: number;
  /** The longest gap in hours (0 when there is none). */
  readonly longestGapHours: number;
  readonly leadingEmptyHours: number;
  readonly trailingEmptyHours: number;
}

/** The hour starts covering [fromMs, toMs): from the hour of `fromMs` to the hour holding the last instant. */
export function hourStarts(fromMs: number, toMs: number): number[] {
  const first = Math.floor(fromMs / HOUR_MS) * HOUR_MS;
  const hours: number[] = [];
  for (let hour = first; hour < toMs; hour += HOUR_MS) hours.push(hour);
  return hours;
}

/** Gaps of a dense hourly series (counts[i] = events in hour i, starting at `firstHourMs`). */
export function completeness(counts: readonly number[], firstHourMs: number): Completeness {
  const busy = counts.map((count) => count > 0);
  const firstBusy = busy.indexOf(true);
  const lastBusy = busy.lastIndexOf(true);
  const gaps: Gap[] = [];
  if (firstBusy >= 0) {
    let runStart = -1;
    for (let index = firstBusy; index <= lastBusy; index += 1) {
      if (!busy[index] && runStart < 0) runStart = index;
      if (busy[index] && runStart >= 0) {
        gaps.push({ fromMs: firstHourMs + runStart * HOUR_MS, hours: index - runStart });
        runStart = -1;
      }
    }
  }
  const gapHours = gaps.reduce((total, gap) => total + gap.hours, 0);
  return {
    hours: counts.length,
    hoursWithEvents: busy.filter(Boolean).length,
    gaps,
    gapHours,
    longestGapHours: gaps.reduce((longest, gap) => Math.max(longest, gap.hours), 0),
    leadingEmptyHours: firstBusy < 0 ? counts.length : firstBusy,
    trailingEmptyHours: lastBusy < 0 ? counts.length : counts.length - 1 - lastBusy,
  };
}

/** Sparse (hour, count) rows as a dense series over `hours`. */
export function denseSeries(hours: readonly number[], rows: readonly { readonly hourMs: number; readonly count: number }[]): number[] {
  const byHour = new Map<number, number>();
  for (const row of rows) byHour.set(row.hourMs, (byHour.get(row.hourMs) ?? 0) + row.count);
  return hours.map((hour) => byHour.get(hour) ?? 0);
}
