import { OpKind, decayAdd, dedupWatermarkMember, decayTimeField, type RecordOps, type StateOp, type StateStore } from '@streamrec/foundation';
import { seenToken, type DedupReads, type DedupSnapshot } from '../domain/event-dedup.js';

/**
 * In-memory fake of the Redis state store for domain tests: the same op semantics as
 * packages/foundation/src/redis/apply-batch.lua (offset skip, guard skipping the rest of a record,
 * ZKeepTop ranking ties by member), so tests can fold batches, read state back and compare dumps.
 */
type Value =
  | { readonly type: 'zset'; readonly members: Map<string, number> }
  | { readonly type: 'hash'; readonly fields: Map<string, string> }
  | { readonly type: 'set'; readonly members: Set<string> }
  | { readonly type: 'list'; items: string[] };

export interface MemoryState {
  /** Applies a batch like applyBatch: records at or below the stored offset of `offsetsKey`/`field` are skipped. */
  applyBatch(offsetsKey: string, field: string, records: readonly RecordOps[]): void;
  storedOffset(offsetsKey: string, field: string): bigint | undefined;
  /** ZREVRANGE key 0 -1 WITHSCORES. */
  zrevrangeWithScores(key: string): string[];
  zscore(key: string, member: string): number | undefined;
  hget(key: string, field: string): string | undefined;
  sismember(key: string, member: string): boolean;
  keys(): string[];
  /** Every key with a canonical rendering of its value, for whole-state equality. */
  dump(): Record<string, string>;
}

