import type { Interaction, ItemChange, UserChange } from '@streamrec/schemas';
import type { Rejection, SkipReason } from './outcome.js';
import type { ParkedRow } from './parking-lot.js';
import type { StateChange } from './normalize-state.js';
import type { Stitch } from './visitor-identity.js';

/** An entry for `dlq.normalize`. */
export interface DeadLetter {
  readonly rejection: Rejection;
  /**
   * Absent: the input record itself is rejected (dead-letter its original key and value).
   * Present: a row parked earlier is given up (evicted, or rejected when finally mapped);
   * dead-letter this decoded row, the input record itself is fine.
   */
  readonly parked?: ParkedRow;
}

/** A row that now waits in the parking lot (for metrics: `normalize_parked_total`). */
export interface ParkedNote {
  readonly key: string;
  readonly waitingFor: readonly string[];
}

/** Everything one input record produced. Output lists are in the order they were produced. */
export interface NormalizeResult {
  /** → events.interactions.v1, key `user_id`. */
  readonly interactions: Interaction[];
  /** → events.items.v1, key `id`. */
  readonly items: ItemChange[];
  /** → events.users.v1, key `id`. */
  readonly users: UserChange[];
  /** → dlq.normalize. */
  readonly deadLetters: DeadLetter[];
  /** Visitors linked to users (logs / metrics; their re-emitted interactions are in `interactions`). */
  readonly stitches: Stitch[];
  readonly parked: ParkedNote[];
  /** Benign reasons for producing nothing (metrics only). */
  readonly skipped: SkipReason[];
  /** Writes to persist atomically with the record's offset, after the outputs are acknowledged. */
  readonly stateChanges: StateChange[];
}

export function emptyResult(): NormalizeResult {
  return { interactions: [], items: [], users: [], deadLetters: [], stitches: [], parked: [], skipped: [], stateChanges: [] };
}
