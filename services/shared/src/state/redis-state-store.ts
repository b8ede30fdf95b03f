import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { AppError, ErrorCode } from '../errors.js';
import { encodeBatch, type RecordOps } from './state-ops.js';

const applyBatchLua = readFileSync(new URL('./apply-batch.lua', import.meta.url), 'utf8');

export interface ApplyBatchInput {
  /** The partition's offsets hash (see keys.ts: offsetsKey). */
  readonly offsetsKey: string;
  /** Which processor and topic the offset belongs to, e.g. `features/events.interactions.v1`. */
  readonly field: string;
  /** Offset of the batch's last record: stored even when the batch produced no ops. */
  readonly lastOffset: bigint;
  readonly records: readonly RecordOps[];
  /**
   * The stored offset the caller read state at (undefined = -1 when the partition was never applied).
   * When given, the apply fails with REC_STATE_OFFSET_MOVED (retriable) if another writer moved it.
   */
  readonly expectedStoredOffset?: bigint | 'none';
}

export interface ApplyBatchResult {
  readonly applied: number;
  readonly skipped: number;
  readonly storedOffset: bigint;
}

/** What a processor needs from its state store: atomic batch apply and the stored offset. */
export interface StateStore {
  applyBatch(input: ApplyBatchInput): Promise<ApplyBatchResult>;
  /** The last applied offset, or undefined when the partition was never applied. */
  storedOffset(offsetsKey: string, field: string): Promise<bigint | undefined>;
}

interface RedisWithApplyBatch extends Redis {
  streamrecApplyBatch(numberOfKeys: number, ...keysAndArgs: string[]): Promise<[number, number, string]>;
}

export function createRedisStateStore(redis: Redis): StateStore {
  // defineCommand caches the script by SHA and falls back to EVAL after a NOSCRIPT (server restart).
  if (!('streamrecApplyBatch' in redis)) redis.defineCommand('streamrecApplyBatch', { lua: applyBatchLua });
  const client = redis as RedisWithApplyBatch;
  return {
    async applyBatch(input) {
      const lastRecord = input.records.at(-1);
      if (lastRecord !== undefined && lastRecord.offset > input.lastOffset) {
        throw new RangeError(`lastOffset ${input.lastOffset} is below the last record's offset ${lastRecord.offset}`);
      }
      const batch = encodeBatch(input.offsetsKey, input.records);
      try {
        const [applied, skipped, stored] = await client.streamrecApplyBatch(
          batch.keys.length,
          ...batch.keys,
          input.field,
          input.lastOffset.toString(),
          batch.opsJson,
          expectedArg(input.expectedStoredOffset),
        );
        return { applied, skipped, storedOffset: BigInt(stored) };
      } catch (cause) {
        if (cause instanceof Error && cause.message.includes('REC_STATE_OFFSET_MOVED')) {
          throw new AppError(ErrorCode.StateOffsetMoved, cause.message.replace(/^.*REC_STATE_OFFSET_MOVED /, 'state offset moved: '), {
            retriable: true,
            cause,
          });
        }
        throw new AppError(ErrorCode.DependencyUnavailable, `applying a state batch to Redis failed: ${(cause as Error).message}`, {
          retriable: true,
          cause,
        });
      }
    },
    async storedOffset(offsetsKey, field) {
      const value = await redis.hget(offsetsKey, field);
      return value === null ? undefined : BigInt(value);
    },
  };
}

function expectedArg(expected: bigint | 'none' | undefined): string {
  if (expected === undefined) return '';
  return expected === 'none' ? '-1' : expected.toString();
}
