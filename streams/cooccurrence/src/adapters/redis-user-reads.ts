import type { Redis } from 'ioredis';
import { AppError, ErrorCode } from '@streamrec/foundation';
import { parseRecentItems, seenToken, type RecentItem, type UserId } from '@streamrec/streams-common';
import type { CooccurrenceUserReads, CooccurrenceUserSnapshot } from '../domain/user-stage.js';

/** What the user stage reads before computing: the stored offset and the domain's reads, together. */
export interface UserStageReads {
  /** The stored offset (undefined = never applied) and the snapshot, in one round trip. */
  read(offsets: { key: string; field: string }, reads: CooccurrenceUserReads): Promise<{ storedOffset: bigint | undefined; snapshot: CooccurrenceUserSnapshot }>;
}

/**
 * One pipelined round trip: `HGET` of the offset first, then the windows and seen-set memberships. A
 * write landing between the replies moves the stored offset, and the fenced apply then refuses the batch.
 */
export function createRedisUserStageReads(redis: Redis): UserStageReads {
  return {
    async read(offsets, reads) {
      const pipeline = redis.pipeline();
      pipeline.hget(offsets.key, offsets.field);
      for (const { key } of reads.windows) pipeline.zrevrange(key, 0, -1, 'WITHSCORES');
      for (const { key, id } of reads.seen) pipeline.sismember(key, id);
      const replies = await pipeline.exec().catch((cause: unknown) => {
        throw new AppError(ErrorCode.DependencyUnavailable, `reading the cooccurrence user state failed: ${(cause as Error).message}`, { retriable: true, cause });
      });
      const values = (replies ?? []).map(([error, value]) => {
        if (error !== null) throw new AppError(ErrorCode.DependencyUnavailable, `reading the cooccurrence user state failed: ${error.message}`, { retriable: true, cause: error });
        return value;
      });
      const stored = values[0];
      const windows = new Map<UserId, readonly RecentItem[]>();
      reads.windows.forEach(({ user }, index) => windows.set(user, parseRecentItems(values[1 + index] as string[])));
      const seen = new Map<string, boolean>();
      reads.seen.forEach(({ key, id }, index) => seen.set(seenToken(key, id), values[1 + reads.windows.length + index] === 1));
      return { storedOffset: typeof stored === 'string' ? BigInt(stored) : undefined, snapshot: { windows, seen } };
    },
  };
}
