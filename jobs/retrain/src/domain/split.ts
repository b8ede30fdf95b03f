import { AppError, ErrorCode } from '@streamrec/foundation';

export const SPLITS = ['train', 'valid', 'holdout'] as const;
export type SplitName = (typeof SPLITS)[number];

export interface SplitFractions {
  /** Share of the requests (the newest ones) held out for the gate. */
  readonly holdout: number;
  /** Share of the requests just before the holdout, for early stopping and the objective choice. */
  readonly valid: number;
}

/** Request index ranges [start, end) of each split, requests ordered by time (oldest first). */
export type SplitRanges = Readonly<Record<SplitName, { readonly start: number; readonly end: number }>>;

/**
 * A time-based split by request: the newest share of the requests is the holdout, the share before it
 * the valid split, the rest trains. Every split gets at least one request (each kept request has a
 * positive label, which the trainer needs in train and valid).
 */
export function splitByRequestTime(requests: number, fractions: SplitFractions): SplitRanges {
  if (requests < SPLITS.length) {
    throw new AppError(ErrorCode.InvalidArgument, `not enough data: ${requests} request(s) with a positive label in the window, at least ${SPLITS.length} are needed (one per split)`);
  }
  const holdout = Math.max(1, Math.round(requests * fractions.holdout));
  const valid = Math.max(1, Math.round(requests * fractions.valid));
  const train = requests - holdout - valid;
  if (train < 1) throw new AppError(ErrorCode.InvalidArgument, `not enough data: ${requests} requests leave none for training after ${valid} valid and ${holdout} holdout requests`);
  return { train: { start: 0, end: train }, valid: { start: train, end: train + valid }, holdout: { start: train + valid, end: requests } };
}
