import type { Redis } from 'ioredis';
import { AppError, ErrorCode, dedupWatermarkMember } from '@streamrec/foundation';
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
      const { memberships, registries } = reads.seen;
      for (const { key, id } of memberships) pipeline.sismember(key, id);
      for (const registry of registries) pipeline.zscore(registry, dedupWatermarkMember);
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
      let next = 1 + reads.windows.length;
      const score = (): number | undefined => {
        const value = values[next++];
        return typeof value === 'string' ? Number(value) : undefined;
      };
      const seen = { memberships: new Map<string, boolean>(), watermarks: new Map<string, number | undefined>() };
      for (const { key, id } of memberships) seen.memberships.set(seenToken(key, id), values[next++] === 1);
      for (const registry of registries) seen.watermarks.set(registry, score());
      return { storedOffset: typeof stored === 'string' ? BigInt(stored) : undefined, snapshot: { windows, seen } };
    },
  };
}
