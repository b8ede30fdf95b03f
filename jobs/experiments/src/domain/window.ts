import { AppError, ErrorCode } from '@streamrec/foundation';
import type { DataWindow } from './queries.js';

/** --since: a time, or a duration before --until ("7d": the last seven days). */
export type Since = { readonly kind: 'time'; readonly ms: number } | { readonly kind: 'ago'; readonly ms: number };

export const DEFAULT_SINCE: Since = { kind: 'ago', ms: 14 * 86_400_000 };

/** The window of a readout, resolved at run time (a loop's "7d" moves with each run). */
export function resolveWindow(since: Since, untilMs: number | undefined, nowMs: number): DataWindow {
  const toMs = untilMs ?? nowMs;
  const fromMs = since.kind === 'ago' ? toMs - since.ms : since.ms;
  if (toMs <= fromMs) throw new AppError(ErrorCode.InvalidArgument, `the window must end after it starts (${new Date(fromMs).toISOString()} – ${new Date(toMs).toISOString()})`);
  return { fromMs: Math.max(0, fromMs), toMs };
}
