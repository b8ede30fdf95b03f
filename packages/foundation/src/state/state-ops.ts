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
  /**
   * Event-id dedup on a seen-set per event day whose life follows the partition's event time
   * (event-dedup.ts): raises the stage's newest event day (its registry's watermark) to `day`, deletes
   * every seen-set the registry lists whose day is `retentionDays` or more behind the watermark, then works
   * as a Guard on `key`, listed in the registry (a record whose own day is already that far behind is
   * counted and leaves no set). The registry lists a set by `member`, the part of `key` that names its day
   * (`key` holds it once, between colons), so the registry is the same in every state version: the key of
   * a listed set is `key` with `member` replaced.
   */
  Dedup: 'dedup',
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
  /** HSET only when `value` (a number) is smaller than the field's current value (or the field is absent). */
  HSetMin: 'hsetmin',
  /**
   * An exponentially decayed counter kept as two hash fields, `field` (its value as of `field@t`) and
   * `field@t` (event time, ms): adds `by` at `time`, decaying with the half-life. A later event decays
   * the held value to its time first; an earlier one adds its increment decayed to the held time. No
   * overflow horizon (unlike forward decay), so half-lives of an hour are fine.
   */
  HDecayAdd: 'hdecayadd',
  HDel: 'hdel',
  /** LPUSH then LTRIM to `length`, removing an earlier copy of the value first. */
  LPushUniqueTrim: 'lpushuniquetrim',
  PfAdd: 'pfadd',
  SAdd: 'sadd',
  SRem: 'srem',
  Del: 'del',
} as const;
export type OpKind = (typeof OpKind)[keyof typeof OpKind];

export type StateOp =
  | { readonly kind: typeof OpKind.Guard; readonly key: string; readonly id: string }
  | {
      readonly kind: typeof OpKind.Dedup;
      readonly key: string;
      readonly id: string;
      readonly registry: string;
      readonly member: string;
      readonly day: number;
      readonly retentionDays: number;
    }
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
  | { readonly kind: typeof OpKind.HSetMin; readonly key: string; readonly field: string; readonly value: number }
  | { readonly kind: typeof OpKind.HDecayAdd; readonly key: string; readonly field: string; readonly by: number; readonly time: number; readonly halfLifeMs: number }
  | { readonly kind: typeof OpKind.HDel; readonly key: string; readonly field: string }
  | { readonly kind: typeof OpKind.LPushUniqueTrim; readonly key: string; readonly value: string; readonly length: number }
  | { readonly kind: typeof OpKind.PfAdd; readonly key: string; readonly element: string }
  | { readonly kind: typeof OpKind.SAdd; readonly key: string; readonly member: string }
  | { readonly kind: typeof OpKind.SRem; readonly key: string; readonly member: string }
  | { readonly kind: typeof OpKind.Del; readonly key: string };

/**
 * The member of a Dedup registry whose score is minus the newest event day its stage has seen (negative,
 * so a sweep over expiry days 0..watermark never reaches it). apply-batch.lua uses the same name.
 */
export const dedupWatermarkMember = 'watermark';

/** The hash field holding the event time of a decayed counter (`HDecayAdd`). */
export const decayTimeField = (field: string): string => `${field}@t`;

/**
 * The arithmetic of `HDecayAdd` (apply-batch.lua does the same in the same order, in doubles): the new
 * value and time after adding `by` at `time` to `value` held as of `heldTime`.
 */
export function decayAdd(value: number, heldTime: number | undefined, by: number, time: number, halfLifeMs: number): { readonly value: number; readonly time: number } {
  if (heldTime === undefined) return { value: by, time };
  if (time >= heldTime) return { value: value * 2 ** (-(time - heldTime) / halfLifeMs) + by, time };
  return { value: value + by * 2 ** (-(heldTime - time) / halfLifeMs), time: heldTime };
}

/** A decayed counter's value at `nowMs` (read side): 0 when absent. */
export function decayedCounter(value: number | undefined, heldTime: number | undefined, nowMs: number, halfLifeMs: number): number {
  if (value === undefined || heldTime === undefined || !Number.isFinite(value)) return 0;
  return nowMs <= heldTime ? value : value * 2 ** (-(nowMs - heldTime) / halfLifeMs);
}

/** The ops one input record produced, tagged with its offset. */
export interface RecordOps {
  readonly offset: bigint;
  readonly ops: readonly StateOp[];
}

export interface EncodedBatch {
  /** Every key the batch touches, once; KEYS[1] is the offsets hash. */
  readonly keys: readonly string[];
  /**
   * Flat JSON array, per record: `offset, opCount`, then per op `kindCode, keyIndex, args...` (keyIndex
   * is 1-based into KEYS; the number of args is fixed per kind, see `opCodes`). Flat rather than an
   * array per op: no per-op array on either side of the call (cjson builds one table per array).
   */
  readonly opsJson: string;
  readonly opCount: number;
  /** Offset of the last record encoded (undefined for an empty batch). */
  readonly lastRecordOffset: bigint | undefined;
}

