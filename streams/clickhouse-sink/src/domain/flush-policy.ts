/**
 * When a table's buffered rows are inserted: at once when `maxRows` are buffered, otherwise no sooner
 * than `maxDelayMs` after the table's previous insert (at once when that is already past). So a row
 * waits at most `maxDelayMs`, a busy table gets blocks of ≥ `maxRows` rows, and a quiet one at most one
 * small insert per `maxDelayMs`: ClickHouse makes one part per INSERT and wants few, large ones.
 */
export interface FlushPolicy {
  readonly maxRows: number;
  readonly maxDelayMs: number;
}

export const defaultFlushPolicy: FlushPolicy = { maxRows: 1_000, maxDelayMs: 1_000 };

export type FlushDecision = { readonly flush: 'now' } | { readonly flush: 'later'; readonly inMs: number } | { readonly flush: 'nothing' };

export function flushDecision(bufferedRows: number, lastInsertAtMs: number | undefined, nowMs: number, policy: FlushPolicy): FlushDecision {
  if (bufferedRows <= 0) return { flush: 'nothing' };
  if (bufferedRows >= policy.maxRows) return { flush: 'now' };
  if (lastInsertAtMs === undefined) return { flush: 'now' };
  const dueAt = lastInsertAtMs + policy.maxDelayMs;
  return nowMs >= dueAt ? { flush: 'now' } : { flush: 'later', inMs: dueAt - nowMs };
}
