import { isAppError, ErrorCode } from '@streamrec/foundation';

/** Budgeted steps of a request; each has its own time budget and timeout counter. */
export const Stage = {
  Profile: 'redis_profile',
  Recall: 'redis_recall',
  Features: 'redis_features',
  Ranking: 'ranking',
} as const;
export type Stage = (typeof Stage)[keyof typeof Stage];

/** Runs one stage under its budget; rejects with `REC_TIMEOUT` when the budget runs out. */
export type StageRunner = <T>(stage: Stage, work: () => Promise<T>) => Promise<T>;

export function isTimeout(error: unknown): boolean {
  return isAppError(error, ErrorCode.Timeout);
}