/** The wire code of each kind and how many args follow its key index (apply-batch.lua has the same table). */
export const opCodes: Readonly<Record<OpKind, { readonly code: number; readonly args: number }>> = {
  [OpKind.Guard]: { code: 1, args: 1 },
  [OpKind.ZIncrBy]: { code: 2, args: 2 },
  [OpKind.ZAdd]: { code: 3, args: 2 },
  [OpKind.ZAddMax]: { code: 4, args: 2 },
  [OpKind.ZRem]: { code: 5, args: 1 },
  [OpKind.ZKeepTop]: { code: 6, args: 1 },
  [OpKind.ZRemBelow]: { code: 7, args: 1 },
  [OpKind.HIncrBy]: { code: 8, args: 2 },
  [OpKind.HIncrByFloat]: { code: 9, args: 2 },
  [OpKind.HSet]: { code: 10, args: 2 },
  [OpKind.HSetMax]: { code: 11, args: 2 },
  [OpKind.HDel]: { code: 12, args: 1 },
  [OpKind.LPushUniqueTrim]: { code: 13, args: 2 },
  [OpKind.PfAdd]: { code: 14, args: 1 },
  [OpKind.SAdd]: { code: 15, args: 1 },
  [OpKind.SRem]: { code: 16, args: 1 },
  [OpKind.Del]: { code: 17, args: 0 },
  [OpKind.HSetMin]: { code: 18, args: 2 },
  [OpKind.HDecayAdd]: { code: 19, args: 4 },
  [OpKind.Dedup]: { code: 20, args: 5 },
};

/**
 * Encodes ops for the Lua script; keys are passed as KEYS so the script is valid on Redis Cluster.
 *
 * A `Del` of a key the batch already deleted, with no op naming that key since, is left out: the key
 * is absent at that point in every pass. (Also when the script skips the first delete because its
 * record is at or below the stored offset: that record's ops, and those of every record after it up to
 * the stored offset, were applied before, deterministically the same, and none of them named the key.)
 * (Seen-set expiry once made every record delete the same few keys; the Dedup op now sweeps in the script.)
 * `deletedKeys` carries that knowledge from one chunk of a batch to the next (see redis-state-store).
 */
export function encodeBatch(offsetsKey: string, records: readonly RecordOps[], deletedKeys: Set<string> = new Set()): EncodedBatch {
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
  const parts: string[] = [];
  let opCount = 0;
  let previous = -1n;
  for (const record of records) {
    if (record.offset <= previous) throw new RangeError(`ops must come in increasing offset order (${record.offset} after ${previous})`);
    previous = record.offset;
    const countAt = parts.length + 1;
    parts.push(`"${record.offset}"`, '0');
    let count = 0;
    for (const op of record.ops) {
      if (op.kind === OpKind.Del) {
        if (deletedKeys.has(op.key)) continue;
        deletedKeys.add(op.key);
      } else if (deletedKeys.size > 0) {
        deletedKeys.delete(op.key);
      }
      parts.push(String(opCodes[op.kind].code), String(indexOf(op.key)));
      if (op.kind === OpKind.Dedup) {
        // The registry is a second key: its index travels as the first arg.
        deletedKeys.delete(op.registry);
        if (!op.key.includes(`:${op.member}:`)) throw new RangeError(`a dedup key must name its registry member between colons: ${op.key}, ${op.member}`);
        parts.push(String(indexOf(op.registry)), text(op.id), text(op.member), integer(op.day), integer(op.retentionDays));
      } else {
        pushArgs(parts, op);
      }
      count += 1;
    }
    parts[countAt] = String(count);
    opCount += count;
  }
  return { keys, opsJson: `[${parts.join(',')}]`, opCount, lastRecordOffset: records.length === 0 ? undefined : previous };
}

function pushArgs(parts: string[], op: Exclude<StateOp, { readonly kind: typeof OpKind.Dedup }>): void {
  switch (op.kind) {
    case OpKind.Guard:
      parts.push(text(op.id));
      return;
    case OpKind.ZIncrBy:
      parts.push(number(op.by), text(op.member));
      return;
    case OpKind.ZAdd:
    case OpKind.ZAddMax:
      parts.push(number(op.score), text(op.member));
      return;
    case OpKind.ZRem:
    case OpKind.SAdd:
    case OpKind.SRem:
      parts.push(text(op.member));
      return;
    case OpKind.ZKeepTop:
      parts.push(integer(op.count));
      return;
    case OpKind.ZRemBelow:
      parts.push(number(op.max));
      return;
    case OpKind.HIncrBy:
      parts.push(text(op.field), integer(op.by));
      return;
    case OpKind.HIncrByFloat:
      parts.push(text(op.field), number(op.by));
      return;
    case OpKind.HSet:
      parts.push(text(op.field), text(op.value));
      return;
    case OpKind.HSetMax:
    case OpKind.HSetMin:
      parts.push(text(op.field), number(op.value));
      return;
    case OpKind.HDecayAdd:
      if (!(op.halfLifeMs > 0)) throw new RangeError(`a decayed counter needs a positive half-life, got ${op.halfLifeMs}`);
      parts.push(text(op.field), number(op.by), integer(op.time), number(op.halfLifeMs));
      return;
    case OpKind.HDel:
      parts.push(text(op.field));
      return;
    case OpKind.LPushUniqueTrim:
      parts.push(text(op.value), integer(op.length));
      return;
    case OpKind.PfAdd:
      parts.push(text(op.element));
      return;
    case OpKind.Del:
      return;
  }
}

/** JSON string literal; the common case (ids, fields, members) needs no escaping and skips JSON.stringify. */
const plain = /^[\w:.\-+ /@#]*$/;
function text(value: string): string {
  return plain.test(value) ? `"${value}"` : JSON.stringify(value);
}

/** Floats travel as their shortest round-trip text, so Redis parses exactly the JS value. */
function number(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`state ops take finite numbers, got ${value}`);
  return `"${value}"`;
}

function integer(value: number): string {
  if (!Number.isSafeInteger(value)) throw new RangeError(`expected a safe integer, got ${value}`);
  return `"${value}"`;
}
