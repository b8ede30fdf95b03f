import { z } from 'zod';
import { AppError, ErrorCode, OpKind, type StateOp } from '@streamrec/foundation';
import { partitionKey, type StreamContext } from './stream-context.js';

/**
 * Event-id dedup: a Dedup op per record on a seen-set per (stage, partition, event-time day). The day
 * comes from the event's own time, so a re-delivered event (same id, same time) meets the same set.
 * A registry per (stage, partition) lists the sets by day and holds the newest event day the stage has
 * seen on the partition (its watermark). A set lives while the watermark is less than `retentionDays`
 * past its day: the first record that moves the watermark that far deletes it, however many days it
 * moves at once, and an event whose day is already that far behind is counted and leaves no set. Never
 * by wall clock, and what exists after a set of records does not depend on their order, so a replay (or
 * a rebuild whose repartition topic interleaves its sources differently) ends with the same sets.
 */
export const DedupStage = {
  FeaturesUser: 'features-user',
  FeaturesItem: 'features-item',
  CooccurrenceUser: 'cooccurrence-user',
  CooccurrenceItem: 'cooccurrence-item',
  TrendingItem: 'trending-item',
} as const;
export type DedupStage = (typeof DedupStage)[keyof typeof DedupStage];

export const dedupParamsSchema = z.object({
  /**
   * A duplicate is caught while its day's set lives: up to this many days of event-time progress. 9, so
   * that a beacon the API still accepts (at most 7 days old, 5 minutes ahead: beacon-event.ts) always
   * finds its day's set when a client retries it: its day is at most 7 calendar days behind today, and a
   * record 5 minutes ahead can be dated tomorrow (beacon-event.test.ts fails at 8).
   */
  retentionDays: z.number().int().min(1).max(90).default(9),
});
export type DedupParams = z.infer<typeof dedupParamsSchema>;

const DAY_MS = 86_400_000;

// Every op of a record names its day's set, and a batch spans few days: formatting a Date per op showed
// up in profiles. Bounded (cleared when full); entries are pure functions of their key.
const CACHE_LIMIT = 4_096;
const dayNames = new Map<number, string>();

/** `YYYYMMDD` (UTC) of an event time. */
export function eventDay(eventTimeMs: number): string {
  const day = Math.floor(eventTimeMs / DAY_MS);
  let name = dayNames.get(day);
  if (name === undefined) {
    if (dayNames.size >= CACHE_LIMIT) dayNames.clear();
    name = new Date(day * DAY_MS).toISOString().slice(0, 10).replaceAll('-', '');
    dayNames.set(day, name);
  }
  return name;
}

export function seenSetKey(context: Pick<StreamContext, 'version'>, partition: number, stage: DedupStage, day: string): string {
  return partitionKey(context, partition, 'seen', day, stage);
}

/** The registry of a stage's seen-sets on a partition (a sorted set: set key → expiry day, plus the watermark). */
export function seenRegistryKey(context: Pick<StreamContext, 'version'>, partition: number, stage: DedupStage): string {
  return partitionKey(context, partition, 'seen-expiry', stage, 'days');
}

export type DedupOp = Extract<StateOp, { readonly kind: typeof OpKind.Dedup }>;

/** The record's dedup: everything after it in the record runs once per id. */
export function dedupOp(context: Pick<StreamContext, 'version'>, partition: number, stage: DedupStage, id: string, eventTimeMs: number, params: DedupParams): DedupOp {
  const day = eventDay(eventTimeMs);
  return {
    kind: OpKind.Dedup,
    key: seenSetKey(context, partition, stage, day),
    id,
    registry: seenRegistryKey(context, partition, stage),
    member: day,
    day: Math.floor(eventTimeMs / DAY_MS),
    retentionDays: params.retentionDays,
  };
}

/**
 * In-batch model of the seen-sets, for stages that must know before apply whether a record is a
 * duplicate (cooccurrence's user stage emits repartition records, which a guard cannot take back).
 * Starts from what the adapter read at the stored offset (`dedupReads`) and follows the batch's Dedup
 * ops exactly as apply-batch.lua will. A set that exists at the stored offset is within its window then
 * (every older one was swept), so a membership read there holds until the watermark moves past it.
 */
export interface SeenSetModel {
  /** Applies a Dedup op: returns false when the id was already there (the rest of the record is skipped). */
  apply(op: DedupOp): boolean;
}

/** What to read at the stored offset before modelling ops: per op `SISMEMBER key id`, per registry `ZSCORE registry watermark`. */
export interface DedupReads {
  readonly memberships: readonly { readonly key: string; readonly id: string }[];
  readonly registries: readonly string[];
}

/** The replies to `DedupReads`: memberships keyed by `seenToken`, the watermarks' raw scores (undefined when absent). */
export interface DedupSnapshot {
  readonly memberships: ReadonlyMap<string, boolean>;
  readonly watermarks: ReadonlyMap<string, number | undefined>;
}

export function seenToken(key: string, id: string): string {
  return `${key}\n${id}`;
}

export function dedupReads(ops: readonly DedupOp[]): DedupReads {
  return { memberships: ops.map((op) => ({ key: op.key, id: op.id })), registries: [...new Set(ops.map((op) => op.registry))] };
}

export function createSeenSetModel(snapshot: DedupSnapshot): SeenSetModel {
  const watermarks = new Map<string, number>();
  const added = new Set<string>();
  const read = <T>(map: ReadonlyMap<string, T>, token: string, what: string): T => {
    // A reply nobody read would silently count as "new": the adapter's reads were incomplete.
    if (!map.has(token)) throw new AppError(ErrorCode.InvalidArgument, `${what} was not read before the batch`);
    return map.get(token) as T;
  };
  return {
    apply: (op) => {
      let watermark = watermarks.get(op.registry);
      if (watermark === undefined) {
        const held = read(snapshot.watermarks, op.registry, `the watermark of ${op.registry}`);
        watermark = held === undefined ? -1 : -held;
      }
      watermark = Math.max(watermark, op.day);
      watermarks.set(op.registry, watermark);
      if (op.day + op.retentionDays <= watermark) return true;
      const token = seenToken(op.key, op.id);
      if (added.has(token) || read(snapshot.memberships, token, `the membership of ${op.id} in ${op.key}`)) return false;
      added.add(token);
      return true;
    },
  };
}
