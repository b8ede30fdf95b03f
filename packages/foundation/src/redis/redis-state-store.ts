import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { AppError, ErrorCode } from '../errors.js';
import { encodeBatch, type RecordOps } from '../state/state-ops.js';
import type { StateStore } from '../state/state-store.js';

const applyBatchLua = readFileSync(new URL('./apply-batch.lua', import.meta.url), 'utf8');

interface RedisWithApplyBatch extends Redis {
  streamrecApplyBatch(numberOfKeys: number, ...keysAndArgs: string[]): Promise<[number, number, string]>;
}

export interface RedisStateStoreOptions {
  /**
   * A batch is applied in calls of at most about this many ops (whole records), chained so that each
   * call applies only after the previous one did. Bounds how long one script blocks Redis (other
   * partitions and processes wait behind it), and keeps each script's JSON small.
   */
  readonly maxOpsPerCall?: number;
}

/**
 * ~1.3 ms of script on the bench machine: 0.9 % of the bench's scripts ran over 5 ms (10,000 ops: 92 %,
 * 60–200 ms each). The no-ops the script proves (apply-batch.lua) are proven within one call, so
 * smaller calls prove fewer: more commands per interaction, for Redis free to serve reads in between.
 */
const defaultMaxOpsPerCall = 250;

export function createRedisStateStore(redis: Redis, options: RedisStateStoreOptions = {}): StateStore {
  // defineCommand caches the script by SHA and falls back to EVAL after a NOSCRIPT (server restart).
  if (!('streamrecApplyBatch' in redis)) redis.defineCommand('streamrecApplyBatch', { lua: applyBatchLua });
  const client = redis as RedisWithApplyBatch;
  const maxOps = options.maxOpsPerCall ?? defaultMaxOpsPerCall;
  return {
    async applyBatch(input) {
      const lastRecord = input.records.at(-1);
      if (lastRecord !== undefined && lastRecord.offset > input.lastOffset) {
        throw new RangeError(`lastOffset ${input.lastOffset} is below the last record's offset ${lastRecord.offset}`);
      }
      // Each chunk stores its last record's offset (the final one the batch's lastOffset). A chunk after
      // the first is fenced on the one before: on the exact offset when the caller fences (a stage that
      // read state), else on "at least" (a re-delivered batch may already be stored beyond it).
      // Everything is encoded before the first call: an op the encoder refuses fails the whole batch, as
      // one call would. The calls are then pipelined (sent together, run by Redis in order).
      const deletedKeys = new Set<string>();
      const chunks = chunkRecords(input.records, maxOps);
      const encoded = chunks.map((records) => encodeBatch(input.offsetsKey, records, deletedKeys));
      const calls: Promise<[number, number, string]>[] = [];
      let expected = expectedArg(input.expectedStoredOffset);
      let minimum = '';
      for (const [index, batch] of encoded.entries()) {
        const final = index === encoded.length - 1;
        const store = final || batch.lastRecordOffset === undefined ? input.lastOffset : batch.lastRecordOffset;
        // Only the first call checks continuity: the later ones are fenced on it.
        const readFrom = index === 0 && input.readFrom !== undefined ? input.readFrom.offset.toString() : '';
        const freshStart = index === 0 && input.readFrom?.freshStart !== undefined ? input.readFrom.freshStart.toString() : '';
        calls.push(client.streamrecApplyBatch(batch.keys.length, ...batch.keys, input.field, store.toString(), batch.opsJson, expected, minimum, readFrom, freshStart));
        if (expected !== '') expected = BigInt(expected) > store ? expected : store.toString();
        else minimum = store.toString();
      }
      const settled = await Promise.allSettled(calls);
      let applied = 0;
      let skipped = 0;
      let stored = '-1';
      for (const result of settled) {
        if (result.status === 'rejected') throw applyError(result.reason);
        applied += result.value[0];
        skipped += result.value[1];
        stored = result.value[2];
      }
      return { applied, skipped, storedOffset: BigInt(stored) };
    },
    async storedOffset(offsetsKey, field) {
      const value = await redis.hget(offsetsKey, field);
      return value === null ? undefined : BigInt(value);
    },
  };
}

/** Whole records, about `maxOps` ops per chunk; always at least one chunk (an empty batch still stores its offset). */
export function chunkRecords(records: readonly RecordOps[], maxOps: number): (readonly RecordOps[])[] {
  const chunks: RecordOps[][] = [];
  let current: RecordOps[] = [];
  let ops = 0;
  for (const record of records) {
    if (current.length > 0 && ops + record.ops.length > maxOps) {
      chunks.push(current);
      current = [];
      ops = 0;
    }
    current.push(record);
    ops += record.ops.length;
  }
  chunks.push(current);
  return chunks;
}

function applyError(cause: unknown): AppError {
  if (cause instanceof Error && cause.message.includes('REC_STATE_OFFSET_MOVED')) {
    return new AppError(ErrorCode.StateOffsetMoved, cause.message.replace(/^.*REC_STATE_OFFSET_MOVED /, 'state offset moved: '), { retriable: true, cause });
  }
  const gap = cause instanceof Error ? /REC_STATE_GAP stored offset is (-?\d+), the batch was read from (\d+), resume at (\d+)/.exec(cause.message) : null;
  if (gap !== null) {
    const resumeAt = BigInt(gap[3]!);
    const stored = gap[1] === '-1' ? 'no stored offset (rolled back to before its first apply)' : `stored offset ${gap[1]}`;
    return new AppError(ErrorCode.StateOffsetGap, `the state store is behind the consumer: ${stored}, batch read from ${gap[2]}; re-reading from ${resumeAt}`, {
      retriable: true,
      cause,
      details: { resumeAt: resumeAt.toString() },
    });
  }
  if (cause instanceof Error && cause.message.includes('REC_STATE_PARTIAL')) {
    // Not retriable: a retry would apply the writes that did land a second time.
    return new AppError(
      ErrorCode.StatePartiallyApplied,
      `${cause.message.replace(/^.*REC_STATE_PARTIAL /, 'a state batch was partly applied: ')}; this partition stops until its state is rebuilt (npm run replay, docs/OPERATIONS.md)`,
      { retriable: false, cause },
    );
  }
  return new AppError(ErrorCode.DependencyUnavailable, `applying a state batch to Redis failed: ${(cause as Error).message}`, { retriable: true, cause });
}

function expectedArg(expected: bigint | 'none' | undefined): string {
  if (expected === undefined) return '';
  return expected === 'none' ? '-1' : expected.toString();
}