export function createMemoryState(): MemoryState {
  const data = new Map<string, Value>();

  const zset = (key: string): Map<string, number> => {
    const value = data.get(key);
    if (value?.type === 'zset') return value.members;
    const members = new Map<string, number>();
    data.set(key, { type: 'zset', members });
    return members;
  };
  const hash = (key: string): Map<string, string> => {
    const value = data.get(key);
    if (value?.type === 'hash') return value.fields;
    const fields = new Map<string, string>();
    data.set(key, { type: 'hash', fields });
    return fields;
  };
  const set = (key: string): Set<string> => {
    const value = data.get(key);
    if (value?.type === 'set') return value.members;
    const members = new Set<string>();
    data.set(key, { type: 'set', members });
    return members;
  };
  const dropEmpty = (key: string): void => {
    const value = data.get(key);
    if (value === undefined) return;
    const size = value.type === 'zset' ? value.members.size : value.type === 'hash' ? value.fields.size : value.type === 'set' ? value.members.size : value.items.length;
    if (size === 0) data.delete(key);
  };
  const ranked = (members: Map<string, number>): [string, number][] =>
    [...members].sort(([ma, sa], [mb, sb]) => (sa !== sb ? sa - sb : ma < mb ? -1 : ma > mb ? 1 : 0));

  /** Returns false when a guard fails (the rest of the record is skipped). */
  const applyOp = (op: StateOp): boolean => {
    switch (op.kind) {
      case OpKind.Guard: {
        const members = set(op.key);
        if (members.has(op.id)) return false;
        members.add(op.id);
        return true;
      }
      case OpKind.Dedup: {
        // apply-batch.lua's dedup without its per-call caches (they are exact, so the state is the same).
        const registry = zset(op.registry);
        const held = registry.get(dedupWatermarkMember);
        const watermark = Math.max(held === undefined ? -1 : -held, op.day);
        registry.set(dedupWatermarkMember, -watermark);
        const at = op.key.indexOf(`:${op.member}:`) + 1;
        for (const [member, expiry] of [...registry]) {
          if (expiry >= 0 && expiry <= watermark) {
            registry.delete(member);
            data.delete(`${op.key.slice(0, at)}${member}${op.key.slice(at + op.member.length)}`);
          }
        }
        if (op.day + op.retentionDays <= watermark) return true;
        registry.set(op.member, op.day + op.retentionDays);
        const members = set(op.key);
        if (members.has(op.id)) return false;
        members.add(op.id);
        return true;
      }
      case OpKind.ZIncrBy: {
        const members = zset(op.key);
        members.set(op.member, (members.get(op.member) ?? 0) + op.by);
        break;
      }
      case OpKind.ZAdd:
        zset(op.key).set(op.member, op.score);
        break;
      case OpKind.ZAddMax: {
        const members = zset(op.key);
        const current = members.get(op.member);
        if (current === undefined || op.score > current) members.set(op.member, op.score);
        break;
      }
      case OpKind.ZRem:
        zset(op.key).delete(op.member);
        break;
      case OpKind.ZKeepTop: {
        const members = zset(op.key);
        const order = ranked(members);
        for (const [member] of order.slice(0, Math.max(0, order.length - op.count))) members.delete(member);
        break;
      }
      case OpKind.ZRemBelow: {
        const members = zset(op.key);
        for (const [member, score] of members) if (score <= op.max) members.delete(member);
        break;
      }
      case OpKind.HIncrBy:
      case OpKind.HIncrByFloat: {
        const fields = hash(op.key);
        fields.set(op.field, String(Number(fields.get(op.field) ?? '0') + op.by));
        break;
      }
      case OpKind.HSet:
        hash(op.key).set(op.field, op.value);
        break;
      case OpKind.HSetMax: {
        const fields = hash(op.key);
        const current = fields.get(op.field);
        if (current === undefined || op.value > Number(current)) fields.set(op.field, String(op.value));
        break;
      }
      case OpKind.HSetMin: {
        const fields = hash(op.key);
        const current = fields.get(op.field);
        if (current === undefined || op.value < Number(current)) fields.set(op.field, String(op.value));
        break;
      }
      case OpKind.HDecayAdd: {
        const fields = hash(op.key);
        const timeField = decayTimeField(op.field);
        const heldTime = fields.get(timeField);
        const next = decayAdd(Number(fields.get(op.field) ?? '0'), heldTime === undefined ? undefined : Number(heldTime), op.by, op.time, op.halfLifeMs);
        fields.set(op.field, String(next.value));
        fields.set(timeField, String(next.time));
        break;
      }
      case OpKind.HDel:
        hash(op.key).delete(op.field);
        break;
      case OpKind.LPushUniqueTrim: {
        const value = data.get(op.key);
        const items = value?.type === 'list' ? value.items.filter((item) => item !== op.value) : [];
        data.set(op.key, { type: 'list', items: [op.value, ...items].slice(0, op.length) });
        break;
      }
      case OpKind.PfAdd:
      case OpKind.SAdd:
        set(op.key).add(op.kind === OpKind.PfAdd ? op.element : op.member);
        break;
      case OpKind.SRem:
        set(op.key).delete(op.member);
        break;
      case OpKind.Del:
        data.delete(op.key);
        break;
    }
    dropEmpty(op.key);
    return true;
  };

  const storedOffset = (offsetsKey: string, field: string): bigint | undefined => {
    const value = data.get(offsetsKey);
    const stored = value?.type === 'hash' ? value.fields.get(field) : undefined;
    return stored === undefined ? undefined : BigInt(stored);
  };

  return {
    applyBatch(offsetsKey, field, records) {
      const stored = storedOffset(offsetsKey, field) ?? -1n;
      const last = records.at(-1)?.offset;
      if (last === undefined || last <= stored) return;
      let previous = -1n;
      for (const record of records) {
        if (record.offset <= previous) throw new RangeError('records must come in increasing offset order');
        previous = record.offset;
        if (record.offset <= stored) continue;
        for (const op of record.ops) if (!applyOp(op)) break;
      }
      hash(offsetsKey).set(field, last.toString());
    },
    storedOffset,
    zrevrangeWithScores(key) {
      const value = data.get(key);
      if (value?.type !== 'zset') return [];
      return ranked(value.members)
        .reverse()
        .flatMap(([member, score]) => [member, String(score)]);
    },
    zscore: (key, member) => {
      const value = data.get(key);
      return value?.type === 'zset' ? value.members.get(member) : undefined;
    },
    hget: (key, field) => {
      const value = data.get(key);
      return value?.type === 'hash' ? value.fields.get(field) : undefined;
    },
    sismember: (key, member) => {
      const value = data.get(key);
      return value?.type === 'set' && value.members.has(member);
    },
    keys: () => [...data.keys()].sort(),
    dump() {
      const result: Record<string, string> = {};
      for (const key of [...data.keys()].sort()) {
        const value = data.get(key)!;
        const rendered =
          value.type === 'zset' ? ranked(value.members) : value.type === 'hash' ? [...value.fields].sort() : value.type === 'set' ? [...value.members].sort() : value.items;
        result[key] = `${value.type}:${JSON.stringify(rendered)}`;
      }
      return result;
    },
  };
}

/** A StateStore over `createMemoryState` for handler tests: the adapter contract without Redis. */
export function createMemoryStateStore(): StateStore & { readonly state: MemoryState } {
  const state = createMemoryState();
  return {
    state,
    applyBatch(input) {
      state.applyBatch(input.offsetsKey, input.field, input.records);
      return Promise.resolve({ applied: input.records.length, skipped: 0, storedOffset: input.lastOffset });
    },
    storedOffset: (key, field) => Promise.resolve(state.storedOffset(key, field)),
  };
}

/** What the Redis adapters read for `dedupReads`, from a memory state (redis-user-reads.ts does the same). */
export function readDedupSnapshot(state: MemoryState, reads: DedupReads): DedupSnapshot {
  return {
    memberships: new Map(reads.memberships.map(({ key, id }) => [seenToken(key, id), state.sismember(key, id)] as const)),
    watermarks: new Map(reads.registries.map((registry) => [registry, state.zscore(registry, dedupWatermarkMember)] as const)),
  };
}
