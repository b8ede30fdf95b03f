import type { Redis } from 'ioredis';
import { AppError, ErrorCode, offsetsKey } from '@streamrec/foundation';
import { clockKey } from '../domain/trending-keys.js';
import type { TrendingStateReader } from './item-stage-handler.js';

/** Stored offset and clock fields in one pipelined round trip (both in the partition's hash slot). */
export function createRedisTrendingStateReader(redis: Redis): TrendingStateReader {
  return {
    async read(context, field, clockFields) {
      const pipeline = redis.pipeline().hget(offsetsKey(context.version, context.partition), field);
      if (clockFields.length > 0) pipeline.hmget(clockKey(context, context.partition), ...clockFields);
      let replies: [Error | null, unknown][] | null;
      try {
        replies = await pipeline.exec();
      } catch (cause) {
        throw new AppError(ErrorCode.DependencyUnavailable, 'reading the trending clock failed', { retriable: true, cause });
      }
      const failed = replies?.find(([error]) => error !== null)?.[0];
      if (replies === null || failed !== undefined) {
        throw new AppError(ErrorCode.DependencyUnavailable, `reading the trending clock failed: ${failed?.message ?? 'no reply'}`, { retriable: true, cause: failed });
      }
      const stored = replies[0]?.[1];
      return {
        storedOffset: typeof stored === 'string' ? BigInt(stored) : undefined,
        clock: clockFields.length > 0 ? (replies[1]?.[1] as (string | null)[]) : [],
      };
    },
  };
}
