import { AppError, ErrorCode } from '@streamrec/foundation';

/** The exposure window of a run: exposures with fromMs <= time < toMs (UTC epoch milliseconds). */
export interface DataWindow {
  readonly fromMs: number;
  readonly toMs: number;
  /** True when the requested end was moved back to now − label window. */
  readonly clipped: boolean;
}

export interface DataWindowRequest {
  readonly nowMs: number;
  readonly labelWindowMs: number;
  /** How far back from the end the window starts when `fromMs` is not given. */
  readonly lookbackMs: number;
  readonly fromMs?: number | undefined;
  readonly toMs?: number | undefined;
}

/**
 * The end is at most now − label window: a newer exposure's label window has not passed, so an item the
 * user will still buy would be labelled 0. The start defaults to end − lookback.
 */
export function resolveDataWindow(request: DataWindowRequest): DataWindow {
  const latestComplete = request.nowMs - request.labelWindowMs;
  const toMs = Math.min(request.toMs ?? latestComplete, latestComplete);
  const fromMs = request.fromMs ?? toMs - request.lookbackMs;
  if (fromMs < 0 || fromMs >= toMs) {
    const clippedNote = request.toMs !== undefined && request.toMs > latestComplete ? ` (the end was moved back to now − label window, ${new Date(latestComplete).toISOString()})` : '';
    throw new AppError(ErrorCode.InvalidArgument, `empty data window: from ${new Date(Math.max(0, fromMs)).toISOString()} is not before to ${new Date(toMs).toISOString()}${clippedNote}`);
  }
  return { fromMs, toMs, clipped: request.toMs !== undefined && request.toMs > latestComplete };
}
