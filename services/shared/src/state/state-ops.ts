/**
 * State changes a processor's pure domain asks for, one or more per input record, applied by the
 * Redis adapter in one atomic step together with the partition's offset (apply-batch.lua).
 *
 * Rules that make a replay byte-for-byte equal to one clean pass, whatever the batch boundaries:
 * - ops are applied in input-offset order, and every op carries the offset of the record it came from;
 * - floats are never pre-aggregated across records (HINCRBYFLOAT a then b ≠ HINCRBYFLOAT a+b in the last bit);
 * - nothing depends on wall-clock time: windows and decay use event time only.
 */
export const OpKind = {
  /** Skip the rest of this record's ops when the id is already in the set (event-id dedup). */
  Guard: 'guard',
  ZIncrBy: 'zincrby',
  ZAdd: 'zadd',
  /** ZADD GT: add the member, or raise its score; never lowers it (newest event time wins). */
  ZAddMax: 'zaddmax',
  ZRem: 'zrem',
  /** Keep only the `count` highest-scored members. */
  ZKeepTop: 'zkeeptop',
  /** Remove members scored at or below `max` (window expiry by event time). */
  ZRemBelow: 'zrembelow',
  HIncrBy: 'hincrby',
  HIncrByFloat: 'hincrbyfloat',
  HSet: 'hset',
  /** HSET only when `value` (a number) is greater than the field's current value. */
  HSetMax: 'hsetmax',
  HDel: 'hdel',
  /** LPUSH then LTRIM to `length`, removing an earlier copy of the value first. */
  LPushUniqueTrim: 'lpushuniquetrim',
  PfAdd: 'pfadd',
  SAdd: 'sadd',
  SRem: 'srem',
  Del: 'del',
} as const;
export type OpKind = (typeof OpKind)[keyof typeof OpKind];

type Arg = string | number;

export type StateOp =
  | { readonly kind: typeof OpKind.Guard; readonly key: string; readonly id: string }
  | { readonly kind: typeof OpKind.ZIncrBy; readonly key: string; readonly member: string; readonly by: number }
  | { readonly kind: typeof OpKind.ZAdd; readonly key: string; readonly member: string; readonly score: number }
  | { readonly kind: typeof OpKind.ZAddMax; readonly key: string; readonly member: string; readonly score: number }
  | { readonly kind: typeof OpKind.ZRem; readonly key: string; readonly member: string }
  | { readonly kind: typeof OpKind.ZKeepTop; readonly key: string; readonly count: number }
  | { readonly kind: typeof OpKind.ZRemBelow; readonly key: string; readonly max: number }
  | { readonly kind: typeof OpKind.HIncrBy; readonly key: string; readonly field: string; readonly by: number }
  | { readonly kind: typeof OpKind.HIncrByFloat; readonly key: string; readonly field: string; readonly by: number }
  | { readonly kind: typeof OpKind.HSet; readonly key: string; readonly field: string; readonly value: string }
  | { readonly kind: typeof OpKind.HSetMax; readonly key: string; readonly field: string; readonly value: number }
  | { readonly kind: typeof OpKind.HDel; readonly key: string; readonly field: string }
  | { readonly kind: typeof OpKind.LPushUniqueTrim; readonly key: string; readonly value: string; readonly length: number }
  | { readonly kind: typeof OpKind.PfAdd; readonly key: string; readonly element: string }
  | { readonly kind: typeof OpKind.SAdd; readonly key: string; readonly member: string }
  | { readonly kind: typeof OpKind.SRem; readonly key: string; readonly member: string }
  | { readonly kind: typeof OpKind.Del; readonly key: string };

/** The ops one input record produced, tagged with its offset. */
export interface RecordOps {
  readonly offset: bigint;
  readonly ops: readonly StateOp[];
}

export interface EncodedBatch {
  /** Every key the batch touches, once; KEYS[1] is the offsets hash. */
  readonly keys: readonly string[];
  /** JSON array of [offset, kind, keyIndex, ...args] (keyIndex is 1-based into KEYS). */
  readonly opsJson: string;
  readonly opCount: number;
}

/** Encodes ops for the Lua script; keys are passed as KEYS so the script is valid on Redis Cluster. */
export function encodeBatch(offsetsKey: string, records: readonly RecordOps[]): EncodedBatch {
  const keys = [offsetsKey];
  const keyIndex = new Map<string, number>([[offsetsKey, 1]]);
  const indexOf = (key: string): number => {
    let index = keyIndex.get(key);
    if (index === undefined) {
      keys.push(key);
      index = keys.length;
      keyIndex.set(key, index);
    }
    return index;
  };
  const encoded: Arg[][] = [];
  let previous = -1n;
  for (const record of records) {
    if (record.offset <= previous) throw new RangeError(`ops must come in increasing offset order (${record.offset} after ${previous})`);
    previous = record.offset;
    const offset = record.offset.toString();
    for (const op of record.ops) encoded.push([offset, op.kind, indexOf(op.key), ...opArgs(op)]);
  }
  return { keys, opsJson: JSON.stringify(encoded), opCount: encoded.length };
}

function opArgs(op: StateOp): Arg[] {
  switch (op.kind) {
    case OpKind.Guard:
      return [op.id];
    case OpKind.ZIncrBy:
      return [number(op.by), op.member];
    case OpKind.ZAdd:
    case OpKind.ZAddMax:
      return [number(op.score), op.member];
    case OpKind.ZRem:
    case OpKind.SAdd:
    case OpKind.SRem:
      return [op.member];
    case OpKind.ZKeepTop:
      return [integer(op.count)];
    case OpKind.ZRemBelow:
      return [number(op.max)];
    case OpKind.HIncrBy:
      return [op.field, integer(op.by)];
    case OpKind.HIncrByFloat:
      return [op.field, number(op.by)];
    case OpKind.HSet:
      return [op.field, op.value];
    case OpKind.HSetMax:
      return [op.field, number(op.value)];
    case OpKind.HDel:
      return [op.field];
    case OpKind.LPushUniqueTrim:
      return [op.value, integer(op.length)];
    case OpKind.PfAdd:
      return [op.element];
    case OpKind.Del:
      return [];
  }
}

/** Floats travel as their shortest round-trip text, so Redis parses exactly the JS value. */
function number(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`state ops take finite numbers, got ${value}`);
  return String(value);
}

function integer(value: number): string {
  if (!Number.isSafeInteger(value)) throw new RangeError(`expected a safe integer, got ${value}`);
  return String(value);
}
