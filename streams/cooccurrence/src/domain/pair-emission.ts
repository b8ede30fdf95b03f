/**
 * Which records of a batch emit their pairs to events.cooccurrence.v1. The pairs of an input offset are
 * emitted once, by whichever process (state version) folds it first past the output's progress — the
 * progress is committed with the pairs in one Kafka transaction, independent of Redis. Pairs are a
 * deterministic function of the records before them in the partition, so every process that folded the
 * partition from its first record computes the same pairs; a process may therefore only *continue* the
 * chain (its batch starts at or before the progress) or *start* it (nothing emitted yet, and its batch
 * starts at the partition's first retained offset). A process whose state begins later (started from the
 * latest offset or a timestamp, state older than the output) would jump the progress over records nobody
 * emitted, so it emits nothing and leaves the chain to a process that can continue it. Pure.
 */
export const PairEmissionSkip = {
  /** The output is already past this batch: everything here was emitted (a retry, a replay, another version). */
  AlreadyEmitted: 'already_emitted',
  /** The output stops before this batch: records between were not emitted and this process cannot compute them. */
  Gap: 'gap',
  /** Nothing was ever emitted and this process's state does not start at the partition's first record. */
  NoChainStart: 'no_chain_start',
} as const;
export type PairEmissionSkip = (typeof PairEmissionSkip)[keyof typeof PairEmissionSkip];

export type PairEmissionPlan =
  /** Emit the pairs of records at or after `from`, and store `next` as the progress. */
  | { readonly emit: true; readonly from: bigint; readonly next: bigint }
  | { readonly emit: false; readonly reason: PairEmissionSkip };

export interface PairEmissionInput {
  /** The first offset of the batch this process applies (right after its stored offset). */
  readonly firstOffset: bigint;
  /** The batch's last offset. */
  readonly lastOffset: bigint;
  /** The output's progress: the first input offset not emitted yet; undefined when nothing was. */
  readonly next: bigint | undefined;
  /** The input partition's first retained offset. */
  readonly logStart: bigint;
}

export function pairEmissionPlan(input: PairEmissionInput): PairEmissionPlan {
  const next = input.lastOffset + 1n;
  if (input.next === undefined) {
    return input.firstOffset <= input.logStart ? { emit: true, from: input.firstOffset, next } : { emit: false, reason: PairEmissionSkip.NoChainStart };
  }
  if (input.next > input.lastOffset) return { emit: false, reason: PairEmissionSkip.AlreadyEmitted };
  if (input.firstOffset > input.next) return { emit: false, reason: PairEmissionSkip.Gap };
  return { emit: true, from: input.next, next };
}
