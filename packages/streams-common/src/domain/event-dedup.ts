import { z } from 'zod';
import { AppError, ErrorCode, OpKind, type StateOp } from '@streamrec/foundation';
import { partitionKey, type StreamContext } from './stream-context.js';

/**
 * Event-id dedup: a Dedup op per record on a seen-set per (stage, partition, event-time day). The day
 * comes from the event's own time, so a re-delivered event (same id, same time) meets the same set.
 * A registry per (stage, partition) lists the sets with the event day each expires on, and holds the
 * newest event day the stage has seen on the partition (its watermark). Every Dedup op first deletes
 * the sets whose expiry day the watermark reached, then lists its own set to expire `retentionDays`
 * after the watermark: a set lives until the partition's event time moves `retentionDays` past the last
 * record that used it. Never by wall clock, so a replay expires the same sets at the same offsets; and a
 * late event's set is swept like any other (it expires `retentionDays` after the watermark it arrived at).
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
 * ops exactly as apply-batch.lua will. A set the store sweeps is dropped here when it is next used
 * (its expiry is at or below the watermark then): the same answers, without listing the registry.
 */
export interface SeenSetModel {
  /** Applies a Dedup op: returns false (and changes no membership) when the id was already there. */
  apply(op: DedupOp): boolean;
}

/** What to read at the stored offset before modelling ops: per op `SISMEMBER key id` and `ZSCORE registry member`, per registry `ZSCORE registry watermark`. */
export interface DedupReads {
  readonly memberships: readonly { readonly key: string; readonly id: string }[];
  readonly expiries: readonly { readonly registry: string; readonly member: string }[];
  readonly registries: readonly string[];
}

/** The replies to `DedupReads`, keyed by `seenToken`: a ZSCORE of an absent member is undefined. */
export interface DedupSnapshot {
  readonly memberships: ReadonlyMap<string, boolean>;
  readonly expiries: ReadonlyMap<string, number | undefined>;
  readonly watermarks: ReadonlyMap<string, number | undefined>;
}

export function seenToken(key: string, id: string): string {
  return `${key}\n${id}`;
}

export function dedupReads(ops: readonly DedupOp[]): DedupReads {
  const expiries = new Map<string, { registry: string; member: string }>();
  for (const op of ops) expiries.set(seenToken(op.registry, op.member), { registry: op.registry, member: op.member });
  return {
    memberships: ops.map((op) => ({ key: op.key, id: op.id })),
    expiries: [...expiries.values()],
    registries: [...new Set(ops.map((op) => op.registry))],
  };
}

export function createSeenSetModel(snapshot: DedupSnapshot): SeenSetModel {
  const watermarks = new Map<string, number>();
  const expiries = new Map<string, number | undefined>();
  // Sets this batch emptied (swept), and ids it added since.
  const swept = new Set<string>();
  const added = new Map<string, Set<string>>();
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
      const token = seenToken(op.registry, op.member);
      let expiry = expiries.has(token) ? expiries.get(token) : read(snapshot.expiries, token, `the expiry of ${op.key}`);
      if (expiry !== undefined && expiry <= watermark) {
        swept.add(op.key);
        added.delete(op.key);
        expiry = undefined;
      }
      expiries.set(token, Math.max(expiry ?? -1, watermark + op.retentionDays));
      const ids = added.get(op.key) ?? new Set<string>();
      added.set(op.key, ids);
      if (ids.has(op.id)) return false;
      if (!swept.has(op.key) && read(snapshot.memberships, seenToken(op.key, op.id), `the membership of ${op.id} in ${op.key}`)) return false;
      ids.add(op.id);
      return true;
    },
  };
}
